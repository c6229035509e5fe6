/**
 * The browser side of sharing a technician's position (the rules are in
 * `position.ts`): once the technician agreed on this device, the phone's
 * position is watched while the technician app is open and on screen, and
 * sent to `POST /api/v1/technicians/me/position` as `shouldSend` decides.
 * Hidden page: the watch stops; visible again: it resumes. Nothing here
 * waits on the network in front of the UI; a failed send is tried again
 * with a later position.
 *
 * The tech layout calls `start(userId)` for as long as it is on screen;
 * the home card calls `enable()`, the profile `disable()`.
 */
import { untrack } from 'svelte';
import { unwrapEmpty } from '$lib/api/client';
import { toApiError } from '$lib/api/problem';
import { authApi } from '$lib/session/index.svelte';
import {
	isFresh,
	positionBody,
	readConsent,
	retryTime,
	SEND_RULES,
	shouldSend,
	writeConsent,
	type Consent,
	type Fix,
	type Sent
} from './position';

/** Where sharing stands, for the line on the tech home and profile. */
export type SharingStatus =
	/** Not agreed on this device, or stopped. */
	| 'off'
	/** No geolocation in this browser (or not over HTTPS). */
	| 'unsupported'
	/** Agreed; no position from the phone yet. */
	| 'waiting'
	/** The browser (or the technician) refused location access. */
	| 'denied'
	/** The phone cannot find where it is (location switched off, no signal). */
	| 'unavailable'
	/** The last send went through. */
	| 'sent'
	/** The last send failed (no connection, server trouble); tried again. */
	| 'failed'
	/** The server refused the point (422); tried again with the next one. */
	| 'refused'
	/** The server does not take positions from this account (403): no more tries this visit. */
	| 'forbidden';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** What the sharing needs from the browser and the server (replaced in tests). */
export interface SharingEnv {
	geolocation(): Pick<Geolocation, 'watchPosition' | 'clearWatch' | 'getCurrentPosition'> | null;
	storage(): Storage | null;
	visible(): boolean;
	/** Calls `listener` when the page is shown or hidden; returns how to stop. */
	onVisibilityChange(listener: () => void): () => void;
	/** Calls `listener` with the site's location permission when it changes; returns how to stop. */
	onPermissionChange(listener: (state: PermissionState) => void): () => void;
	send(body: ReturnType<typeof positionBody>): Promise<void>;
	now(): number;
	/** Calls `fn` every `ms`; returns how to stop. */
	every(fn: () => void, ms: number): () => void;
}

/** How often the watch looks whether a send is due when the phone reports nothing new. */
const TICK_MS = 15_000;
/** A fix asked for afresh may be this old. */
const REFRESH_MAX_AGE_MS = 30_000;
const REFRESH_TIMEOUT_MS = 60_000;
/** A timestamp further than this from the clock is not believed. */
const SANE_TIMESTAMP_MS = 24 * 3_600_000;

const browserEnv: SharingEnv = {
	geolocation() {
		if (typeof navigator === 'undefined' || !('geolocation' in navigator)) return null;
		// Browsers refuse positions to pages not served over HTTPS (localhost aside).
		if (typeof window !== 'undefined' && window.isSecureContext === false) return null;
		return navigator.geolocation;
	},
	storage() {
		try {
			return typeof window === 'undefined' ? null : window.localStorage;
		} catch {
			return null;
		}
	},
	visible() {
		return typeof document === 'undefined' || document.visibilityState !== 'hidden';
	},
	onVisibilityChange(listener) {
		if (typeof document === 'undefined') return () => undefined;
		document.addEventListener('visibilitychange', listener);
		return () => document.removeEventListener('visibilitychange', listener);
	},
	onPermissionChange(listener) {
		let stopped = false;
		let status: PermissionStatus | null = null;
		const changed = () => status && listener(status.state);
		if (typeof navigator !== 'undefined' && navigator.permissions?.query) {
			navigator.permissions
				.query({ name: 'geolocation' })
				.then((s) => {
					if (stopped) return;
					status = s;
					s.addEventListener('change', changed);
				})
				.catch(() => undefined);
		}
		return () => {
			stopped = true;
			status?.removeEventListener('change', changed);
		};
	},
	send(body) {
		return unwrapEmpty(authApi.POST('/api/v1/technicians/me/position', { body }));
	},
	now: () => Date.now(),
	every(fn, ms) {
		const id = setInterval(fn, ms);
		return () => clearInterval(id);
	}
};

export class PositionSharing {
	/** The technician's choice on this device. */
	consent = $state<Consent>('off');
	status = $state<SharingStatus>('off');
	/** When the server last took a position (ms), this visit. */
	lastSentAt = $state<number | null>(null);
	/** Where the phone last said it is (while sharing), for the distance to each job. */
	here = $state.raw<{ lat: number; lng: number } | null>(null);
	/** False when the choice could not be stored on the device (it then holds for this visit only). */
	remembered = $state(true);

	#env: SharingEnv;
	#userId: string | null = null;
	#watchId: number | null = null;
	#stopTick: (() => void) | null = null;
	#latest: Fix | null = null;
	#last: Sent | null = null;
	#retryAt: number | null = null;
	#sending = false;
	#refreshing = false;
	/** The server said no to this account (403): no more tries until started again. */
	#blocked = false;

	constructor(env: SharingEnv = browserEnv) {
		this.#env = env;
	}

