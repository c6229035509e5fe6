import { describe, expect, it } from 'vitest';
import type { Ticket, TicketStatus } from '$lib/api/types';
import { TICKET_STATUSES } from '$lib/i18n/labels';
import {
	canCancel,
	canComment,
	canRate,
	canReopen,
	customerReason,
	inOpenOutage,
	installationOf,
	isNewer,
	isOpen,
	newRequestKey,
	ticketEventOf,
	progress,
	sortForCustomer,
	statusTone,
	unreadByTicket
} from './portal';

type T = Pick<Ticket, 'id' | 'kind' | 'status' | 'created_at' | 'allowed_transitions' | 'rating' | 'outage_id' | 'technician' | 'version'>;
const ticket = (over: Partial<T> = {}): T => ({
	id: 't1',
	kind: 'repair',
	status: 'new',
	created_at: '2026-11-25T01:00:00Z',
	allowed_transitions: [],
	rating: null,
	outage_id: null,
	technician: null,
	version: 1,
	...over
});

describe('ticket statuses', () => {
	it('open means work is still to be done', () => {
		const open = TICKET_STATUSES.filter(isOpen);
		expect(open).toEqual(['new', 'assigned', 'accepted', 'en_route', 'on_site', 'pending', 'reopened']);
	});

	it('gives every status a chip tone', () => {
		expect(statusTone('en_route')).toBe('brand');
		expect(statusTone('pending')).toBe('warn');
		expect(statusTone('resolved')).toBe('ok');
		expect(statusTone('cancelled')).toBe('off');
		expect(statusTone('new')).toBe('neutral');
	});
});

describe('progress of a visit', () => {
	const states = (status: TicketStatus, technician: Ticket['technician'] = null) =>
		progress({ status, technician }).steps.map((s) => s.state);

	it('a new report is received, nothing more', () => {
		expect(states('new')).toEqual(['current', 'todo', 'todo', 'todo', 'todo']);
	});

	it('moves along as the technician does', () => {
		expect(states('assigned')).toEqual(['done', 'current', 'todo', 'todo', 'todo']);
		expect(states('accepted')).toEqual(['done', 'current', 'todo', 'todo', 'todo']);
		expect(states('en_route')).toEqual(['done', 'done', 'current', 'todo', 'todo']);
		expect(states('on_site')).toEqual(['done', 'done', 'done', 'current', 'todo']);
	});

	it('is all done once resolved or closed', () => {
		expect(states('resolved')).toEqual(['done', 'done', 'done', 'done', 'done']);
		expect(states('closed')).toEqual(['done', 'done', 'done', 'done', 'done']);
	});

	it('a pause halts where the work was', () => {
		const view = progress({ status: 'pending', technician: { id: 'u', name: 'Budi' } });
		expect(view.halted).toBe(true);
		expect(view.steps.map((s) => s.state)).toEqual(['done', 'current', 'todo', 'todo', 'todo']);
		expect(states('pending')).toEqual(['current', 'todo', 'todo', 'todo', 'todo']);
	});
});

describe('what the customer may do', () => {
	it('cancels and reopens only when the server allows it', () => {
		expect(canCancel(ticket({ allowed_transitions: ['cancelled'] }))).toBe(true);
		expect(canCancel(ticket({ status: 'en_route' }))).toBe(false);
		expect(canReopen(ticket({ status: 'resolved', allowed_transitions: ['reopened'] }))).toBe(true);
		expect(canReopen(ticket({ status: 'closed' }))).toBe(false);
	});

	it('rates a resolved or closed visit once', () => {
		expect(canRate(ticket({ status: 'resolved' }))).toBe(true);
		expect(canRate(ticket({ status: 'closed' }))).toBe(true);
		expect(canRate(ticket({ status: 'resolved', rating: 4 }))).toBe(false);
		expect(canRate(ticket({ status: 'on_site' }))).toBe(false);
		expect(canRate(ticket({ status: 'cancelled' }))).toBe(false);
	});

	it('writes messages until the ticket is closed or cancelled', () => {
		expect(canComment(ticket({ status: 'resolved' }))).toBe(true);
		expect(canComment(ticket({ status: 'closed' }))).toBe(false);
		expect(canComment(ticket({ status: 'cancelled' }))).toBe(false);
	});

	it("reads the reasons of the history, but not a technician's for declining", () => {
		expect(customerReason({ kind: 'moved', reason: ' Pelanggan minta jadwal ulang ' })).toBe('Pelanggan minta jadwal ulang');
		expect(customerReason({ kind: 'declined', reason: 'Motor mogok' })).toBeNull();
		expect(customerReason({ kind: 'moved', reason: '' })).toBeNull();
	});

	it('tells about an outage only while the ticket is open', () => {
		expect(inOpenOutage(ticket({ outage_id: 'o1', status: 'pending' }))).toBe(true);
		expect(inOpenOutage(ticket({ outage_id: 'o1', status: 'resolved' }))).toBe(false);
		expect(inOpenOutage(ticket({ status: 'pending' }))).toBe(false);
	});
});

