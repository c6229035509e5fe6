/**
 * Booking windows (`GET /api/v1/areas/{id}/booking-windows`): which of an
 * area's half-day windows still have room for a job, read for the forms that
 * book one (self-registration, the desk's tickets, the portal's report). The
 * server checks every booking again and refuses one into a full window with
 * a `window_full` field problem naming the next window with room; this file
 * reads that problem too.
 */
import { ApiError } from '$lib/api/problem';
import type { components } from '$lib/api/schema';
import type { InstallWindow, Location } from '$lib/api/types';
import { PREFERRED_WINDOWS } from './dates';
import { distanceM } from './map/geo';

export type BookingWindows = components['schemas']['BookingWindows'];
export type BookingDay = components['schemas']['BookingDay'];
export type BookingWindow = components['schemas']['BookingWindow'];

/**
 * What a form may say about a window: `room` (bookable), `full`, `ended`
 * (already over today) or `unknown` (not loaded, or outside the days read).
 */
export type WindowState = 'room' | 'full' | 'ended' | 'unknown';

/** A day and window, as a booking names them. */
export interface Slot {
	date: string;
	window: InstallWindow;
}

export function isWindow(value: unknown): value is InstallWindow {
	return typeof value === 'string' && (PREFERRED_WINDOWS as readonly string[]).includes(value);
}

/** The day of `date` among those read, or null. */
export function bookingDayOf(windows: BookingWindows | null | undefined, date: string): BookingDay | null {
	return windows?.days.find((d) => d.date === date) ?? null;
}

/** One window of one day, or null when not read. */
export function bookingWindowOf(windows: BookingWindows | null | undefined, date: string, window: string): BookingWindow | null {
	return bookingDayOf(windows, date)?.windows.find((w) => w.window === window) ?? null;
}

export function windowState(w: BookingWindow | null | undefined): WindowState {
	if (!w) return 'unknown';
	if (w.has_room) return 'room';
	return w.open ? 'full' : 'ended';
}

/** The state of a day's window, as far as the windows read say. */
export function slotState(windows: BookingWindows | null | undefined, date: string, window: string): WindowState {
	return windowState(bookingWindowOf(windows, date, window));
}

/** Whether a day read has a window with room (null: the day was not read). */
export function dayHasRoom(windows: BookingWindows | null | undefined, date: string): boolean | null {
	const day = bookingDayOf(windows, date);
	return day ? day.windows.some((w) => w.has_room) : null;
}

/** The first `limit` days with a window with room, in date order. */
export function daysWithRoom(windows: BookingWindows | null | undefined, limit = Infinity): BookingDay[] {
	const found: BookingDay[] = [];
	for (const day of [...(windows?.days ?? [])].sort((a, b) => a.date.localeCompare(b.date))) {
		if (found.length >= limit) break;
		if (day.windows.some((w) => w.has_room)) found.push(day);
	}
	return found;
}

/** The windows of a day with room, morning first. */
export function windowsWithRoom(day: BookingDay | null | undefined): InstallWindow[] {
	return PREFERRED_WINDOWS.filter((w) => day?.windows.some((x) => x.window === w && x.has_room));
}

/**
 * Jobs of this kind that still fit a window, for staff (the server gives the
 * figures to staff only): null when not known.
 */
export function freeJobs(w: BookingWindow | null | undefined): number | null {
	const jobs = w?.room?.free_jobs;
	return typeof jobs === 'number' && Number.isFinite(jobs) ? jobs : null;
}

/**
 * The window a chosen one should become once the day changes: kept unless
 * the windows read say it is full or over that day (then none, for the
 * person to choose again).
 */
export function keepWindow(windows: BookingWindows | null | undefined, date: string, window: string): string {
	if (!window) return window;
	const state = slotState(windows, date, window);
	return state === 'full' || state === 'ended' ? '' : window;
}

/** A refused booking: the field the server named and, when it found one, the next window with room. */
export interface WindowFull {
	field: string;
	next: Slot | null;
}

/**
 * The `window_full` problem of a failed booking (`preferred_window` or
 * `appointment_window`), or null for any other failure.
 */
export function windowFullOf(error: unknown): WindowFull | null {
	if (!(error instanceof ApiError)) return null;
	const found = error.fieldErrors.find((f) => f.code === 'window_full');
	if (!found) return null;
	const date = found.params?.next_date;
	const window = found.params?.next_window;
	return {
		field: found.field,
		next: typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && isWindow(window) ? { date, window } : null
	};
}

const INTL_LOCALES: Record<string, string> = { id: 'id-ID', en: 'en-GB' };

/** A booking day in words, without the year: "Kamis, 3 Des" (`long`) or "Kam, 3 Des" (`short`). */
export function bookingDayName(date: string, locale: string, weekday: 'long' | 'short' = 'long'): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!match) return date;
	const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	if (Number.isNaN(at.getTime())) return date;
	return new Intl.DateTimeFormat(INTL_LOCALES[locale] ?? locale, { timeZone: 'UTC', weekday, day: 'numeric', month: 'short' }).format(at);
}

/** A booking day as a short choice shows it: the weekday ("Kam") and the day ("3 Des"). */
export function bookingDayParts(date: string, locale: string): { weekday: string; day: string } {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	const at = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
	if (!at || Number.isNaN(at.getTime())) return { weekday: '', day: date };
	const intl = INTL_LOCALES[locale] ?? locale;
	return {
		weekday: new Intl.DateTimeFormat(intl, { timeZone: 'UTC', weekday: 'short' }).format(at),
		day: new Intl.DateTimeFormat(intl, { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(at)
	};
}

/** A window's hours the local way: "08.00–12.00" (id) or "08:00–12:00" (en). */
export function windowHours(window: string, locale: string): string {
	const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(window);
	if (!match) return window;
	const sep = locale === 'id' ? '.' : ':';
	return `${match[1]}${sep}${match[2]}–${match[3]}${sep}${match[4]}`;
}

/** The fields of a service area this needs. */
export interface AreaCircle {
	id: string;
	center: Location;
	radius_m: number;
}

/**
 * The service area a place is in, as the server decides it for a
 * registration: among the areas whose circle holds the place, the one whose
 * centre is nearest. Null outside every area.
 */
export function areaAt<A extends AreaCircle>(areas: readonly A[], place: Location | null | undefined): A | null {
	if (!place) return null;
	let best: { area: A; distance: number } | null = null;
	for (const area of areas) {
		const distance = distanceM(area.center, place);
		if (distance <= area.radius_m && (!best || distance < best.distance)) best = { area, distance };
	}
	return best?.area ?? null;
}
