import { describe, expect, it } from 'vitest';
import { checkInPosition, historyCount, offersCheckIn } from './field-day';

describe('offersCheckIn', () => {
	it('offers it today until checked in', () => {
		expect(offersCheckIn({ checked_in_at: null }, true)).toBe(true);
		expect(offersCheckIn({ checked_in_at: undefined }, true)).toBe(true);
		expect(offersCheckIn({ checked_in_at: '2026-12-01T00:42:00Z' }, true)).toBe(false);
	});

	it('not on another day, nor before the day is read', () => {
		expect(offersCheckIn({ checked_in_at: null }, false)).toBe(false);
		expect(offersCheckIn(null, true)).toBe(false);
	});
});

describe('checkInPosition', () => {
	it('sends the fix with its accuracy', () => {
		expect(checkInPosition({ lat: -6.9147, lng: 107.6098, accuracy: 20 })).toEqual({ lat: -6.9147, lng: 107.6098, accuracy_m: 20 });
		expect(checkInPosition({ lat: -6.9, lng: 107.6, accuracy: null })).toEqual({ lat: -6.9, lng: 107.6, accuracy_m: null });
		expect(checkInPosition({ lat: -6.9, lng: 107.6, accuracy: Number.NaN })).toEqual({ lat: -6.9, lng: 107.6, accuracy_m: null });
	});

	it('no fix, no position', () => {
		expect(checkInPosition(null)).toBeNull();
		expect(checkInPosition({ lat: Number.NaN, lng: 107.6, accuracy: 5 })).toBeNull();
	});
});

describe('historyCount', () => {
	it('counts tickets and units', () => {
		expect(historyCount({ tickets: [], equipment: [] })).toBe(0);
		expect(historyCount({ tickets: [{} as never, {} as never], equipment: [{} as never] })).toBe(3);
	});
});
