import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { apiErrorFromResponse } from '$lib/api/problem';
import { notReadyMissing } from '$lib/api/installation';
import { fieldErrorText } from './field-errors';
import { joinWords, needName, needsText, notReadyText, surveyEffectText, surveyOutcomeName } from './installation';
import { timelineReason, timelineText } from './tickets';
import { timelineText as portalTimelineText } from './portal';
import { auditActionText } from './audit';
import { SURVEY_OUTCOMES } from '$lib/installation';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'id'));

function notReady(missing: unknown) {
	return apiErrorFromResponse({ status: 409 }, { type: '/problems/not-ready', title: 'Not ready yet', status: 409, detail: '…', missing });
}

describe('what an installation still needs, in words', () => {
	it('names booking and identity needs in both languages', () => {
		locale = 'id';
		expect(needName('fee')).toBe('pembayaran biaya pemasangan');
		expect(needName('ktp_photo')).toBe('foto KTP');
		expect(needName('something_new')).toBe('something_new');
		locale = 'en';
		expect(needName('verification')).toBe('customer service verification (identity, address and package)');
		expect(needName('nik')).toBe('NIK');
	});

	it('joins a list the way each language does', () => {
		locale = 'id';
		expect(joinWords(['a'])).toBe('a');
		expect(joinWords(['a', 'b', 'c'])).toBe('a, b dan c');
		locale = 'en';
		expect(joinWords(['a', 'b'])).toBe('a and b');
		expect(joinWords([])).toBe('');
		expect(needsText(['nik', 'ktp_photo'])).toBe('NIK and KTP photo');
	});

	it('explains a 409 not-ready: a booking that waits for verification, a verification that waits for documents', () => {
		expect(notReadyMissing(notReady(['verification']))).toEqual(['verification']);
		expect(notReadyMissing(notReady('junk'))).toEqual([]);
		expect(notReadyMissing(apiErrorFromResponse({ status: 409 }, { type: '/problems/conflict', title: 'Conflict', status: 409 }))).toBeNull();
		expect(notReadyMissing(new TypeError('offline'))).toBeNull();
		locale = 'id';
		expect(notReadyText(['verification'])).toBe(
			'Tiket ini belum bisa ditugaskan ke teknisi: masih perlu verifikasi CS (identitas, alamat dan paket). Tiket sudah dimuat ulang.'
		);
		expect(notReadyText(['nik', 'ktp_photo'])).toBe('Rekam dulu NIK dan foto KTP pelanggan sebelum memverifikasi.');
		locale = 'en';
		expect(notReadyText(['verification', 'fee'])).toContain('customer service verification (identity, address and package) and payment of the installation fee');
		expect(notReadyText([])).toBe('This ticket cannot be assigned to a technician yet. The ticket was reloaded.');
	});
});

describe('identity field errors in the user language', () => {
	it('words every NIK and photo code the server sends', () => {
		locale = 'id';
		const nik = (code: string) => fieldErrorText({ field: 'nik', code, detail: 'english' });
		expect(nik('length')).toBe('NIK terdiri dari 16 digit.');
		expect(nik('province')).toBe('Dua digit pertama NIK bukan kode provinsi.');
		expect(nik('birth_date')).toContain('tanggal lahir');
		expect(nik('serial')).toContain('0000');
		expect(nik('required')).toBe('Isi NIK atau pilih foto KTP.');
		locale = 'en';
		const photo = (code: string) => fieldErrorText({ field: 'photo', code, detail: 'english' });
		for (const code of ['type', 'type_mismatch', 'empty', 'too_large', 'unreadable']) expect(photo(code), code).not.toBe('english');
		expect(photo('type')).toBe('Send the KTP photo as a JPEG, PNG or WebP.');
		// `type` elsewhere still means a value of the wrong type.
		expect(fieldErrorText({ field: 'lat', code: 'type', detail: 'x' })).toContain('wrong type');
		expect(fieldErrorText({ field: 'place_confirmed', code: 'required', detail: 'x' })).toBe('Confirm the address with the customer first.');
		expect(fieldErrorText({ field: 'package_confirmed', code: 'required', detail: 'x' })).toBe('Confirm the package with the customer first.');
	});
});

