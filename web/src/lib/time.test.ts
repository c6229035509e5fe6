import { describe, expect, it } from 'vitest';
import { dayStart, formatDate, formatDateTime, todayIn, zoneOffsetMinutes } from './time';

describe('Jakarta time', () => {
	const noonUtc = '2026-11-25T12:05:00Z';

	it('shows UTC times in Asia/Jakarta (UTC+7) whatever the device zone', () => {
		expect(formatDateTime(noonUtc, 'id')).toBe('25 Nov 2026, 19.05 WIB');
		expect(formatDateTime(noonUtc, 'en')).toBe('25 Nov 2026, 19:05 GMT+7');
	});

	it('crosses midnight into the next Jakarta day', () => {
		expect(formatDate('2026-11-25T18:30:00Z', 'id')).toBe('26 Nov 2026');
		expect(formatDateTime('2026-11-25T18:30:00Z', 'id', 'Asia/Jakarta')).toBe('26 Nov 2026, 01.30 WIB');
	});

	it('follows a configured zone and falls back on an unknown one', () => {
		expect(formatDateTime(noonUtc, 'id', 'Asia/Makassar')).toBe('25 Nov 2026, 20.05 WITA');
		expect(formatDateTime(noonUtc, 'id', 'Mars/Olympus')).toBe('25 Nov 2026, 19.05 WIB');
	});

	it('shows a dash for a missing or broken time', () => {
		expect(formatDateTime(null, 'id')).toBe('—');
		expect(formatDateTime('not a date', 'en')).toBe('—');
	});

	it('turns a Jakarta calendar day into UTC instants', () => {
		expect(zoneOffsetMinutes('Asia/Jakarta', new Date(noonUtc))).toBe(420);
		expect(dayStart('2026-11-25', 'Asia/Jakarta')).toBe('2026-11-24T17:00:00.000Z');
		expect(dayStart('2026-11-25', 'Asia/Jakarta', true)).toBe('2026-11-25T17:00:00.000Z');
		expect(dayStart('2026-12-31', 'Asia/Jakarta', true)).toBe('2026-12-31T17:00:00.000Z');
		expect(dayStart('25/11/2026', 'Asia/Jakarta')).toBeNull();
	});

	it("knows today's date in Jakarta", () => {
		expect(todayIn('Asia/Jakarta', new Date('2026-11-25T18:00:00Z'))).toBe('2026-11-26');
		expect(todayIn('Asia/Jakarta', new Date('2026-11-25T16:59:00Z'))).toBe('2026-11-25');
	});
});
