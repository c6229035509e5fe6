import { describe, expect, it } from 'vitest';
import type { JobChecklist } from '$lib/checklist';
import type { Ticket } from '$lib/api/types';
import {
	applyEntry,
	applyMove,
	keptRead,
	nextIfMatch,
	overlayChecklist,
	overlayDay,
	overlayTicket,
	queuedKind,
	refuseMove,
	replaceIds,
	superseded,
	technicianTargets,
	ticketOfRead,
	waitingByTicket,
	type Queued
} from './rules';

const ID = '01a2261b-359f-727e-accd-d53e01cf8759';
const OTHER = '01a2261b-0000-727e-accd-d53e01cf8759';

function ticket(over: Partial<Ticket> = {}): Ticket {
	return {
		id: ID,
		number: 'INS-2026-000123',
		kind: 'installation',
		status: 'en_route',
		allowed_transitions: ['on_site', 'pending'],
		version: 7,
		pending_reason: null,
		...over
	} as unknown as Ticket;
}


function sheet(): JobChecklist {
	return {
		ticket_id: ID,
		kind: 'installation',
		entries: [
			{ key: 'ont_serial', kind: 'ont_serial', required: true, choices: [], value: null },
			{ key: 'rx_power', kind: 'optical_power', required: true, choices: [], value: null },
			{ key: 'note', kind: 'text', required: false, choices: [], value: null }
		],
		missing: ['ont_serial', 'rx_power'],
		complete: false,
		intact: true,
		optical: { band: { weakest: -25, warn_from: -23 }, typed_weakest: -27, typed_strongest: -8, signal: null, exception: null }
	} as unknown as JobChecklist;
}

function queued(over: Partial<Queued>): Queued {
	return {
		owner: 'tech',
		kind: 'move',
		ticketId: ID,
		method: 'POST',
		url: `/api/v1/tickets/${ID}/transitions`,
		contentType: 'application/json',
		ifMatch: '"7"',
		idempotencyKey: 'k1',
		text: '{"to":"on_site"}',
		blob: null,
		createdAt: '2026-11-29T03:00:00Z',
		state: 'waiting',
		...over
	};
}

const who = { id: 'tech', name: 'Fajar' };

describe('what the phone queues', () => {
	it('queues moves, entries, photos and equipment of a job, and nothing else', () => {
		expect(queuedKind('POST', `/api/v1/tickets/${ID}/transitions`)).toEqual({ kind: 'move', ticketId: ID });
		expect(queuedKind('PUT', `/api/v1/tickets/${ID}/checklist/rx_power`)).toEqual({ kind: 'entry', ticketId: ID, entry: 'rx_power' });
		expect(queuedKind('DELETE', `/api/v1/tickets/${ID}/checklist/rx_power`)).toEqual({ kind: 'entry_delete', ticketId: ID, entry: 'rx_power' });
		expect(queuedKind('POST', `/api/v1/tickets/${ID}/attachments`)).toEqual({ kind: 'photo', ticketId: ID });
		expect(queuedKind('POST', `/api/v1/tickets/${ID}/equipment`)).toEqual({ kind: 'equipment', ticketId: ID });
		// A supervisor's exception, a comment, a profile change: they need the network.
		expect(queuedKind('POST', `/api/v1/tickets/${ID}/checklist/exception`)).toBeNull();
		expect(queuedKind('POST', `/api/v1/tickets/${ID}/comments`)).toBeNull();
		expect(queuedKind('PATCH', '/api/v1/me')).toBeNull();
		expect(queuedKind('GET', `/api/v1/tickets/${ID}/transitions`)).toBeNull();
	});

	it('keeps the API reads but not the live stream, sign-in or files', () => {
		expect(keptRead('/api/v1/tickets?open=true&sort=due&limit=100')).toBe(true);
		expect(keptRead(`/api/v1/tickets/${ID}/checklist`)).toBe(true);
		expect(keptRead('/api/v1/live')).toBe(false);
		expect(keptRead('/api/v1/auth/code')).toBe(false);
		expect(keptRead(`/api/v1/tickets/${ID}/attachments/abc/file`)).toBe(false);
		expect(keptRead('/tech')).toBe(false);
	});

	it('knows which ticket a read is about', () => {
		expect(ticketOfRead(`/api/v1/tickets/${ID}`)).toEqual({ ticketId: ID, what: 'ticket' });
		expect(ticketOfRead(`/api/v1/tickets/${ID}/checklist`)).toEqual({ ticketId: ID, what: 'checklist' });
		expect(ticketOfRead(`/api/v1/tickets/${ID}/attachments?limit=5`)).toEqual({ ticketId: ID, what: 'attachments' });
		expect(ticketOfRead('/api/v1/tickets?open=true')).toBeNull();
	});
});

