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

const text = (field: string, code: string | undefined, detail = 'English detail', lang: Locale = 'id') => {
	locale = lang;
	const error: FieldError = code === undefined ? { field, detail } : { field, code, detail };
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
