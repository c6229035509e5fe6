import { describe, expect, it } from 'vitest';
import { checkRegistration, localPhone, looksLikePhone, type RegistrationValues } from './registration';

const good: RegistrationValues = {
	name: 'Siti Rahayu',
	phone: '0812 3456 7890',
	email: '',
	address: 'Jl. Dago No. 1, Bandung',
	location: { lat: -6.89, lng: 107.61 },
	package_id: 'p1',
	preferred_date: '2026-11-28',
	preferred_window: '08:00-12:00',
	password: 'rahasia-rumah-1'
};

describe('registration form checks', () => {
	it('accepts a complete form', () => {
		expect(checkRegistration(good, '2026-11-25')).toEqual({});
	});

	it('names every missing field', () => {
		const empty: RegistrationValues = {
			name: ' ',
			phone: '',
			email: '',
			address: '',
			location: null,
			package_id: '',
			preferred_date: '',
			preferred_window: '',
			password: ''
		};
		expect(checkRegistration(empty, '2026-11-25')).toEqual({
			name: 'required',
			phone: 'required',
			address: 'required',
			location: 'required',
			package_id: 'required',
			preferred_date: 'required',
			preferred_window: 'required',
			password: 'required'
		});
	});

	it('checks phone, e-mail, date and password', () => {
		expect(
			checkRegistration(
				{ ...good, phone: 'bukan nomor', email: 'siti@', preferred_date: '2026-11-25', password: 'pendek' },
				'2026-11-25'
			)
		).toEqual({ phone: 'phone', email: 'email', preferred_date: 'too_early', password: 'password_short' });
	});

	it('knows what a phone number looks like', () => {
		expect(looksLikePhone('+62 812-3456-7890')).toBe(true);
		expect(looksLikePhone('(022) 250 1234')).toBe(true);
		expect(looksLikePhone('0812')).toBe(false);
		expect(looksLikePhone('0812 3456 7890 1234 5')).toBe(false);
		expect(looksLikePhone('08I2345678')).toBe(false);
	});

	it('writes Indonesian numbers the local way', () => {
		expect(localPhone('+6281234567890')).toBe('0812 3456 7890');
		expect(localPhone('+15551234567')).toBe('+15551234567');
	});
});
