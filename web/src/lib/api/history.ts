/**
 * The history at a job's place (the customer's earlier tickets, the units
 * installed there) and the check-in that starts a technician's day.
 */
import { unwrap, type ApiClient } from './client';
import type { components } from './schema';

export type PlaceHistory = components['schemas']['PlaceHistory'];
export type PastTicket = components['schemas']['PastTicket'];
export type InstalledUnit = components['schemas']['InstalledUnit'];
export type DayCheckIn = components['schemas']['DayCheckIn'];
export type DayPosition = components['schemas']['DayPosition'];

/** The customer's earlier tickets (newest first, at most 10) and the units at their home. */
export function getPlaceHistory(client: ApiClient, ticketId: string): Promise<PlaceHistory> {
	return unwrap(client.GET('/api/v1/tickets/{id}/history', { params: { path: { id: ticketId } } }));
}

/** Starts today; checking in again the same day answers the first check-in. */
export function checkIn(client: ApiClient, position: DayPosition | null, at: Date = new Date()): Promise<DayCheckIn> {
	// The time of the tap goes along: a check-in sent later (the phone had no network) keeps it.
	return unwrap(client.POST('/api/v1/me/day/check-in', { body: { ...(position ? { position } : {}), at: at.toISOString() } }));
}
