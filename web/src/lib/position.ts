/**
 * Sharing the technician's position while the app is open: the rules, with
 * no browser in them (the glue is `position-sharing.svelte.ts`). A web app
 * gets no position in the background, so dispatch sees where the phone was
 * the last time the app was on screen.
 *
 * - At most one position every 2 minutes, and at once when the phone moved
 *   more than 200 m from the last one sent (a move smaller than the fix's
 *   own accuracy is GPS wobble, not a move).
 * - A failed send is tried again with a later position, not before 30 s.
 * - A re-send only carries a fix taken in the last minute; an older one is
 *   asked for afresh first.
 */

export interface Point {
	lat: number;
	lng: number;
}

/** A position from the phone, with when it was taken (ms since the epoch) and its accuracy in metres. */
export interface Fix extends Point {
	at: number;
	accuracy?: number | null;
}

/** The last position the server kept, and when it was sent (ms since the epoch). */
export interface Sent extends Point {
	at: number;
}

export interface SendRules {
	/** No two sends closer than this, unless the phone moved. */
	intervalMs: number;
	/** A move of more than this is sent at once. */
	moveMetres: number;
	/** After a failed send, wait this long before trying again. */
	retryMs: number;
	/** A fix older than this is asked for again before it is sent. */
	freshMs: number;
}

export const SEND_RULES: SendRules = {
	intervalMs: 2 * 60_000,
	moveMetres: 200,
	retryMs: 30_000,
	freshMs: 60_000
};

const EARTH_RADIUS_M = 6_371_008.8;

function radians(degrees: number): number {
	return (degrees * Math.PI) / 180;
}

/** The great-circle distance between two points, in metres (haversine; plenty for 200 m). */
export function distanceMetres(a: Point, b: Point): number {
	const dLat = radians(b.lat - a.lat);
	const dLng = radians(b.lng - a.lng);
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLng / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A point the server can take: finite, latitude within ±90, longitude within ±180. */
export function isValidPoint(p: Point): boolean {
	return Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180;
}

/** Whether the phone moved from `from` to `to`: more than `moveMetres`, and more than the new fix's own accuracy. */
export function movedFrom(from: Point, to: Fix, rules: SendRules = SEND_RULES): boolean {
	const d = distanceMetres(from, to);
	const wobble = typeof to.accuracy === 'number' && Number.isFinite(to.accuracy) ? to.accuracy : 0;
	return d > rules.moveMetres && d > wobble;
}

export interface SendState {
	/** The last position the server kept; null before the first. */
	last: Sent | null;
	/** After a failed send: not again before this time (ms; see `retryTime`). */
	retryAt?: number | null;
}

/** When to try again after a send failed at `failedAt`: `retryMs` later, or later still when the server asked (`Retry-After`, seconds). */
export function retryTime(failedAt: number, retryAfterSeconds: number | null | undefined = null, rules: SendRules = SEND_RULES): number {
	const asked = typeof retryAfterSeconds === 'number' && Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : 0;
	return failedAt + Math.max(rules.retryMs, asked);
}

/**
 * Whether to send `next` now: never a bad point, nothing before `retryAt`
 * after a failure; then the first one, one that moved, or one `intervalMs`
 * after the last send.
 */
export function shouldSend(state: SendState, next: Fix, now: number, rules: SendRules = SEND_RULES): boolean {
	if (!isValidPoint(next)) return false;
	if (state.retryAt != null && now < state.retryAt) return false;
	const last = state.last;
	if (!last) return true;
	if (movedFrom(last, next, rules)) return true;
	return now - last.at >= rules.intervalMs;
}

/** Whether a fix is recent enough to send as where the phone is now. */
export function isFresh(fix: Fix, now: number, rules: SendRules = SEND_RULES): boolean {
	return now - fix.at <= rules.freshMs;
}

/** The body of `POST /technicians/me/position`: accuracy rounded to the metre, left out when the phone gave none. */
export function positionBody(fix: Fix): { lat: number; lng: number; accuracy_m?: number } {
	const body: { lat: number; lng: number; accuracy_m?: number } = { lat: fix.lat, lng: fix.lng };
	if (typeof fix.accuracy === 'number' && Number.isFinite(fix.accuracy) && fix.accuracy >= 0) body.accuracy_m = Math.round(fix.accuracy);
	return body;
}

// The technician's choice, kept on the device per account (a shared phone asks each technician).

const CONSENT_PREFIX = 'netcrew.position.';

export type Consent = 'on' | 'off';

/** The choice stored for this account: 'on' once they agreed, 'off' before and after they stopped. */
export function readConsent(storage: Pick<Storage, 'getItem'> | null | undefined, userId: string): Consent {
	try {
		return storage?.getItem(CONSENT_PREFIX + userId) === 'on' ? 'on' : 'off';
	} catch {
		return 'off';
	}
}

/** Stores the choice; false when storage refuses (private mode, full): sharing then lasts for this visit only. */
export function writeConsent(storage: Pick<Storage, 'setItem' | 'removeItem'> | null | undefined, userId: string, consent: Consent): boolean {
	try {
		if (!storage) return false;
		if (consent === 'on') storage.setItem(CONSENT_PREFIX + userId, 'on');
		else storage.removeItem(CONSENT_PREFIX + userId);
		return true;
	} catch {
		return false;
	}
}

/** "14.05" (id) / "14:05" (en) in the ISP's zone; the device's zone when that one is unknown. */
export function clockTime(at: number, locale: string, timeZone: string): string {
	const intl = locale === 'id' ? 'id-ID' : locale === 'en' ? 'en-GB' : locale;
	const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
	try {
		return new Intl.DateTimeFormat(intl, { ...options, timeZone }).format(at);
	} catch {
		return new Intl.DateTimeFormat(intl, options).format(at);
	}
}
