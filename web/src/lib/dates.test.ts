import { describe, expect, it } from 'vitest';
import { addDays, checkPreferredDate, isPreferredWindow, preferredDateBounds } from './dates';

describe('preferred installation date', () => {
	it('adds days across months and years', () => {
		expect(addDays('2026-11-25', 1)).toBe('2026-11-26');
		expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(() => addDays('2026-02-30', 1)).toThrow();
	});

	it('offers tomorrow up to 60 days ahead', () => {
		expect(preferredDateBounds('2026-11-25')).toEqual({ min: '2026-11-26', max: '2027-01-24' });
	});

	it('accepts a day after today within 60 days', () => {
		expect(checkPreferredDate('2026-11-26', '2026-11-25')).toBeNull();
		expect(checkPreferredDate('2027-01-24', '2026-11-25')).toBeNull();
		expect(checkPreferredDate(' 2026-12-01 ', '2026-11-25')).toBeNull();
	});

	it('refuses today, the past, too far ahead, and non-dates', () => {
		expect(checkPreferredDate('2026-11-25', '2026-11-25')).toBe('too_early');
		expect(checkPreferredDate('2026-01-01', '2026-11-25')).toBe('too_early');
		expect(checkPreferredDate('2027-01-25', '2026-11-25')).toBe('too_late');
		expect(checkPreferredDate('', '2026-11-25')).toBe('required');
		expect(checkPreferredDate('2026-11-31', '2026-11-25')).toBe('invalid');
		expect(checkPreferredDate('26/11/2026', '2026-11-25')).toBe('invalid');
	});

	it('knows the two time windows', () => {
		expect(isPreferredWindow('08:00-12:00')).toBe(true);
		expect(isPreferredWindow('13:00-17:00')).toBe(true);
		expect(isPreferredWindow('09:00-10:00')).toBe(false);
	});
});
