/**
 * The usage report's rules, kept pure for tests: the period shown first
 * (the last twelve months), a period's checks as the server makes them,
 * the report's lines grouped with a subtotal per group, and a month
 * (`2026-11`) in words.
 */
import type { UsageGroup, UsageLine } from '$lib/api/inventory';

export const USAGE_GROUPS: readonly UsageGroup[] = ['month', 'technician', 'ticket_kind'];

/** The longest period the server reports on, in days (two years). */
export const MAX_PERIOD_DAYS = 731;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day as a UTC instant (midnight), or null when it is not a real `YYYY-MM-DD` day. */
function dayValue(day: string): number | null {
	const match = DAY.exec(day.trim());
	if (!match) return null;
	const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
	const at = Date.UTC(y, m - 1, d);
	const back = new Date(at);
	if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
	return at;
}

/** The last twelve months up to `today` (`YYYY-MM-DD`): from the first of the month eleven months back, so every month is whole but this one. */
export function lastTwelveMonths(today: string): { from: string; to: string } {
	const at = dayValue(today);
	if (at === null) return { from: '', to: today };
	const date = new Date(at);
	const first = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 11, 1));
	return { from: first.toISOString().slice(0, 10), to: today };
}

/** What is wrong with a period, by field, as the server would say it: a malformed day, the end before the start, longer than two years. */
export type PeriodProblem = 'date_format' | 'order' | 'range';

export function checkPeriod(from: string, to: string): Partial<Record<'from' | 'to', PeriodProblem>> {
	const found: Partial<Record<'from' | 'to', PeriodProblem>> = {};
	const start = dayValue(from);
	const end = dayValue(to);
	if (start === null) found.from = 'date_format';
	if (end === null) found.to = 'date_format';
	if (start === null || end === null) return found;
	if (end < start) found.to = 'order';
	else if ((end - start) / 86_400_000 > MAX_PERIOD_DAYS) found.to = 'range';
	return found;
}

/** One group of the report (a month, a technician, a kind of ticket) with what it used and its value. */
export interface UsageGroupView {
	group: string;
	label: string;
	lines: UsageLine[];
	/** Rupiah, the sum of its lines. */
	value: number;
}

/** The report's lines by group, in the server's order (by label, then item code), each with its subtotal. */
export function groupUsage(lines: readonly UsageLine[]): UsageGroupView[] {
	const groups = new Map<string, UsageGroupView>();
	for (const line of lines) {
		let view = groups.get(line.group);
		if (!view) {
			view = { group: line.group, label: line.label, lines: [], value: 0 };
			groups.set(line.group, view);
		}
		view.lines.push(line);
		view.value += line.value;
	}
	return [...groups.values()];
}

/** The value of the whole report, from its lines (the server sends it too, as `total_value`). */
export function usageTotal(lines: readonly Pick<UsageLine, 'value'>[]): number {
	return lines.reduce((sum, l) => sum + l.value, 0);
}

const intlLocale: Record<string, string> = { id: 'id-ID', en: 'en-GB' };

/** `2026-11` → "November 2026" in the UI language; anything else as it is. */
export function monthName(month: string, locale: string): string {
	const match = /^(\d{4})-(\d{2})$/.exec(month);
	if (!match) return month;
	const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
	return new Intl.DateTimeFormat(intlLocale[locale] ?? locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(at);
}
