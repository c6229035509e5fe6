/**
 * Times are stored in UTC and shown in the ISP's zone (Asia/Jakarta by
 * default, from `/api/v1/system`), whatever the device's own zone is.
 */

export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

const intlLocale: Record<string, string> = { id: 'id-ID', en: 'en-GB' };

function toDate(value: string | Date | null | undefined): Date | null {
	if (value === null || value === undefined || value === '') return null;
	const date = value instanceof Date ? value : new Date(value);
	return Number.isNaN(date.getTime()) ? null : date;
}

function zoneOrDefault(timeZone: string | null | undefined): string {
	if (!timeZone) return DEFAULT_TIME_ZONE;
	try {
		new Intl.DateTimeFormat('en', { timeZone });
		return timeZone;
	} catch {
		return DEFAULT_TIME_ZONE;
	}
}

/** "25 Nov 2026, 19.05 WIB" (id) / "25 Nov 2026, 19:05 GMT+7" (en); "—" for no time. */
export function formatDateTime(
	value: string | Date | null | undefined,
	locale: string,
	timeZone?: string | null
): string {
	const date = toDate(value);
	if (!date) return '—';
	return new Intl.DateTimeFormat(intlLocale[locale] ?? locale, {
		timeZone: zoneOrDefault(timeZone),
		day: 'numeric',
		month: 'short',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZoneName: 'short'
	}).format(date);
}

/** "25 Nov 2026" in the given zone. */
export function formatDate(
	value: string | Date | null | undefined,
	locale: string,
	timeZone?: string | null
): string {
	const date = toDate(value);
	if (!date) return '—';
	return new Intl.DateTimeFormat(intlLocale[locale] ?? locale, {
		timeZone: zoneOrDefault(timeZone),
		day: 'numeric',
		month: 'short',
		year: 'numeric'
	}).format(date);
}

/** The offset of `timeZone` from UTC at `at`, in minutes (Asia/Jakarta: 420). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zoneOrDefault(timeZone),
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit'
	}).formatToParts(at);
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant a calendar day (`YYYY-MM-DD`) starts in `timeZone`, as RFC 3339
 * UTC: `dayStart('2026-11-25', 'Asia/Jakarta')` → `2026-11-24T17:00:00.000Z`.
 * With `endExclusive`, the start of the next day. Null for a malformed date.
 */
export function dayStart(day: string, timeZone?: string | null, endExclusive = false): string | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	if (!match) return null;
	const [, y, m, d] = match;
	const utcMidnight = Date.UTC(Number(y), Number(m) - 1, Number(d) + (endExclusive ? 1 : 0));
	if (Number.isNaN(utcMidnight)) return null;
	const zone = zoneOrDefault(timeZone);
	// Two passes get the offset right across a DST change (none in Indonesia, but zones are configurable).
	let instant = utcMidnight - zoneOffsetMinutes(zone, new Date(utcMidnight)) * 60000;
	instant = utcMidnight - zoneOffsetMinutes(zone, new Date(instant)) * 60000;
	return new Date(instant).toISOString();
}

/** Today's date (`YYYY-MM-DD`) in `timeZone`. */
export function todayIn(timeZone?: string | null, now = new Date()): string {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone: zoneOrDefault(timeZone),
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(now);
	return parts;
}
