/** Where a notification leads, by the surface it is read on. */

export type BellSurface = 'console' | 'tech' | 'account';

/**
 * The page a notification opens: its ticket in the reader's surface, or for
 * staff at the desk the outage it is about (or the leave waiting for a
 * decision, the stock running low, a technician's request for material),
 * for a technician their own leave once decided and their stock and
 * requests once a request was issued or refused; null when there is
 * nothing to open (the text says it all).
 */
export function notificationHref(
	n: { ticket_id?: string | null; outage_id?: string | null; kind?: string },
	surface: BellSurface
): string | null {
	switch (surface) {
		case 'account':
			return n.ticket_id ? `/account/tickets/${n.ticket_id}` : null;
		case 'tech':
			if (n.ticket_id) return `/tech#ticket-${n.ticket_id}`;
			if (n.kind === 'material_issued' || n.kind === 'material_rejected') return '/tech/profile#stock';
			return n.kind === 'leave_decided' ? '/tech/profile#leave' : null;
		case 'console':
			if (n.ticket_id) return `/console/tickets/${n.ticket_id}`;
			if (n.kind === 'gateway_problem') return '/console/messages/settings';
			if (n.kind === 'leave_requested') return '/console/technicians/leave';
			if (n.kind === 'material_requested') return '/console/inventory/requests';
			if (n.kind === 'stock_low') return '/console/inventory';
			return n.outage_id ? `/console/outages/${n.outage_id}` : null;
	}
}
