import { describe, expect, it } from 'vitest';
import { formatMinutes, splitMinutes, toMinutes } from './duration';

const words = {
	minutes: ({ count }: { count: number }) => `${count} menit`,
	hours: ({ count }: { count: number }) => `${count} jam`,
	days: ({ count }: { count: number }) => `${count} hari`
};

describe('SLA minutes as hours and days', () => {
	it('picks the largest whole unit', () => {
		expect(splitMinutes(4320)).toEqual({ value: 3, unit: 'days' });
		expect(splitMinutes(240)).toEqual({ value: 4, unit: 'hours' });
		expect(splitMinutes(90)).toEqual({ value: 90, unit: 'minutes' });
		expect(splitMinutes(0)).toEqual({ value: 0, unit: 'minutes' });
	});

	it('says it in words', () => {
		expect(formatMinutes(1440, words)).toBe('1 hari');
		expect(formatMinutes(120, words)).toBe('2 jam');
		expect(formatMinutes(2160, words)).toBe('1 hari 12 jam');
		expect(formatMinutes(90, words)).toBe('1 jam 30 menit');
		expect(formatMinutes(45, words)).toBe('45 menit');
	});

	it('turns typed amounts back into minutes', () => {
		expect(toMinutes('3', 'days')).toBe(4320);
		expect(toMinutes('1,5', 'hours')).toBe(90);
		expect(toMinutes(30, 'minutes')).toBe(30);
		expect(toMinutes('0', 'hours')).toBeNull();
		expect(toMinutes('abc', 'hours')).toBeNull();
		expect(toMinutes('0.5', 'minutes')).toBeNull();
	});
});
