import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { pastCodes } from './history';
import { auditActionText } from './audit';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'id'));

describe('the history at a job\'s place in words', () => {
	it('names a repair\'s cause and resolution', () => {
		locale = 'id';
		expect(pastCodes({ cause: 'drop_cable_cut', resolution: 'replaced_drop_cable' })).toEqual(['Penyebab: Kabel drop putus', expect.stringMatching(/^Tindakan: /)]);
		locale = 'en';
		expect(pastCodes({ cause: 'drop_cable_cut', resolution: null })).toEqual([expect.stringMatching(/^Cause: /)]);
		locale = 'id';
	});

	it('says nothing for a ticket without codes; an unknown code reads as itself', () => {
		expect(pastCodes({ cause: null, resolution: null })).toEqual([]);
		expect(pastCodes({ cause: undefined, resolution: 'brand_new' })).toEqual(['Tindakan: brand new']);
	});

	it('names the check-in in the audit log', () => {
		expect(auditActionText('day.check_in')).toBe('Memulai hari kerja (check-in)');
	});
});
