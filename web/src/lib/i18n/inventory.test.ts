import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { ApiError, type FieldError } from '$lib/api/problem';
import { fieldErrorText } from './field-errors';
import {
	conflictText,
	itemKindName,
	movementFailureText,
	movementKindName,
	placeKindName,
	quantityText,
	requestStatusName,
	signedQuantityText,
	termsName,
	usageGroupLabel,
	usageGroupName
} from './inventory';
import en from './en.json';
import id from './id.json';

type Locale = 'id' | 'en';
let locale: Locale = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

const text = (field: string, code: string, params?: Record<string, unknown>, lang: Locale = 'id') => {
	locale = lang;
	const error: FieldError = { field, code, detail: 'ENGLISH DETAIL' };
	if (params) error.params = params;
	return fieldErrorText(error);
};

const headline = (e: unknown) => ({ title: `failed (${(e as ApiError).status})`, detail: null });

describe('inventory words', () => {
	it('names kinds, places, movements and terms in both languages', () => {
		expect(itemKindName('drop_cable')).toBe('Kabel drop');
		expect(placeKindName('written_off')).toBe(id.inv_place_written_off);
		expect(movementKindName('issue')).toBe('Keluar ke teknisi');
		expect(termsName('loaned')).toBe('Dipinjamkan');
		expect(termsName(null)).toBe(id.inv_terms_none);
		locale = 'en';
		expect(itemKindName('drop_cable')).toBe('Drop cable');
		expect(movementKindName('write_off')).toBe(en.inv_move_write_off);
		expect(itemKindName('laser')).toBe('laser');
	});

	it('writes quantities with their unit in the reader\'s number format', () => {
		expect(quantityText(1500, 'm')).toBe('1.500\u00a0m');
		expect(signedQuantityText(-3, 'pcs')).toBe('\u22123\u00a0pcs');
		expect(signedQuantityText(1200, 'm')).toBe('+1.200\u00a0m');
		locale = 'en';
		expect(quantityText(1500, 'm')).toBe('1,500\u00a0m');
	});
});

describe('stock conflicts in the reader\'s language', () => {
	it('says how much a place holds', () => {
		expect(conflictText('Gudang Bandung holds 300 m of Kabel drop 1 core; 500 asked.')).toBe(
			'Gudang Bandung hanya punya 300\u00a0m Kabel drop 1 core, sedangkan yang diminta 500\u00a0m.'
		);
		locale = 'en';
		expect(conflictText('Gudang Bandung holds 0 pcs of ONT ZTE F670L; 1 asked.')).toBe('Gudang Bandung holds only 0\u00a0pcs of ONT ZTE F670L; 1\u00a0pcs was asked.');
	});

	it('says where a unit is not', () => {
		expect(conflictText('Unit ZTEG1 is not at Gudang Bandung.')).toBe(
			'Unit ZTEG1 tidak ada di Gudang Bandung. Cari unitnya untuk melihat di mana sekarang.'
		);
	});

	it('keeps any other sentence as the server said it', () => {
		expect(conflictText('Something else.')).toBe('Something else.');
		expect(conflictText('')).toBeNull();
	});

	it('says why one line of a list failed', () => {
		const short = new ApiError('conflict', 409, { type: '/problems/conflict', title: 'Conflict', status: 409, detail: 'Unit A1 is not at Gudang.' });
		expect(movementFailureText(short, headline)).toBe('Unit A1 tidak ada di Gudang. Cari unitnya untuk melihat di mana sekarang.');
		const taken = new ApiError('validation', 422, {
			type: '/problems/validation',
			title: 'Invalid input',
			status: 422,
			errors: [{ field: 'serial', code: 'taken', detail: 'x', params: { serial: 'A1' } }]
		});
		expect(movementFailureText(taken, headline)).toBe('Nomor seri A1 sudah terdaftar.');
		expect(movementFailureText(new ApiError('server', 500, null), headline)).toBe('failed (500)');
	});
});

describe('inventory field errors', () => {
	it('translates the movement codes', () => {
		for (const code of ['movement_places', 'serial_one', 'not_serial', 'other_item', 'other_customer', 'unassigned']) {
			for (const lang of ['id', 'en'] as const) {
				const sentence = text('to_location_id', code, undefined, lang);
				expect(sentence, `${code} (${lang})`).not.toBe('ENGLISH DETAIL');
				expect(sentence.trim()).not.toBe('');
			}
		}
		expect(text('to_location_id', 'movement_places')).toBe(id.field_error_movement_places);
		expect(text('quantity', 'serial_one', undefined, 'en')).toBe(en.field_error_serial_one);
	});

	it('names what is taken or unknown about a unit', () => {
		expect(text('serial', 'taken', { serial: 'ZTEG1' })).toBe('Nomor seri ZTEG1 sudah terdaftar.');
		expect(text('serial', 'taken')).toBe(id.field_error_taken_serial);
		expect(text('mac', 'taken')).toBe(id.field_error_taken_mac);
		expect(text('serial', 'unknown')).toBe(id.field_error_unknown_serial);
		expect(text('to_technician_id', 'unknown')).toBe(id.field_error_unknown_technician);
		expect(text('serial', 'required')).toBe(id.field_error_required_serial);
		expect(text('item_id', 'required')).toBe(id.field_error_required_choice);
		expect(text('item_id', 'inactive')).toBe(id.field_error_inactive_item);
	});

	it('says how a MAC address and an item code are written', () => {
		expect(text('mac', 'format')).toBe(id.field_error_format_mac);
		expect(text('code', 'format', undefined, 'en')).toBe(en.field_error_format_code);
	});

	it('gives the range of a quantity', () => {
		expect(text('quantity', 'range', { min: 1, max: 1000000 })).toBe(id.field_error_range_between.replace('{min}', '1').replace('{max}', '1.000.000'));
	});
});

describe('requests and usage in words', () => {
	it('names a request state in both languages, an unknown one as it is', () => {
		expect(requestStatusName('requested')).toBe(id.inv_req_status_requested);
		expect(requestStatusName('rejected')).toBe('Ditolak');
		locale = 'en';
		expect(requestStatusName('cancelled')).toBe('Withdrawn');
		expect(requestStatusName('lost')).toBe('lost');
	});

	it('names a usage group: a month by name, a ticket kind in words, a technician by the server label', () => {
		expect(usageGroupName('ticket_kind')).toBe(id.inv_usage_by_ticket_kind);
		expect(usageGroupLabel('month', { group: '2026-03', label: '2026-03' })).toBe('Maret 2026');
		expect(usageGroupLabel('ticket_kind', { group: 'installation', label: 'installation' })).toBe(id.ticket_kind_installation);
		expect(usageGroupLabel('technician', { group: 'u1', label: 'Budi Santoso' })).toBe('Budi Santoso');
		locale = 'en';
		expect(usageGroupLabel('month', { group: '2026-03', label: '2026-03' })).toBe('March 2026');
		expect(usageGroupLabel('ticket_kind', { group: 'repair', label: 'repair' })).toBe(en.ticket_kind_repair);
	});
});