describe('the job as the phone shows it', () => {
	it('follows the lifecycle a technician walks', () => {
		expect(technicianTargets('assigned', 'installation', null)).toEqual(['accepted', 'new', 'pending']);
		expect(technicianTargets('accepted', 'repair', null)).toEqual(['en_route', 'pending', 'resolved']);
		expect(technicianTargets('on_site', 'installation', null)).toEqual(['pending', 'resolved']);
		// Back from a wait after setting off: the trip starts again from "accepted".
		expect(technicianTargets('pending', 'installation', 'en_route')).toEqual(['accepted']);
		expect(technicianTargets('pending', 'installation', 'assigned')).toEqual(['assigned']);
		expect(technicianTargets('resolved', 'installation', null)).toEqual([]);
	});

	it('moves the job and keeps the version the server gave', () => {
		const moved = applyMove(ticket(), { to: 'on_site' });
		expect(moved.status).toBe('on_site');
		expect(moved.allowed_transitions).toEqual(['pending', 'resolved']);
		expect(moved.version).toBe(7);
		const paused = applyMove(moved, { to: 'pending', pause_reason: 'customer_absent' });
		expect(paused.pending_reason).toBe('customer_absent');
		expect(paused.allowed_transitions).toEqual(['accepted']);
	});

	it('refuses at once what the server would: a move not allowed, completion before the documentation', () => {
		expect(refuseMove(ticket(), { to: 'resolved' }, null)?.type).toBe('/problems/transition-not-allowed');
		const onSite = ticket({ status: 'on_site', allowed_transitions: ['pending', 'resolved'] });
		const refusal = refuseMove(onSite, { to: 'resolved' }, sheet());
		expect(refusal?.status).toBe(409);
		expect(refusal?.missing).toEqual(['ont_serial', 'rx_power']);
		expect(refuseMove(onSite, { to: 'pending' }, sheet())).toBeNull();
	});

	it('records entries, judges the reading against the band, and completes when nothing required is missing', () => {
		let c = applyEntry(sheet(), 'ont_serial', { serial: 'ZTEG1234' }, who);
		expect(c.missing).toEqual(['rx_power']);
		c = applyEntry(c, 'rx_power', { dbm: -26.4 }, who);
		expect(c.optical.signal).toBe('weak');
		expect(c.missing).toEqual(['rx_power_weak']);
		expect(c.complete).toBe(false);
		c = applyEntry(c, 'rx_power', { dbm: -19.4 }, who);
		expect(c.optical.signal).toBe('healthy');
		expect(c.complete).toBe(true);
		expect(c.entries.find((e) => e.key === 'rx_power')?.recorded?.name).toBe('Fajar');
		c = applyEntry(c, 'ont_serial', null, who);
		expect(c.missing).toEqual(['ont_serial']);
	});

	it('applies only what waits, in order, to its own job', () => {
		const queue = [
			queued({ text: '{"to":"on_site"}' }),
			queued({ kind: 'entry', entry: 'ont_serial', method: 'PUT', text: '{"value":{"serial":"ZTEG1"}}' }),
			queued({ kind: 'entry', entry: 'rx_power', method: 'PUT', text: '{"value":{"dbm":-20}}', state: 'refused' }),
			queued({ ticketId: OTHER, text: '{"to":"pending"}' })
		];
		expect(overlayTicket(ticket(), queue).status).toBe('on_site');
		const c = overlayChecklist(sheet(), queue, who);
		expect(c.entries.find((e) => e.key === 'ont_serial')?.value).toEqual({ serial: 'ZTEG1' });
		expect(c.entries.find((e) => e.key === 'rx_power')?.value).toBeNull();
		expect(waitingByTicket(queue)).toEqual({ [ID]: 3, [OTHER]: 1 });
	});
});

describe('the day', () => {
	it('queues the check-in apart from any job, and shows it made on its own day', () => {
		expect(queuedKind('POST', '/api/v1/me/day/check-in')).toEqual({ kind: 'check_in', ticketId: '' });
		const waiting = [queued({ kind: 'check_in', ticketId: '', url: '/api/v1/me/day/check-in', text: '{"at":"2026-11-30T00:40:00.000Z"}' })];
		// 07:40 WIB on the 30th.
		const today = overlayDay({ date: '2026-11-30', checked_in_at: null }, waiting, 'Asia/Jakarta');
		expect(today.checked_in_at).toBe('2026-11-30T00:40:00.000Z');
		expect(overlayDay({ date: '2026-11-29', checked_in_at: null }, waiting, 'Asia/Jakarta').checked_in_at).toBeNull();
		// One the server already has stands.
		expect(overlayDay({ date: '2026-11-30', checked_in_at: '2026-11-30T00:10:00Z' }, waiting, 'Asia/Jakarta').checked_in_at).toBe('2026-11-30T00:10:00Z');
	});
});

describe('sending', () => {
	it('puts the server ids of photos in place of the phone ids', () => {
		expect(replaceIds('{"value":{"attachment_ids":["a","b"]}}', { a: 'A1', c: 'C1' })).toBe('{"value":{"attachment_ids":["A1","b"]}}');
	});

	it('a new value for an entry makes the one waiting for the same entry needless', () => {
		const queue = [
			queued({ seq: 1, kind: 'entry', entry: 'ont_serial', method: 'PUT' }),
			queued({ seq: 2, kind: 'entry', entry: 'rx_power', method: 'PUT' }),
			queued({ seq: 3 })
		];
		expect(superseded(queue, { kind: 'entry', ticketId: ID, entry: 'ont_serial' }).map((q) => q.seq)).toEqual([1]);
		expect(superseded(queue, { kind: 'move', ticketId: ID })).toEqual([]);
	});

	it('after a move is accepted, the next moves of the job go on the version it gave', () => {
		const queue = [queued({ seq: 1 }), queued({ seq: 2, text: '{"to":"resolved"}' }), queued({ seq: 3, ticketId: OTHER })];
		expect(nextIfMatch(queue, ID, '"7"', '"8"').map((q) => [q.seq, q.ifMatch])).toEqual([
			[1, '"8"'],
			[2, '"8"']
		]);
	});
});