describe('my tickets', () => {
	it('lists open tickets first, then the newest', () => {
		const list = sortForCustomer([
			ticket({ id: 'old-done', status: 'closed', created_at: '2026-11-01T00:00:00Z' }),
			ticket({ id: 'new-done', status: 'resolved', created_at: '2026-11-20T00:00:00Z' }),
			ticket({ id: 'old-open', status: 'pending', created_at: '2026-11-02T00:00:00Z' }),
			ticket({ id: 'new-open', status: 'new', created_at: '2026-11-21T00:00:00Z' })
		]);
		expect(list.map((t) => t.id)).toEqual(['new-open', 'old-open', 'new-done', 'old-done']);
	});

	it('finds the installation a prospect waits for, not a cancelled one', () => {
		const install = installationOf([
			ticket({ id: 'r', kind: 'repair' }),
			ticket({ id: 'i-cancelled', kind: 'installation', status: 'cancelled', created_at: '2026-11-22T00:00:00Z' }),
			ticket({ id: 'i', kind: 'installation', status: 'assigned', created_at: '2026-11-20T00:00:00Z' })
		]);
		expect(install?.id).toBe('i');
		expect(installationOf([ticket({ kind: 'repair' })])).toBeNull();
	});
});

describe('live events', () => {
	it('reads the ticket, status and version', () => {
		expect(ticketEventOf({ name: 'ticket.moved', change: 'ticket.moved', ticket_id: 't1', status: 'en_route', version: 5 })).toEqual({
			name: 'ticket.moved',
			ticketId: 't1',
			status: 'en_route',
			version: 5
		});
	});

	it('ignores what names no ticket, and values it cannot read', () => {
		expect(ticketEventOf({ name: 'outage.declared', outage_id: 'o1' })).toBeNull();
		expect(ticketEventOf({ name: 'ticket.moved' })).toBeNull();
		expect(ticketEventOf({ name: 'ticket.moved', ticket_id: 't1', status: 'flying', version: 1.5 })).toEqual({
			name: 'ticket.moved',
			ticketId: 't1',
			status: null,
			version: null
		});
	});

	it('refreshes for a newer version of the ticket on screen only', () => {
		const shown = { id: 't1', version: 4 };
		const event = (over: object) => ({ name: 'ticket.moved', ticketId: 't1', status: null, version: 5, ...over });
		expect(isNewer(event({}), shown)).toBe(true);
		expect(isNewer(event({ version: 4 }), shown)).toBe(false);
		expect(isNewer(event({ ticketId: 't2' }), shown)).toBe(false);
		expect(isNewer(event({ version: null }), shown)).toBe(true);
		expect(isNewer(event({ name: 'ticket.comment', version: 4 }), shown)).toBe(true);
		expect(isNewer(event({}), null)).toBe(false);
	});
});

describe('requests', () => {
	it('makes 128-bit request keys', () => {
		expect(newRequestKey((b) => b.fill(171))).toBe('ab'.repeat(16));
		expect(newRequestKey()).toMatch(/^[0-9a-f]{32}$/);
		expect(newRequestKey()).not.toBe(newRequestKey());
	});
});

describe('news on my tickets', () => {
	it('groups unread notifications by ticket', () => {
		const byTicket = unreadByTicket([
			{ id: 'n1', ticket_id: 't1', read_at: null },
			{ id: 'n2', ticket_id: 't2' },
			{ id: 'n3', ticket_id: 't1', read_at: null },
			{ id: 'n4', ticket_id: 't1', read_at: '2026-11-25T00:00:00Z' },
			{ id: 'n5', ticket_id: null }
		]);
		expect(Object.fromEntries(byTicket)).toEqual({ t1: ['n1', 'n3'], t2: ['n2'] });
	});
});
