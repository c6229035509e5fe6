import { describe, expect, it } from 'vitest';
import {
	clockTime,
	distanceMetres,
	isFresh,
	isValidPoint,
	movedFrom,
	positionBody,
	readConsent,
	retryTime,
	SEND_RULES,
	shouldSend,
	writeConsent,
	type Fix
} from './position';

// Gedung Sate, Bandung.
const SATE = { lat: -6.902477, lng: 107.618782 };
/** A point `metres` north of `p` (1° of latitude ≈ 111 195 m). */
function north(p: { lat: number; lng: number }, metres: number) {
	return { lat: p.lat + metres / 111_195, lng: p.lng };
}
const T0 = Date.UTC(2026, 10, 25, 7, 5);
const fix = (p: { lat: number; lng: number }, at: number, accuracy?: number): Fix => ({ ...p, at, accuracy });

describe('distanceMetres', () => {
	it('is zero for the same point', () => {
		expect(distanceMetres(SATE, SATE)).toBe(0);
	});

	it('measures short distances to the metre', () => {
		expect(distanceMetres(SATE, north(SATE, 200))).toBeCloseTo(200, 0);
		// Along the equator 0.001° of longitude is about 111 m.
		expect(distanceMetres({ lat: 0, lng: 106.8 }, { lat: 0, lng: 106.801 })).toBeCloseTo(111.2, 0);
	});

	it('is symmetric and right over longer ones (Jakarta Monas to Gedung Sate ≈ 117 km)', () => {
		const monas = { lat: -6.175392, lng: 106.827153 };
		const d = distanceMetres(monas, SATE);
		expect(d).toBeCloseTo(distanceMetres(SATE, monas), 6);
		expect(d / 1000).toBeGreaterThan(115);
		expect(d / 1000).toBeLessThan(120);
	});

	it('stays finite for opposite points', () => {
		expect(distanceMetres({ lat: 0, lng: 0 }, { lat: 0, lng: 180 })).toBeCloseTo(Math.PI * 6_371_008.8, -1);
	});
});

describe('isValidPoint', () => {
	it('takes points on the globe and refuses the rest', () => {
		expect(isValidPoint(SATE)).toBe(true);
		expect(isValidPoint({ lat: 90, lng: -180 })).toBe(true);
		expect(isValidPoint({ lat: 91, lng: 0 })).toBe(false);
		expect(isValidPoint({ lat: 0, lng: 180.5 })).toBe(false);
		expect(isValidPoint({ lat: Number.NaN, lng: 0 })).toBe(false);
		expect(isValidPoint({ lat: 0, lng: Number.POSITIVE_INFINITY })).toBe(false);
	});
});

describe('movedFrom', () => {
	it('counts more than 200 m as a move', () => {
		expect(movedFrom(SATE, fix(north(SATE, 250), T0, 10))).toBe(true);
		expect(movedFrom(SATE, fix(north(SATE, 150), T0, 10))).toBe(false);
		expect(movedFrom(SATE, fix(north(SATE, 199), T0, 10))).toBe(false);
	});

	it('does not count a jump smaller than the fix’s own accuracy', () => {
		expect(movedFrom(SATE, fix(north(SATE, 600), T0, 1500))).toBe(false);
		expect(movedFrom(SATE, fix(north(SATE, 600), T0, 300))).toBe(true);
		expect(movedFrom(SATE, fix(north(SATE, 600), T0))).toBe(true);
	});
});

