import { describe, expect, it } from 'vitest';
import type { Customer } from '$lib/api/types';
import {
	addressPartsLine,
	CUSTOMER_FORM_FIELDS,
	CUSTOMER_OPTIONAL_TEXT,
	customerBody,
	customerValues,
	emptyCustomer,
	placeLine,
	rememberValues,
	type CustomerFormValues
} from './customers';

const filled = (): CustomerFormValues => ({
	...emptyCustomer(),
	name: ' Siti Aminah ',
	phone: '0812 3456 7890',
	address: 'Jl. Sekeloa No. 5',
	location: { lat: -6.89, lng: 107.61 },
	package_id: 'p1',
	rt: ' 3 ',
	rw: '12',
	kelurahan: 'Sekeloa',
	kecamatan: 'Coblong',
	city: 'Kota Bandung',
	pppoe_username: ' siti.sekeloa ',
	billing_id: 'BIL-0000007'
});

const customer = (overrides: Partial<Customer> = {}): Customer => ({
	id: 'c1',
	customer_number: 'PLG-0000123',
	name: 'Siti Aminah',
	phone: '+6281234567890',
	address: 'Jl. Sekeloa No. 5',
	location: { lat: -6.89, lng: 107.61 },
	area_id: 'a1',
	package_id: 'p1',
	status: 'active',
	notes: '',
	source: 'staff',
	created_at: '2026-11-28T00:00:00Z',
	updated_at: '2026-11-28T00:00:00Z',
	...overrides
});

describe('the customer form body', () => {
	it('sends the address parts and references trimmed', () => {
		const body = customerBody(filled(), true);
		expect(body).toMatchObject({
			name: 'Siti Aminah',
			rt: '3',
			rw: '12',
			kelurahan: 'Sekeloa',
			kecamatan: 'Coblong',
			city: 'Kota Bandung',
			pppoe_username: 'siti.sekeloa',
			billing_id: 'BIL-0000007',
			status: 'prospect'
		});
	});

	it('leaves empty parts out of a new customer', () => {
		const body = customerBody({ ...filled(), rt: '', kelurahan: '  ', pppoe_username: '', billing_id: '' }, true);
		for (const field of ['rt', 'kelurahan', 'pppoe_username', 'billing_id']) expect(body, field).not.toHaveProperty(field);
		expect(body.rw).toBe('12');
	});

	it('clears with null what was emptied on an edit', () => {
		const body = customerBody({ ...filled(), rw: '', city: ' ', billing_id: '' }, false);
		expect(body.rw).toBeNull();
		expect(body.city).toBeNull();
		expect(body.billing_id).toBeNull();
		expect(body.rt).toBe('3');
		expect(body.pppoe_username).toBe('siti.sekeloa');
		expect(body).not.toHaveProperty('status');
		const empty = customerBody({ ...filled(), ...Object.fromEntries(CUSTOMER_OPTIONAL_TEXT.map((f) => [f, ''])) }, false);
		for (const field of CUSTOMER_OPTIONAL_TEXT) expect(empty[field], field).toBeNull();
	});

	it('fills the form from a record, missing parts as empty', () => {
		const values = customerValues(customer({ rt: '003', rw: null, city: 'Kota Bandung', pppoe_username: 'plg0000123' }));
		expect(values).toMatchObject({ rt: '003', rw: '', kelurahan: '', city: 'Kota Bandung', pppoe_username: 'plg0000123', billing_id: '' });
		// Every form field has a value, so each error can go once its field is edited.
		for (const field of CUSTOMER_FORM_FIELDS) expect(values, field).toHaveProperty(field);
		// Saving an unchanged record changes nothing of these.
		const body = customerBody(values, false);
		expect(body).toMatchObject({ rt: '003', rw: null, city: 'Kota Bandung', pppoe_username: 'plg0000123', billing_id: null });
	});
});

describe('address parts', () => {
	it('reads as on an Indonesian address', () => {
		expect(addressPartsLine({ rt: '003', rw: '012', kelurahan: 'Sekeloa', kecamatan: 'Coblong', city: 'Kota Bandung' })).toBe(
			'RT 003/RW 012, Kel. Sekeloa, Kec. Coblong, Kota Bandung'
		);
	});

	it('leaves out what is missing', () => {
		expect(addressPartsLine({})).toBe('');
		expect(addressPartsLine({ rt: null, rw: null, kelurahan: null, kecamatan: null, city: null })).toBe('');
		expect(addressPartsLine({ rt: '003' })).toBe('RT 003');
		expect(addressPartsLine({ rw: '012', city: 'Kabupaten Bandung' })).toBe('RW 012, Kabupaten Bandung');
		expect(addressPartsLine({ kecamatan: ' Coblong ', city: '' })).toBe('Kec. Coblong');
	});

	it('does not repeat a kind already written', () => {
		expect(addressPartsLine({ kelurahan: 'Desa Cibiru Wetan', kecamatan: 'Kecamatan Cileunyi' })).toBe('Desa Cibiru Wetan, Kecamatan Cileunyi');
		expect(addressPartsLine({ kelurahan: 'Kel. Sekeloa', kecamatan: 'Kec. Coblong' })).toBe('Kel. Sekeloa, Kec. Coblong');
		// A name that only starts like a kind is still a name.
		expect(addressPartsLine({ kelurahan: 'Kebon Kelapa', kecamatan: 'Kecapi' })).toBe('Kel. Kebon Kelapa, Kec. Kecapi');
	});

	it('gives a list row the kecamatan and city', () => {
		expect(placeLine({ kecamatan: 'Coblong', city: 'Kota Bandung' })).toBe('Kec. Coblong · Kota Bandung');
		expect(placeLine({ city: 'Kota Bandung' })).toBe('Kota Bandung');
		expect(placeLine({})).toBe('');
	});
});

describe('filter suggestions', () => {
	it('keeps every name seen, once, sorted', () => {
		const seen = new Set<string>();
		expect(rememberValues(seen, ['Kota Bandung', null, ' Kota Cimahi ', '', undefined])).toEqual(['Kota Bandung', 'Kota Cimahi']);
		expect(rememberValues(seen, ['Kabupaten Bandung', 'Kota Bandung'])).toEqual(['Kabupaten Bandung', 'Kota Bandung', 'Kota Cimahi']);
	});
});
