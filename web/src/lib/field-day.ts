/** The technician in the field: when the day card offers the check-in, and what the history at a job's place counts. */
import type { Located } from '$lib/geolocate';
import type { DayPosition, PlaceHistory } from '$lib/api/history';
import type { MyDay } from '$lib/review';

/** Whether the day card offers "Mulai hari": the day shown is today, it is read, and nobody checked in yet. */
export function offersCheckIn(day: Pick<MyDay, 'checked_in_at'> | null, isToday: boolean): boolean {
	return isToday && day !== null && !day.checked_in_at;
}

/** The position a check-in sends from the phone's fix (null: the phone gave none). */
export function checkInPosition(at: Located | null): DayPosition | null {
	if (!at || !Number.isFinite(at.lat) || !Number.isFinite(at.lng)) return null;
	return { lat: at.lat, lng: at.lng, accuracy_m: at.accuracy != null && Number.isFinite(at.accuracy) ? at.accuracy : null };
}

/** How many things the history lists: earlier tickets and installed units. */
export function historyCount(history: Pick<PlaceHistory, 'tickets' | 'equipment'>): number {
	return history.tickets.length + history.equipment.length;
}
