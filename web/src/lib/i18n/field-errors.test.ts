import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import type { FieldError } from '$lib/api/problem';
import { fieldErrorText, fieldRoot } from './field-errors';
import en from './en.json';
import id from './id.json';

type Locale = 'id' | 'en';
let locale: Locale = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

const text = (field: string, code: string | undefined, detail = 'English detail', lang: Locale = 'id', params?: Record<string, unknown>) => {
	locale = lang;
	const error: FieldError = code === undefined ? { field, detail } : { field, code, detail };
	if (params) error.params = params;
	return fieldErrorText(error);
};

/** The codes the server documents for FieldError.code (docs/openapi.json). */
function documentedCodes(): string[] {
	const doc = JSON.parse(readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8'));
	const description: string = doc.components.schemas.FieldError.properties.code.description;
	// "or `invalid` (see `detail`)": `detail` names the other member, not a code.
	return [...description.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!).filter((code) => code !== 'detail');
}

describe('field errors in the user language', () => {
	it('reads the field a server name is about', () => {
		expect(fieldRoot('email')).toBe('email');
		expect(fieldRoot('location.lat')).toBe('location');
		expect(fieldRoot('team_ids[2]')).toBe('team_ids');
		expect(fieldRoot('line 3: phone')).toBe('phone');
	});

	it('names what is taken when the field tells', () => {
		expect(text('phone', 'taken')).toBe('Nomor HP ini sudah dipakai.');
		expect(text('email', 'taken')).toBe(id.field_error_taken_email);
		expect(text('email', 'taken', 'x', 'en')).toBe(en.field_error_taken_email);
		expect(text('code', 'taken')).toBe(id.field_error_taken_code);
		expect(text('slug', 'taken')).toBe(id.field_error_taken);
	});

	it('names the customer who holds a PPPoE username or billing id', () => {
		expect(text('pppoe_username', 'taken', 'customer PLG-0000123 already has it', 'id', { customer_number: 'PLG-0000123' })).toBe(
			'PPPoE username ini sudah dipakai pelanggan PLG-0000123.'
		);
		expect(text('billing_id', 'taken', 'x', 'en', { customer_number: 'PLG-0000123' })).toBe('This billing ID is already used by customer PLG-0000123.');
		expect(text('pppoe_username', 'taken')).toBe(id.field_error_taken_pppoe);
		expect(text('line 4: billing_id', 'taken', 'x', 'id', { customer_number: 'PLG-0000009' })).toBe(
			'ID billing ini sudah dipakai pelanggan PLG-0000009.'
		);
	});

	it('says how RT and RW are written, that references have no spaces and how a routing server is written', () => {
		expect(text('rt', 'format', 'a number from 001 to 999', 'id', { max: 999 })).toBe('RT ditulis dengan angka 1 sampai 999, misalnya 3 atau 003.');
		expect(text('rw', 'format', 'a number from 001 to 999', 'en', { max: 999 })).toBe('Write the RW as a number from 1 to 999, e.g. 3 or 003.');
		expect(text('line 2: rt', 'format', 'a number from 001 to 999')).toBe('RT ditulis dengan angka 1 sampai 999, misalnya 3 atau 003.');
		expect(text('pppoe_username', 'format', 'a reference has no spaces')).toBe(id.field_error_format_reference);
		expect(text('billing_id', 'format', 'a reference has no spaces', 'en')).toBe(en.field_error_format_reference);
		// The dispatch settings' routing server: an http(s) address, said with an example in the reader's language.
		const osrm = 'an http(s) address of an OSRM-compatible server, such as http://osrm.local:5000';
		expect(text('routing_url', 'format', osrm)).toBe(id.field_error_format_routing_url);
		expect(text('routing_url', 'format', osrm, 'en')).toBe(en.field_error_format_routing_url);
	});

	it('says when neither e-mail nor WhatsApp reaches the person a link is for', () => {
		expect(text('send', 'unreachable', 'neither e-mail nor WhatsApp reaches this person')).toBe(id.field_error_unreachable);
		expect(text('send', 'unreachable', 'x', 'en')).toBe(en.field_error_unreachable);
	});

	it('says "required" as the field needs it', () => {
		expect(text('login', 'required')).toBe(id.login_required);
		expect(text('password', 'required', 'x', 'en')).toBe(en.password_required);
		expect(text('package_id', 'required')).toBe(id.field_error_required_choice);
		expect(text('location', 'required')).toBe(id.field_error_required_location);
		expect(text('address', 'required')).toBe(id.field_error_required);
	});

	it('keeps the limits the server states, written the local way', () => {
		expect(text('name', 'length', 'enter 1 to 100 characters')).toBe('Isi 1 sampai 100 karakter.');
		expect(text('notes', 'length', 'at most 2000 characters')).toBe('Paling banyak 2.000 karakter.');
		expect(text('notes', 'length', 'at most 2000 characters', 'en')).toBe('At most 2,000 characters.');
		expect(text('name', 'length', 'too long')).toBe(id.field_error_length);
		expect(text('radius_m', 'range', 'between 100 and 50000 metres')).toBe('Isi angka antara 100 dan 50.000.');
		expect(text('to', 'range', 'must be after from')).toBe(id.field_error_range_to);
		expect(text('resolution_sla_minutes', 'range', 'between 1 minute and 60 days')).toBe(id.field_error_range_sla);
		expect(text('monthly_price_idr', 'range', 'whole rupiah, 0 to 1,000,000,000')).toBe(id.field_error_range);
		expect(text('header', 'header', 'expected code,name,area_code,lat,lng,status')).toBe(
			'Judul kolom (baris pertama) tidak sesuai. Yang benar: code, name, area_code, lat, lng, status'
		);
	});

	it('words the values the server sends in params, whatever the English detail says', () => {
		expect(text('name', 'length', 'anything', 'id', { max: 60 })).toBe('Paling banyak 60 karakter.');
		expect(text('name', 'length', 'anything', 'id', { min: 2, max: 60 })).toBe('Isi 2 sampai 60 karakter.');
		expect(text('radius_m', 'range', 'anything', 'en', { min: 100, max: 50000 })).toBe('Enter a number between 100 and 50,000.');
		expect(text('preferred_date', 'date_far', 'anything', 'id', { days: 30 })).toBe('Pilih tanggal paling lambat 30 hari dari hari ini.');
		expect(text('phone', 'taken', 'x', 'id', { customer_number: 'PLG-0000001' })).toBe('Nomor HP ini sudah dipakai pelanggan PLG-0000001.');
		expect(text('odp_port', 'port_taken', 'x', 'id', { port: 13, odp: 'ODP-CBL-001-01', customer_number: 'PLG-0000001' })).toBe(
			'Port 13 di ODP-CBL-001-01 sudah dipakai pelanggan PLG-0000001.'
		);
		expect(text('customer_number', 'format', 'x', 'id', { example: 'PLG-0000123' })).toBe(
			'Nomor pelanggan ditulis PLG- lalu angka, misalnya PLG-0000123.'
		);
		expect(text('floor', 'format', 'a number from 1 to 99', 'id', { max: 99 })).toBe('Isi angka 1 sampai 99.');
		expect(text('rt', 'format', 'a number from 001 to 999', 'id', { max: 999 })).toBe('RT ditulis dengan angka 1 sampai 999, misalnya 3 atau 003.');
	});

	it('lists the values a choice allows as they are written, with their names (suspended is "Isolir")', () => {
		const allowed = ['prospect', 'active', 'suspended', 'terminated'];
		expect(text('status', 'choice', 'choose one of prospect, active, suspended, terminated', 'id', { allowed })).toBe(
			'Nilai ini tidak dapat dipakai. Gunakan salah satu: prospect (Prospek), active (Aktif), suspended (Isolir), terminated (Berhenti).'
		);
		expect(text('status', 'choice', 'x', 'en', { allowed })).toBe(
			'This value cannot be used. Use one of: prospect (Prospect), active (Active), suspended (Suspended), terminated (Terminated).'
		);
		expect(text('port_count', 'choice', 'x', 'id', { allowed: [4, 8, 16, 24] })).toBe('Nilai ini tidak dapat dipakai. Gunakan salah satu: 4, 8, 16, 24.');
		// Without params: the general sentence.
		expect(text('status', 'choice', 'choose one of prospect, active')).toBe(id.field_error_choice);
	});

	it('tells a CSV line whose package is unknown or off sale which package, never to reload the page', () => {
		expect(text('package', 'unknown', 'no package called "Paket Hantu"', 'id', { package: 'Paket Hantu' })).toBe(
			'Paket "Paket Hantu" tidak ada di katalog. Tulis nama paket persis seperti di Katalog.'
		);
		// An older server: the name from the detail.
		expect(text('package', 'unknown', 'no package called "Paket Hantu"')).toContain('"Paket Hantu"');
		expect(text('package', 'unknown', 'no such package')).toBe(id.field_error_unknown_package_line);
		expect(text('package', 'not_on_sale', 'Rumah 10 is no longer on sale', 'id', { package: 'Rumah 10' })).toBe(
			'Paket "Rumah 10" sudah tidak dijual. Pilih paket yang masih dijual.'
		);
		expect(text('package', 'not_on_sale', 'Rumah 10 is no longer on sale')).toBe(id.field_error_not_on_sale_line);
		for (const sentence of [text('package', 'unknown', 'x'), text('package', 'not_on_sale', 'x')]) {
			expect(sentence).not.toMatch(/muat ulang/i);
		}
		expect(text('odp_code', 'unknown', 'no ODP with code "ODP-X"', 'id', { odp: 'ODP-X' })).toBe('Tidak ada ODP dengan kode "ODP-X".');
		expect(text('area_code', 'unknown', 'no area with code "ZZZ"')).toBe('Tidak ada area dengan kode "ZZZ".');
		// In a form, an unknown choice still means the list is out of date.
		expect(text('package_id', 'unknown', 'no such package')).toBe(id.field_error_unknown);
	});

	it('says a number column holds no number, with the value, and a whole unreadable line as such', () => {
		expect(text('lat', 'format', '"abc" is not a number')).toBe(
			'"abc" bukan angka. Tulis angka saja, dengan titik sebagai pemisah desimal (misalnya -6.914700).'
		);
		expect(text('radius_m', 'format', 'not a number')).toBe(id.field_error_format_number_plain);
		expect(text('line 4', 'format', 'found record with 5 fields, but the previous record has 6 fields')).toBe(id.field_error_format);
		expect(text('lat', 'format', 'x')).not.toBe(id.field_error_format);
		expect(text('website', 'format', 'x')).toBe(id.field_error_format_value);
	});

	it('reuses the sentences the forms already had for wrong passwords and codes', () => {
		expect(text('current_password', 'password_wrong')).toBe(id.password_current_wrong);
		expect(text('code', 'code_wrong', 'x', 'en')).toBe(en.login_code_wrong);
		expect(text('token', 'token_expired')).toBe(id.reset_token_invalid);
		expect(text('new_password', 'password_common')).toBe(id.field_error_password_common);
	});

	it('shows the server detail for "invalid", an unknown code or none', () => {
		expect(text('line 3: lat', 'invalid', '"abc" is not a number')).toBe('"abc" is not a number');
		expect(text('name', 'brand_new_code', 'something new')).toBe('something new');
		expect(text('name', undefined, 'an older server')).toBe('an older server');
	});

	it('translates every code the server documents (but "invalid"), in both languages', () => {
		const codes = documentedCodes();
		expect(codes).toContain('taken');
		expect(codes).toContain('invalid');
		for (const code of codes.filter((c) => c !== 'invalid')) {
			for (const lang of ['id', 'en'] as const) {
				const sentence = text('some_field', code, 'ENGLISH DETAIL', lang);
				expect(sentence, `${code} (${lang})`).not.toBe('ENGLISH DETAIL');
				expect(sentence.trim(), `${code} (${lang})`).not.toBe('');
			}
		}
	});
});

describe('ticket field errors', () => {
	it('says what a refused ticket needs, in both languages', () => {
		expect(text('customer_id', 'required')).toBe(id.field_error_required_customer);
		expect(text('reason', 'required', 'say why', 'en')).toBe(en.field_error_required_reason);
		expect(text('technician_id', 'required')).toBe(id.field_error_required_choice);
		expect(text('customer_id', 'erased', 'erased', 'en')).toBe(en.field_error_erased);
		expect(text('customer_id', 'connected', 'this customer is already connected')).toBe(id.field_error_connected);
		expect(text('priority', 'forbidden', 'only a supervisor', 'en')).toBe(en.field_error_forbidden);
	});
});

describe('outage and ODP port field errors', () => {
	it('asks to choose the element that is out, and names who holds a port', () => {
		expect(text('element_id', 'required', 'choose the ODP that is out')).toBe(id.field_error_required_choice);
		expect(text('area_id', 'required', 'choose the area that is out', 'en')).toBe(en.field_error_required_choice);
		expect(text('title', 'required')).toBe(id.field_error_required);
		expect(text('odp_port', 'taken', 'customer PLG-0000042 already has it', 'id', { customer_number: 'PLG-0000042' })).toBe(
			'Port ini sudah dipakai pelanggan PLG-0000042.'
		);
		expect(text('odp_port', 'taken', 'x', 'en')).toBe(en.field_error_port_taken);
	});
});

describe('booking window field errors', () => {
	it('says a window is full and names the next one with room, the local way', () => {
		const next = { next_date: '2026-12-03', next_window: '08:00-12:00' };
		expect(text('preferred_window', 'window_full', 'no room', 'id', next)).toBe(
			'Jadwal ini sudah penuh. Jadwal terdekat yang masih kosong: Kamis, 3 Des, 08.00–12.00.'
		);
		expect(text('appointment_window', 'window_full', 'no room', 'en', { next_date: '2026-12-03', next_window: '13:00-17:00' })).toBe(
			'This window is fully booked. The nearest window with room: Thursday 3 Dec, 13:00–17:00.'
		);
	});

	it('says only that it is full when no window with room was found, or the params are unreadable', () => {
		expect(text('preferred_window', 'window_full', 'no room')).toBe(id.field_error_window_full);
		expect(text('appointment_window', 'window_full', 'no room', 'en')).toBe(en.field_error_window_full);
		expect(text('preferred_window', 'window_full', 'x', 'id', { next_date: 'besok', next_window: '08:00-12:00' })).toBe(id.field_error_window_full);
		expect(text('preferred_window', 'window_full', 'x', 'id', { next_date: '2026-12-03', next_window: '19:00-21:00' })).toBe(id.field_error_window_full);
	});

	it('says a window that has ended is over', () => {
		expect(text('appointment_window', 'window_past', 'this window has already ended')).toBe(id.field_error_window_past);
		expect(text('preferred_window', 'window_past', 'x', 'en')).toBe(en.field_error_window_past);
	});

	it('asks to choose a window rather than to fill one in', () => {
		expect(text('appointment_window', 'required')).toBe(id.field_error_required_choice);
	});
});
