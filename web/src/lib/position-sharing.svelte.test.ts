import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api/problem';
import { PositionSharing, type SharingEnv } from './position-sharing.svelte';

// The server here is `fakeEnv`'s; the app's session is not needed.
vi.mock('$lib/session/index.svelte', () => ({ authApi: {} }));

const SATE = { lat: -6.902477, lng: 107.618782 };
const T0 = Date.UTC(2026, 10, 25, 7, 5);

type Success = (p: GeolocationPosition) => void;
type Failure = (e: GeolocationPositionError) => void;

function position(lat: number, lng: number, timestamp: number, accuracy = 10): GeolocationPosition {
	return { coords: { latitude: lat, longitude: lng, accuracy }, timestamp } as unknown as GeolocationPosition;
}

function geoError(code: 1 | 2 | 3): GeolocationPositionError {
	return { code, message: '', PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3 } as GeolocationPositionError;
}

/** A phone, a page and a server, all pretend. */
function fakeEnv() {
	const store = new Map<string, string>();
	const watches = new Map<number, { ok: Success; fail: Failure; options?: PositionOptions }>();
	const asks: { ok: Success; fail: Failure }[] = [];
	const visibility = new Set<() => void>();
	const permission = new Set<(s: PermissionState) => void>();
	const sent: unknown[] = [];
	let nextWatch = 1;
	let visible = true;
	let answer: () => Promise<void> = () => Promise.resolve();
	const env: SharingEnv = {
		geolocation: () => ({
			watchPosition(ok: Success, fail?: Failure | null, options?: PositionOptions) {
				watches.set(nextWatch, { ok, fail: fail ?? (() => undefined), options });
				return nextWatch++;
			},
			clearWatch: (id: number) => void watches.delete(id),
			getCurrentPosition(ok: Success, fail?: Failure | null) {
				asks.push({ ok, fail: fail ?? (() => undefined) });
			}
		}),
		storage: () => ({
			getItem: (k) => store.get(k) ?? null,
			setItem: (k, v) => void store.set(k, v),
			removeItem: (k) => void store.delete(k)
		}),
		visible: () => visible,
		onVisibilityChange(listener) {
			visibility.add(listener);
			return () => visibility.delete(listener);
		},
		onPermissionChange(listener) {
			permission.add(listener);
			return () => permission.delete(listener);
		},
		send(body) {
			sent.push(body);
			return answer();
		},
		now: () => Date.now(),
		every(fn, ms) {
			const id = setInterval(fn, ms);
			return () => clearInterval(id);
		}
	};
	return {
		env,
		store,
		watches,
		asks,
		sent,
		/** The phone reports a position to every watch. */
		move(lat: number, lng: number, accuracy = 10) {
			for (const w of watches.values()) w.ok(position(lat, lng, Date.now(), accuracy));
		},
		fail(code: 1 | 2 | 3) {
			for (const w of [...watches.values()]) w.fail(geoError(code));
		},
		setVisible(v: boolean) {
			visible = v;
			for (const l of visibility) l();
		},
		permissionChanged(s: PermissionState) {
			for (const l of permission) l(s);
		},
		answerWith(fn: () => Promise<void>) {
			answer = fn;
		},
		listeners: () => visibility.size + permission.size
	};
}

/** A point `metres` north of SATE. */
const north = (metres: number) => SATE.lat + metres / 111_195;

