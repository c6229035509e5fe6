/** A technician's day in words: time on site, the distance between sites. */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { hoursAndMinutes, kmText } from '$lib/review';

/** "2 j 15 mnt" (id) / "2 h 15 min" (en); under an hour, "45 menit". */
export function onSiteText(minutes: number): string {
	const { hours, minutes: rest } = hoursAndMinutes(minutes);
	if (hours === 0) return m.duration_minutes({ count: rest });
	return m.tech_day_hm({ hours: String(hours), minutes: String(rest) });
}

/** "12,3 km" (id) / "12.3 km" (en): one decimal. */
export function kmWords(metres: number): string {
	return m.tech_day_km({ km: kmText(metres, getLocale()) });
}
