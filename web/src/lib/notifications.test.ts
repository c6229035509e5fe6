import { describe, expect, it } from 'vitest';
import { notificationHref } from './notifications';

describe('where a notification leads', () => {
	it('opens the ticket in the surface it is read on', () => {
		const n = { ticket_id: 'T1', outage_id: null };
		expect(notificationHref(n, 'console')).toBe('/console/tickets/T1');
		expect(notificationHref(n, 'tech')).toBe('/tech#ticket-T1');
		expect(notificationHref(n, 'account')).toBe('/account/tickets/T1');
	});

	it("opens a customer's outage news on their ticket, staff's on the outage", () => {
		expect(notificationHref({ ticket_id: 'T1', outage_id: 'O1' }, 'account')).toBe('/account/tickets/T1');
		expect(notificationHref({ ticket_id: null, outage_id: 'O1' }, 'console')).toBe('/console/outages/O1');
		expect(notificationHref({ ticket_id: 'T1', outage_id: 'O1' }, 'console')).toBe('/console/tickets/T1');
	});

	it('leads nowhere when there is nothing the surface can open', () => {
		expect(notificationHref({ ticket_id: null, outage_id: 'O1' }, 'tech')).toBeNull();
		expect(notificationHref({ ticket_id: null, outage_id: 'O1' }, 'account')).toBeNull();
		expect(notificationHref({}, 'console')).toBeNull();
	});

	it('takes a technician put on a crew to the job in their app, staff to the ticket', () => {
		const n = { kind: 'crew_added', ticket_id: 'T9', outage_id: null };
		expect(notificationHref(n, 'tech')).toBe('/tech#ticket-T9');
		expect(notificationHref(n, 'console')).toBe('/console/tickets/T9');
	});

	it("takes an admin from a gateway's trouble to the WhatsApp settings", () => {
		expect(notificationHref({ kind: 'gateway_problem' }, 'console')).toBe('/console/messages/settings');
	});

	it('takes a supervisor to the leave waiting and a technician to their own leave', () => {
		expect(notificationHref({ kind: 'leave_requested' }, 'console')).toBe('/console/technicians/leave');
		expect(notificationHref({ kind: 'leave_decided' }, 'tech')).toBe('/tech/profile#leave');
		expect(notificationHref({ kind: 'leave_decided' }, 'account')).toBeNull();
	});

	it('takes staff told of stock running low to the inventory', () => {
		expect(notificationHref({ kind: 'stock_low', ticket_id: null, outage_id: null }, 'console')).toBe('/console/inventory');
		expect(notificationHref({ kind: 'stock_low' }, 'tech')).toBeNull();
		// Requests for material: the storekeeper's list of waiting requests; the technician's stock and requests once decided.
		expect(notificationHref({ kind: 'material_requested', ticket_id: null, outage_id: null }, 'console')).toBe('/console/inventory/requests');
		expect(notificationHref({ kind: 'material_issued' }, 'tech')).toBe('/tech/profile#stock');
		expect(notificationHref({ kind: 'material_rejected' }, 'tech')).toBe('/tech/profile#stock');
	});
});