describe('shouldSend', () => {
	const last = { ...SATE, at: T0 };

	it('sends the first position at once', () => {
		expect(shouldSend({ last: null }, fix(SATE, T0), T0)).toBe(true);
	});

	it('waits 2 minutes when the phone stays put', () => {
		const here = fix(north(SATE, 20), T0 + 60_000, 8);
		expect(shouldSend({ last }, here, T0 + 60_000)).toBe(false);
		expect(shouldSend({ last }, here, T0 + 119_999)).toBe(false);
		expect(shouldSend({ last }, here, T0 + 120_000)).toBe(true);
	});

	it('sends at once after a move of more than 200 m', () => {
		expect(shouldSend({ last }, fix(north(SATE, 201), T0 + 5_000, 10), T0 + 5_000)).toBe(true);
		expect(shouldSend({ last }, fix(north(SATE, 199), T0 + 5_000, 10), T0 + 5_000)).toBe(false);
	});

	it('waits 30 s after a failed send, then tries again with the next position', () => {
		const state = { last, retryAt: retryTime(T0 + 130_000) };
		const next = fix(SATE, T0 + 140_000);
		expect(shouldSend(state, next, T0 + 140_000)).toBe(false);
		expect(shouldSend(state, fix(north(SATE, 500), T0 + 150_000), T0 + 150_000)).toBe(false);
		expect(shouldSend(state, fix(SATE, T0 + 160_000), T0 + 160_000)).toBe(true);
		// A failure before anything was sent is retried the same way.
		expect(shouldSend({ last: null, retryAt: retryTime(T0) }, fix(SATE, T0 + 10_000), T0 + 10_000)).toBe(false);
		expect(shouldSend({ last: null, retryAt: retryTime(T0) }, fix(SATE, T0 + 30_000), T0 + 30_000)).toBe(true);
	});

	it('waits as long as the server asked after a refusal for too many requests', () => {
		expect(retryTime(T0, 300)).toBe(T0 + 300_000);
		// A shorter wait than ours, or none, still waits 30 s.
		expect(retryTime(T0, 5)).toBe(T0 + 30_000);
		expect(retryTime(T0, null)).toBe(T0 + 30_000);
		const state = { last, retryAt: retryTime(T0 + 130_000, 300) };
		expect(shouldSend(state, fix(SATE, T0 + 200_000), T0 + 200_000)).toBe(false);
		expect(shouldSend(state, fix(SATE, T0 + 430_000), T0 + 430_000)).toBe(true);
	});

	it('never sends a point the server would refuse', () => {
		expect(shouldSend({ last: null }, fix({ lat: 95, lng: 10 }, T0), T0)).toBe(false);
	});

	it('follows other rules when given', () => {
		const rules = { ...SEND_RULES, intervalMs: 10_000, moveMetres: 50 };
		expect(shouldSend({ last }, fix(north(SATE, 60), T0 + 1_000, 5), T0 + 1_000, rules)).toBe(true);
		expect(shouldSend({ last }, fix(SATE, T0 + 10_000), T0 + 10_000, rules)).toBe(true);
	});
});

describe('isFresh', () => {
	it('takes a fix of the last minute', () => {
		expect(isFresh(fix(SATE, T0), T0 + 60_000)).toBe(true);
		expect(isFresh(fix(SATE, T0), T0 + 60_001)).toBe(false);
	});
});

describe('positionBody', () => {
	it('sends the accuracy rounded, and leaves out an unknown one', () => {
		expect(positionBody(fix(SATE, T0, 12.6))).toEqual({ ...SATE, accuracy_m: 13 });
		expect(positionBody(fix(SATE, T0))).toEqual(SATE);
		expect(positionBody({ ...SATE, at: T0, accuracy: Number.NaN })).toEqual(SATE);
	});
});

describe('consent on the device', () => {
	function memory() {
		const data = new Map<string, string>();
		return {
			data,
			getItem: (k: string) => data.get(k) ?? null,
			setItem: (k: string, v: string) => void data.set(k, v),
			removeItem: (k: string) => void data.delete(k)
		};
	}

	it('is off until the technician agrees, and per account', () => {
		const storage = memory();
		expect(readConsent(storage, 'u1')).toBe('off');
		expect(writeConsent(storage, 'u1', 'on')).toBe(true);
		expect(readConsent(storage, 'u1')).toBe('on');
		expect(readConsent(storage, 'u2')).toBe('off');
		expect(writeConsent(storage, 'u1', 'off')).toBe(true);
		expect(readConsent(storage, 'u1')).toBe('off');
		expect(storage.data.size).toBe(0);
	});

	it('reads garbage as off and survives blocked storage', () => {
		const storage = memory();
		storage.data.set('netcrew.position.u1', 'yes');
		expect(readConsent(storage, 'u1')).toBe('off');
		const blocked = {
			getItem: () => {
				throw new Error('blocked');
			},
			setItem: () => {
				throw new Error('blocked');
			},
			removeItem: () => {
				throw new Error('blocked');
			}
		};
		expect(readConsent(blocked, 'u1')).toBe('off');
		expect(writeConsent(blocked, 'u1', 'on')).toBe(false);
		expect(writeConsent(null, 'u1', 'on')).toBe(false);
	});
});

describe('clockTime', () => {
	it('shows the hour and minute in the ISP’s zone, in each language’s style', () => {
		// 07:05 UTC is 14:05 in Jakarta (WIB).
		expect(clockTime(T0, 'id', 'Asia/Jakarta')).toBe('14.05');
		expect(clockTime(T0, 'en', 'Asia/Jakarta')).toBe('14:05');
		expect(clockTime(T0, 'id', 'Asia/Makassar')).toBe('15.05');
	});

	it('falls back to the device’s zone for an unknown one', () => {
		expect(clockTime(T0, 'en', 'Not/AZone')).toMatch(/^\d\d:\d\d$/);
	});
});
