/**
 * SLA targets are stored in minutes; people think in hours and days.
 */
export type DurationUnit = 'minutes' | 'hours' | 'days';

const PER: Record<DurationUnit, number> = { minutes: 1, hours: 60, days: 1440 };

/** The largest whole unit: 1440 → 1 day, 240 → 4 hours, 90 → 90 minutes. */
export function splitMinutes(minutes: number): { value: number; unit: DurationUnit } {
	if (minutes > 0 && minutes % PER.days === 0) return { value: minutes / PER.days, unit: 'days' };
	if (minutes > 0 && minutes % PER.hours === 0) return { value: minutes / PER.hours, unit: 'hours' };
	return { value: minutes, unit: 'minutes' };
}

/** Minutes from a typed amount and unit; null unless a positive whole number of minutes results. */
export function toMinutes(value: string | number, unit: DurationUnit): number | null {
	const n = typeof value === 'number' ? value : Number(String(value).trim().replace(',', '.'));
	if (!Number.isFinite(n) || n <= 0) return null;
	const minutes = n * PER[unit];
	return Number.isInteger(minutes) ? minutes : null;
}

export interface DurationWords {
	minutes: (p: { count: number }) => string;
	hours: (p: { count: number }) => string;
	days: (p: { count: number }) => string;
}

/** "4 jam", "3 hari", "1 hari 12 jam" (days and hours when both matter). */
export function formatMinutes(minutes: number, words: DurationWords): string {
	const { value, unit } = splitMinutes(minutes);
	if (unit === 'days' || (unit === 'hours' && minutes < PER.days)) return words[unit]({ count: value });
	if (minutes >= PER.days && minutes % PER.hours === 0) {
		const days = Math.floor(minutes / PER.days);
		const hours = (minutes % PER.days) / PER.hours;
		return `${words.days({ count: days })} ${words.hours({ count: hours })}`;
	}
	if (minutes > PER.hours) {
		const hours = Math.floor(minutes / PER.hours);
		return `${words.hours({ count: hours })} ${words.minutes({ count: minutes % PER.hours })}`;
	}
	return words.minutes({ count: minutes });
}