	/**
	 * Shares for `userId` (once they agreed) until the returned function is
	 * called. Meant for an effect: what it reads is not tracked.
	 */
	start(userId: string): () => void {
		return untrack(() => this.#start(userId));
	}

	#start(userId: string): () => void {
		if (this.#userId !== userId) this.#reset();
		this.#userId = userId;
		this.#blocked = false;
		this.consent = readConsent(this.#env.storage(), userId);
		this.remembered = true;
		const stopVisibility = this.#env.onVisibilityChange(() => this.#sync());
		const stopPermission = this.#env.onPermissionChange((state) => {
			if (state === 'denied') {
				this.#unwatch();
				if (this.consent === 'on') this.status = 'denied';
			} else if (this.status === 'denied') {
				// Allowed in the browser's settings: try again.
				this.#unwatch();
				this.#sync();
			}
		});
		this.#sync();
		return () => {
			stopVisibility();
			stopPermission();
			this.#unwatch();
			if (this.#userId === userId) this.#userId = null;
		};
	}

	/** The technician agreed: remember it and start (from a tap, so the browser may ask for permission). */
	enable(): void {
		if (!this.#userId) return;
		this.consent = 'on';
		this.remembered = writeConsent(this.#env.storage(), this.#userId, 'on');
		this.#blocked = false;
		if (this.status === 'off' || this.status === 'forbidden') this.status = 'waiting';
		this.#sync();
	}

	/** The technician stopped sharing on this device. */
	disable(): void {
		this.consent = 'off';
		if (this.#userId) this.remembered = writeConsent(this.#env.storage(), this.#userId, 'off');
		this.#unwatch();
		this.#latest = null;
		this.status = 'off';
	}

	#reset(): void {
		this.#unwatch();
		this.#latest = null;
		this.#last = null;
		this.#retryAt = null;
		this.lastSentAt = null;
		this.status = 'off';
	}

	/** Watches when agreed and on screen, and not otherwise. */
	#sync(): void {
		const wanted = this.#userId !== null && this.consent === 'on' && !this.#blocked && this.#env.visible();
		if (!wanted) {
			this.#unwatch();
			if (this.consent === 'off') this.status = 'off';
			return;
		}
		if (this.#watchId !== null) return;
		const geo = this.#env.geolocation();
		if (!geo) {
			this.status = 'unsupported';
			return;
		}
		if (this.status === 'off' || this.status === 'unsupported') this.status = 'waiting';
		this.#watchId = geo.watchPosition(
			(p) => this.#fix(p, false),
			(e) => this.#failure(e),
			{ enableHighAccuracy: true, maximumAge: REFRESH_MAX_AGE_MS }
		);
		this.#stopTick = this.#env.every(() => this.#maybeSend(), TICK_MS);
	}

	#unwatch(): void {
		if (this.#watchId !== null) this.#env.geolocation()?.clearWatch(this.#watchId);
		this.#watchId = null;
		this.#stopTick?.();
		this.#stopTick = null;
	}

	#fix(p: GeolocationPosition, askedNow: boolean): void {
		const now = this.#env.now();
		const ts = p.timestamp;
		// A fix asked for just now is taken as now; otherwise the phone's time, when believable.
		const at = !askedNow && Number.isFinite(ts) && Math.abs(now - ts) < SANE_TIMESTAMP_MS ? Math.min(ts, now) : now;
		this.#latest = { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy, at };
		this.here = { lat: p.coords.latitude, lng: p.coords.longitude };
		if (this.status === 'denied' || this.status === 'unavailable') this.status = this.lastSentAt === null ? 'waiting' : 'sent';
		this.#maybeSend();
	}

	#failure(e: GeolocationPositionError): void {
		if (e.code === e.PERMISSION_DENIED) {
			this.#unwatch();
			this.status = 'denied';
		} else if (e.code === e.POSITION_UNAVAILABLE) {
			this.status = 'unavailable';
		}
		// A timeout says nothing new: the watch goes on.
	}

	/** Sends the latest position when the rules say so; a fix too old to stand for "now" is asked for afresh first. */
	#maybeSend(): void {
		const fix = this.#latest;
		const user = this.#userId;
		if (!fix || !user || this.#sending || this.#watchId === null || !this.#env.visible()) return;
		const now = this.#env.now();
		if (!shouldSend({ last: this.#last, retryAt: this.#retryAt }, fix, now)) return;
		if (!isFresh(fix, now, SEND_RULES)) {
			this.#refresh();
			return;
		}
		this.#sending = true;
		this.#env
			.send(positionBody(fix))
			.then(
				() => {
					if (this.#userId !== user) return;
					this.#last = { lat: fix.lat, lng: fix.lng, at: now };
					this.#retryAt = null;
					this.lastSentAt = this.#env.now();
					this.status = 'sent';
				},
				(e: unknown) => {
					if (this.#userId !== user) return;
					const error = toApiError(e);
					this.#retryAt = retryTime(this.#env.now(), error.retryAfter);
					if (error.status === 403) {
						this.#blocked = true;
						this.#unwatch();
						this.status = 'forbidden';
					} else {
						this.status = error.status === 422 ? 'refused' : 'failed';
					}
				}
			)
			.finally(() => (this.#sending = false));
	}

	#refresh(): void {
		const geo = this.#env.geolocation();
		if (!geo || this.#refreshing) return;
		this.#refreshing = true;
		geo.getCurrentPosition(
			(p) => {
				this.#refreshing = false;
				if (this.#watchId !== null) this.#fix(p, true);
			},
			(e) => {
				this.#refreshing = false;
				if (e.code === e.PERMISSION_DENIED) this.#failure(e);
			},
			{ enableHighAccuracy: true, maximumAge: REFRESH_MAX_AGE_MS, timeout: REFRESH_TIMEOUT_MS }
		);
	}
}

/** The app's one sharing, kept across the technician app's pages. */
export const positionSharing = new PositionSharing();
