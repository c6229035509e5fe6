/** Booking windows: the room an area's half-day windows still have (see `$lib/booking`). */
import type { BookingWindows } from '$lib/booking';
import { unwrap, type ApiClient } from './client';
import type { ServiceType } from './types';

export interface BookingQuery {
	/** The kind of job (default: the installation service type). */
	service_type_id?: string | null;
	/** The first day, `YYYY-MM-DD` (default: today in the ISP's zone). */
	from?: string;
	/** How many days, 1–62 (default 14). */
	days?: number;
	/** Staff: a ticket being moved, whose own booking is left out. */
	except_ticket_id?: string | null;
}

/** The windows of an area's days; staff also get the room behind each answer. */
export function getBookingWindows(client: ApiClient, areaId: string, query: BookingQuery = {}): Promise<BookingWindows> {
	const q: { service_type_id?: string; from?: string; days?: number; except_ticket_id?: string } = {};
	if (query.service_type_id) q.service_type_id = query.service_type_id;
	if (query.from) q.from = query.from;
	if (query.days !== undefined) q.days = query.days;
	if (query.except_ticket_id) q.except_ticket_id = query.except_ticket_id;
	return unwrap(client.GET('/api/v1/areas/{id}/booking-windows', { params: { path: { id: areaId }, query: q } }));
}

/** The service types (staff with `network.read`), to find the one a ticket kind gets (its `code` is the kind). */
export async function listServiceTypes(client: ApiClient): Promise<ServiceType[]> {
	return (await unwrap(client.GET('/api/v1/service-types'))).items;
}
