/**
 * The customer's "technician on the way" page (`/track/{token}`): what it
 * shows from the server's answer, how it words the arrival time and the age
 * of the position, and when it keeps asking.
 */
import type { components } from '$lib/api/schema';
import { m } from '$lib/paraglide/messages';

export type Tracking = components['schemas']['Tracking'];
export type TrackingStage = Tracking['stage'];

/** How often the page asks again while the technician is on the way. */
export const REFRESH_MS = 15_000;

/** What the page shows: loading, one of the server's stages, a dead link, or a passing failure. */
export type TrackingView = 'loading' | TrackingStage | 'gone' | 'error';

/**
 * The view for the last answer: a 404 (unknown or finished link) is `gone`;
 * any other failure keeps the last good answer when there is one.
 */
export function trackingView(data: Tracking | null, errorStatus: number | null): TrackingView {
	if (errorStatus === 404) return 'gone';
	if (data) return data.stage;
	if (errorStatus !== null) return 'error';
	return 'loading';
}

/** Whether to ask again: only until the technician arrives (or the link dies). */
export function keepsRefreshing(view: TrackingView): boolean {
	return view === 'loading' || view === 'on_the_way' || view === 'error';
}

/** "± 12 menit": the rough arrival time (never under a minute). */
export function etaText(minutes: number): string {
	const n = Number.isFinite(minutes) ? Math.max(1, Math.round(minutes)) : 1;
	return m.track_eta({ minutes: String(n) });
}

/** Whole minutes since `at` at `now` (0 for a time in the future or unreadable). */
export function minutesSince(at: string, now: number): number {
	const t = Date.parse(at);
	if (!Number.isFinite(t)) return 0;
	return Math.max(0, Math.floor((now - t) / 60_000));
}

/** "baru saja" / "3 menit lalu": how old the position is. */
export function ageText(at: string, now: number): string {
	const minutes = minutesSince(at, now);
	return minutes < 1 ? m.track_just_now() : m.track_minutes_ago({ minutes: String(minutes) });
}

/** The headline for the stage, with the technician's name when known. */
export function headline(stage: TrackingStage, name: string | null | undefined): string {
	const who = name?.trim();
	switch (stage) {
		case 'on_the_way':
			return who ? m.track_on_the_way({ name: who }) : m.track_on_the_way_unnamed();
		case 'arrived':
			return who ? m.track_arrived({ name: who }) : m.track_arrived_unnamed();
		default:
			return m.track_ended();
	}
}