describe('sharing the technician’s position', () => {
	beforeEach(() => {
		vi.useFakeTimers();
		vi.setSystemTime(T0);
	});
	afterEach(() => vi.useRealTimers());

	it('watches nothing until the technician agreed, then remembers it on the device', async () => {
		const fake = fakeEnv();
		const sharing = new PositionSharing(fake.env);
		const stop = sharing.start('u1');
		expect(sharing.consent).toBe('off');
		expect(sharing.status).toBe('off');
		expect(fake.watches.size).toBe(0);

		sharing.enable();
		expect(fake.store.get('netcrew.position.u1')).toBe('on');
		expect(fake.watches.size).toBe(1);
		expect([...fake.watches.values()][0]!.options?.enableHighAccuracy).toBe(true);
		expect(sharing.status).toBe('waiting');

		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.sent).toEqual([{ ...SATE, accuracy_m: 10 }]);
		expect(sharing.status).toBe('sent');
		expect(sharing.lastSentAt).toBe(T0);
		// Where the phone is, for the distance to each job on the cards.
		expect(sharing.here).toEqual({ lat: SATE.lat, lng: SATE.lng });

		stop();
		expect(fake.watches.size).toBe(0);
		expect(fake.listeners()).toBe(0);

		// Next visit: agreed already.
		const again = new PositionSharing(fake.env);
		again.start('u1');
		expect(again.consent).toBe('on');
		expect(fake.watches.size).toBe(1);
	});

	it('sends at most every 2 minutes, and at once after a move of more than 200 m', async () => {
		const fake = fakeEnv();
		fake.store.set('netcrew.position.u1', 'on');
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1');
		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(10_000);
		fake.move(north(50), SATE.lng);
		await vi.advanceTimersByTimeAsync(10_000);
		expect(fake.sent).toHaveLength(1);

		fake.move(north(300), SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.sent).toHaveLength(2);
		expect(sharing.lastSentAt).toBe(T0 + 20_000);

		// Standing still: the phone reports nothing new; after 2 minutes a fresh fix is asked for and sent.
		await vi.advanceTimersByTimeAsync(110_000);
		expect(fake.asks).toHaveLength(0);
		// The watch looks every 15 s: the next look after 2 minutes asks.
		await vi.advanceTimersByTimeAsync(25_000);
		expect(fake.sent).toHaveLength(2);
		expect(fake.asks).toHaveLength(1);
		fake.asks[0]!.ok(position(north(300), SATE.lng, Date.now() - 5_000));
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.sent).toHaveLength(3);
	});

	it('stops watching while the page is hidden and picks up when it is shown', async () => {
		const fake = fakeEnv();
		fake.store.set('netcrew.position.u1', 'on');
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1');
		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(0);

		fake.setVisible(false);
		expect(fake.watches.size).toBe(0);
		await vi.advanceTimersByTimeAsync(600_000);
		expect(fake.sent).toHaveLength(1);
		expect(fake.asks).toHaveLength(0);

		fake.setVisible(true);
		expect(fake.watches.size).toBe(1);
		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.sent).toHaveLength(2);
	});

	it('sends nothing when the browser denies location, and starts again once allowed', async () => {
		const fake = fakeEnv();
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1');
		sharing.enable();
		fake.fail(1);
		expect(sharing.status).toBe('denied');
		expect(fake.watches.size).toBe(0);
		await vi.advanceTimersByTimeAsync(300_000);
		expect(fake.sent).toHaveLength(0);

		fake.permissionChanged('granted');
		expect(fake.watches.size).toBe(1);
		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(sharing.status).toBe('sent');
		expect(fake.sent).toHaveLength(1);
	});

	it('says when the phone cannot find itself, and goes on watching', async () => {
		const fake = fakeEnv();
		fake.store.set('netcrew.position.u1', 'on');
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1');
		fake.fail(2);
		expect(sharing.status).toBe('unavailable');
		expect(fake.watches.size).toBe(1);
		fake.fail(3);
		expect(sharing.status).toBe('unavailable');
		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(sharing.status).toBe('sent');
	});

	it('tries a failed send again with a later position, not at once', async () => {
		const fake = fakeEnv();
		fake.store.set('netcrew.position.u1', 'on');
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1');
		fake.answerWith(() => Promise.reject(new ApiError('network', 0, null)));
		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(sharing.status).toBe('failed');
		expect(sharing.lastSentAt).toBeNull();

		fake.answerWith(() => Promise.resolve());
		fake.move(north(10), SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.sent).toHaveLength(1);

		await vi.advanceTimersByTimeAsync(30_000);
		fake.move(north(20), SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(fake.sent).toHaveLength(2);
		expect(sharing.status).toBe('sent');
	});

	it('says when the server refuses the point, and gives up on a 403', async () => {
		const fake = fakeEnv();
		fake.store.set('netcrew.position.u1', 'on');
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1');
		fake.answerWith(() => Promise.reject(new ApiError('validation', 422, null)));
		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(sharing.status).toBe('refused');

		fake.answerWith(() => Promise.reject(new ApiError('forbidden', 403, null)));
		await vi.advanceTimersByTimeAsync(30_000);
		fake.move(SATE.lat, SATE.lng);
		await vi.advanceTimersByTimeAsync(0);
		expect(sharing.status).toBe('forbidden');
		expect(fake.watches.size).toBe(0);
		fake.setVisible(false);
		fake.setVisible(true);
		expect(fake.watches.size).toBe(0);
	});

	it('stops on the profile and forgets the choice', async () => {
		const fake = fakeEnv();
		fake.store.set('netcrew.position.u1', 'on');
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1');
		sharing.disable();
		expect(fake.store.has('netcrew.position.u1')).toBe(false);
		expect(fake.watches.size).toBe(0);
		expect(sharing.status).toBe('off');
		fake.setVisible(false);
		fake.setVisible(true);
		expect(fake.watches.size).toBe(0);
		await vi.advanceTimersByTimeAsync(300_000);
		expect(fake.sent).toHaveLength(0);
	});

	it('asks each technician on a shared phone', () => {
		const fake = fakeEnv();
		fake.store.set('netcrew.position.u1', 'on');
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1')();
		sharing.start('u2');
		expect(sharing.consent).toBe('off');
		expect(fake.watches.size).toBe(0);
	});

	it('says so when the browser has no location', () => {
		const fake = fakeEnv();
		fake.env.geolocation = () => null;
		fake.store.set('netcrew.position.u1', 'on');
		const sharing = new PositionSharing(fake.env);
		sharing.start('u1');
		expect(sharing.status).toBe('unsupported');
	});
});
