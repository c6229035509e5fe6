import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { kmWords, onSiteText } from '$lib/i18n/day';
import { attachmentHref, beritaAcara, clockTime, filterReviews, hoursAndMinutes, kmText, metresText, reworkNote, shiftDay, type JobReview } from './review';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'id'));

describe('time on site and distance', () => {
	it('splits minutes into hours and minutes, rounding and never below zero', () => {
		expect(hoursAndMinutes(135)).toEqual({ hours: 2, minutes: 15 });
		expect(hoursAndMinutes(45)).toEqual({ hours: 0, minutes: 45 });
		expect(hoursAndMinutes(60)).toEqual({ hours: 1, minutes: 0 });
		expect(hoursAndMinutes(59.6)).toEqual({ hours: 1, minutes: 0 });
		expect(hoursAndMinutes(-5)).toEqual({ hours: 0, minutes: 0 });
		expect(hoursAndMinutes(Number.NaN)).toEqual({ hours: 0, minutes: 0 });
	});

	it('says the time on site in hours and minutes, in both languages', () => {
		locale = 'id';
		expect(onSiteText(135)).toBe('2 j 15 mnt');
		expect(onSiteText(120)).toBe('2 j 0 mnt');
		expect(onSiteText(45)).toBe('45 menit');
		expect(onSiteText(0)).toBe('0 menit');
		locale = 'en';
		expect(onSiteText(135)).toBe('2 h 15 min');
		locale = 'id';
	});

	it('gives kilometres with one decimal, the reader\'s way', () => {
		expect(kmText(12_345, 'id')).toBe('12,3');
		expect(kmText(12_345, 'en')).toBe('12.3');
		expect(kmText(0, 'id')).toBe('0,0');
		expect(kmText(950, 'id')).toBe('1,0');
		expect(kmText(1_234_567, 'id')).toBe('1.234,6');
		expect(kmText(-3, 'en')).toBe('0.0');
		locale = 'id';
		expect(kmWords(4_050)).toBe('4,1 km');
		locale = 'en';
		expect(kmWords(4_050)).toBe('4.1 km');
		locale = 'id';
		expect(metresText(1234.4, 'id')).toBe('1.234');
	});

	it('tells a time of day in the ISP\'s zone and moves days by the calendar', () => {
		expect(clockTime('2026-03-02T01:05:00Z', 'id', 'Asia/Jakarta')).toBe('08.05');
		expect(clockTime('2026-03-02T01:05:00Z', 'en', 'Asia/Jakarta')).toBe('08:05');
		expect(clockTime(null, 'id', 'Asia/Jakarta')).toBe('—');
		expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
		expect(shiftDay('2024-12-31', 1)).toBe('2025-01-01');
		expect(shiftDay('nonsense', 1)).toBe('nonsense');
	});
});

describe('why a job came back', () => {
	const rework = (at: string, comment: string, ticket_id = 't1') => ({ kind: 'job_rework', ticket_id, created_at: at, data: { by: 'Sari', comment } });
	const review = (decision: 'approved' | 'rework', at: string, comment = ''): JobReview => ({ decision, comment, reviewed: { at, name: 'Sari', user_id: 'u1' } });

	it('picks the newest rework notification of that ticket', () => {
		const notes = [
			rework('2026-03-01T02:00:00Z', 'Foto ODP buram'),
			rework('2026-03-02T02:00:00Z', 'Tanda tangan pelanggan kosong'),
			rework('2026-03-03T02:00:00Z', 'Lain tiket', 't2'),
			{ kind: 'ticket_assigned', ticket_id: 't1', created_at: '2026-03-04T00:00:00Z', data: { by: 'Sari' } }
		];
		expect(reworkNote('t1', notes)).toEqual({ by: 'Sari', comment: 'Tanda tangan pelanggan kosong', at: '2026-03-02T02:00:00Z' });
		expect(reworkNote('t3', notes)).toBeNull();
		expect(reworkNote('t1', [rework('2026-03-01T02:00:00Z', '  ')])).toBeNull();
	});

	it('takes the documentation\'s review when it is newer, and nothing once approved', () => {
		const notes = [rework('2026-03-01T02:00:00Z', 'Foto ODP buram')];
		expect(reworkNote('t1', [], review('rework', '2026-03-05T00:00:00Z', 'Ukur ulang redaman'))).toEqual({ by: 'Sari', comment: 'Ukur ulang redaman', at: '2026-03-05T00:00:00Z' });
		expect(reworkNote('t1', notes, review('rework', '2026-02-01T00:00:00Z', 'lama'))?.comment).toBe('Foto ODP buram');
		expect(reworkNote('t1', notes, review('approved', '2026-03-05T00:00:00Z'))).toBeNull();
		expect(reworkNote('t1', notes, review('approved', '2026-02-01T00:00:00Z'))?.comment).toBe('Foto ODP buram');
		expect(reworkNote('t1', [], null)).toBeNull();
	});
});

describe('the review queue and the Berita Acara', () => {
	const jobs = [
		{ number: 'TRB-2026-000101', customer_name: 'Ibu Sari Wulandari', technician_name: 'Budi Santoso' },
		{ number: 'INS-2026-000007', customer_name: 'Pak Joko', technician_name: null },
		{ number: 'TRB-2026-000102', customer_name: 'Dewi Lestari', technician_name: 'Agus' }
	];

	it('finds jobs by number, customer or technician, every word typed', () => {
		expect(filterReviews(jobs, '')).toHaveLength(3);
		expect(filterReviews(jobs, '  ').map((j) => j.number)).toHaveLength(3);
		expect(filterReviews(jobs, '000101').map((j) => j.number)).toEqual(['TRB-2026-000101']);
		expect(filterReviews(jobs, 'joko').map((j) => j.number)).toEqual(['INS-2026-000007']);
		expect(filterReviews(jobs, 'BUDI  trb').map((j) => j.number)).toEqual(['TRB-2026-000101']);
		expect(filterReviews(jobs, 'trb agus').map((j) => j.number)).toEqual(['TRB-2026-000102']);
		expect(filterReviews(jobs, 'nobody')).toEqual([]);
	});

	it('picks the newest Berita Acara still kept, and links to its bytes', () => {
		const file = (id: string, file_name: string, created_at: string, over: Record<string, unknown> = {}) => ({ id, file_name, created_at, content_type: 'application/pdf', removed_at: null, ...over });
		const files = [
			file('a', 'BA-TRB-2026-000101.pdf', '2026-03-01T00:00:00Z'),
			file('b', 'BA-TRB-2026-000101-R1.pdf', '2026-03-02T00:00:00Z'),
			file('c', 'photo_odp.jpg', '2026-03-03T00:00:00Z', { content_type: 'image/jpeg' }),
			file('d', 'surat.pdf', '2026-03-04T00:00:00Z')
		];
		expect(beritaAcara(files)?.id).toBe('b');
		expect(beritaAcara([files[0]!, { ...files[1]!, removed_at: '2026-04-01T00:00:00Z' }])?.id).toBe('a');
		expect(beritaAcara(files.slice(2))).toBeNull();
		expect(attachmentHref('b')).toBe('/api/v1/attachments/b/content');
	});
});