describe('installation steps on the timelines', () => {
	const entry = (kind: string, data: Record<string, unknown> = {}, reason = '') => ({
		kind,
		actor_name: 'Sari',
		actor_role: 'cs',
		from_status: null,
		to_status: null,
		data,
		reason
	});

	it('says each new kind in words on the console, in both languages', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			const fallback = timelineText(entry('mystery'));
			for (const kind of ['verified', 'unverified', 'fee_paid', 'fee_unpaid', 'survey']) {
				const text = timelineText(entry(kind, { outcome: 'needs_pole', reference: 'TRF BCA 889123' }));
				expect(text, `${lang} ${kind}`).toContain('Sari');
				expect(text, `${lang} ${kind}`).not.toContain(`: ${kind}`);
				expect(text).not.toBe(fallback.replace('mystery', kind));
			}
		}
		locale = 'en';
		expect(timelineText(entry('fee_paid', { reference: 'TRF BCA 889123' }))).toBe('Sari marked the installation fee paid (TRF BCA 889123)');
		expect(timelineText(entry('fee_paid', { reference: null }))).toBe('Sari marked the installation fee paid');
		expect(timelineText(entry('survey', {}, 'survey: drop_too_long'))).toBe('Sari recorded the survey: Drop cable too long');
	});

	it('says a survey reason in words: only the notes under the survey, the outcome under the move it caused', () => {
		locale = 'id';
		expect(timelineReason(entry('survey', {}, 'survey: feasible — aman'))).toBe('aman');
		expect(timelineReason(entry('survey', {}, 'survey: feasible'))).toBe('');
		expect(timelineReason(entry('moved', {}, 'survey: needs_permit — izin RT'))).toBe('Hasil survei: Perlu izin — izin RT');
		expect(timelineReason(entry('moved', {}, 'pelanggan tidak di rumah'))).toBe('pelanggan tidak di rumah');
	});

	type PortalEntry = Parameters<typeof portalTimelineText>[0];
	const portalEntry = (kind: string, data: Record<string, unknown> = {}) => entry(kind, data) as unknown as PortalEntry;

	it('tells the customer in the portal, in both languages', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			const fallback = portalTimelineText(portalEntry('mystery'));
			for (const kind of ['verified', 'unverified', 'fee_paid', 'fee_unpaid', 'survey']) {
				expect(portalTimelineText(portalEntry(kind, { outcome: 'feasible' })), `${lang} ${kind}`).not.toBe(fallback);
			}
		}
		locale = 'id';
		expect(portalTimelineText(portalEntry('survey', { outcome: 'feasible' }))).toBe('Survei lokasi selesai: Layak dipasang');
	});

	it('names every survey outcome and what it does', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			const names = SURVEY_OUTCOMES.map(surveyOutcomeName);
			expect(new Set(names).size).toBe(SURVEY_OUTCOMES.length);
			for (const [i, name] of names.entries()) expect(name).not.toBe(SURVEY_OUTCOMES[i]);
			expect(surveyEffectText('no_free_port')).not.toBe(surveyEffectText('needs_pole'));
		}
	});

	it('has audit phrases for the identity views and the installation steps', () => {
		locale = 'en';
		expect(auditActionText('identity.view')).toBe("Viewed a customer's NIK or KTP photo");
		for (const action of ['identity.record', 'identity.photo_removed', 'ticket.verify', 'ticket.unverify', 'ticket.fee_paid', 'ticket.fee_unpaid', 'ticket.survey']) {
			expect(auditActionText(action), action).toBeTruthy();
		}
	});
});
