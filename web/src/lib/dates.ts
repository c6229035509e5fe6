/**
 * Calendar dates (`YYYY-MM-DD`) for the installation appointment a customer
 * asks for: a day after today and at most 60 days ahead, today being the
 * ISP's today (its time zone), as the server checks it.
 */

import type { InstallWindow } from '$lib/api/types';

/** Every window of the API's `InstallWindow` enum, morning first. */
const WINDOW_ORDER: Record<InstallWindow, number> = { '08:00-12:00': 0, '13:00-17:00': 1 };
export const PREFERRED_WINDOWS = (Object.keys(WINDOW_ORDER) as InstallWindow[]).sort(
	(a, b) => WINDOW_ORDER[a] - WINDOW_ORDER[b]
) as readonly InstallWindow[];
export type PreferredWindow = InstallWindow;

/** How far ahead an installation may be asked for. */
export const MAX_DAYS_AHEAD = 60;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid calendar date, else null (2026-02-30 is not a date). */
function dayNumber(date: string): number | null {
	const match = DATE.exec(date);
	if (!match) return null;
	const [, y, m, d] = match.map(Number) as [number, number, number, number];
	const utc = Date.UTC(y, m - 1, d);
	const back = new Date(utc);
	if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
	return utc / 86_400_000;
}

/** `addDays('2026-12-30', 3)` → `'2027-01-02'`. */
export function addDays(date: string, days: number): string {
	const n = dayNumber(date);
	if (n === null) throw new RangeError(`not a date: ${date}`);
	return new Date((n + days) * 86_400_000).toISOString().slice(0, 10);
}

/** The first and last day that may be chosen, for `<input type=date min max>`. */
export function preferredDateBounds(today: string): { min: string; max: string } {
	return { min: addDays(today, 1), max: addDays(today, MAX_DAYS_AHEAD) };
}

export type DateProblem = 'required' | 'invalid' | 'too_early' | 'too_late';

/** Why a preferred date cannot be used, or null when it can. */
export function checkPreferredDate(value: string, today: string): DateProblem | null {
	if (!value.trim()) return 'required';
	const day = dayNumber(value.trim());
	const now = dayNumber(today);
	if (day === null || now === null) return 'invalid';
	if (day <= now) return 'too_early';
	if (day > now + MAX_DAYS_AHEAD) return 'too_late';
	return null;
}

export function isPreferredWindow(value: string): value is PreferredWindow {
	return (PREFERRED_WINDOWS as readonly string[]).includes(value);
}
