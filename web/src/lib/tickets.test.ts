import { describe, expect, it } from 'vitest';
import { ifMatch, isDecline, isOpenStatus, isOwnOpenJob, moveNeeds, moveTone, orderMoves, outagesAffecting, parseTags, shortDuration, slaView } from './tickets';

const words = {
	minutes: ({ count }: { count: number }) => `${count} min`,
	hours: ({ count }: { count: number }) => `${count} h`,
	days: ({ count }: { count: number }) => `${count} d`
};

const NOW = Date.parse('2026-11-28T10:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe('moves', () => {
	it('asks for a technician to assign, a pause reason to wait, a reason to cancel or reopen', () => {
		expect(moveNeeds('new', 'assigned')).toEqual({ fields: ['technician_id'], reasonRequired: false });
		expect(moveNeeds('accepted', 'pending')).toEqual({ fields: ['pause_reason', 'next_visit', 'reason'], reasonRequired: false });
		expect(moveNeeds('new', 'cancelled')).toEqual({ fields: ['reason'], reasonRequired: true });
		expect(moveNeeds('resolved', 'reopened')).toEqual({ fields: ['reason'], reasonRequired: true });
	});

	it('asks a reason to give an assignment back (decline, take back)', () => {
		expect(moveNeeds('assigned', 'new')).toEqual({ fields: ['reason'], reasonRequired: true });
		expect(isDecline('assigned', 'new')).toBe(true);
		expect(isDecline('new', 'assigned')).toBe(false);
		expect(isDecline('accepted', 'pending')).toBe(false);
	});

	it("keeps in a technician's list only their own open jobs", () => {
		const mine = { id: 'me' };
		expect(isOwnOpenJob({ status: 'accepted', technician: mine }, 'me')).toBe(true);
		expect(isOwnOpenJob({ status: 'new', technician: null }, 'me')).toBe(false);
		expect(isOwnOpenJob({ status: 'assigned', technician: { id: 'other' } }, 'me')).toBe(false);
		expect(isOwnOpenJob({ status: 'resolved', technician: mine }, 'me')).toBe(false);
		expect(isOwnOpenJob({ status: 'accepted', technician: mine }, null)).toBe(false);
		// On the crew of someone else's job: it is theirs too, until they leave the crew or it is finished.
		expect(isOwnOpenJob({ status: 'en_route', technician: { id: 'lead' }, crew: [mine] }, 'me')).toBe(true);
		expect(isOwnOpenJob({ status: 'en_route', technician: { id: 'lead' }, crew: [{ id: 'x' }] }, 'me')).toBe(false);
		expect(isOwnOpenJob({ status: 'resolved', technician: { id: 'lead' }, crew: [mine] }, 'me')).toBe(false);
	});

	it('resolves on site in one tap, remotely only with a remote reason', () => {
		expect(moveNeeds('on_site', 'resolved').fields).toEqual([]);
		expect(moveNeeds('new', 'resolved').fields).toEqual(['remote_reason', 'reason']);
	});

	it('makes the technician steps one tap', () => {
		for (const to of ['accepted', 'en_route', 'on_site', 'closed'] as const) expect(moveNeeds('assigned', to).fields).toEqual([]);
	});

	it('orders the buttons: the next step first, cancelling last', () => {
		expect(orderMoves(['cancelled', 'pending', 'accepted'])).toEqual(['accepted', 'pending', 'cancelled']);
		expect(orderMoves(['cancelled', 'assigned', 'resolved'])).toEqual(['assigned', 'resolved', 'cancelled']);
		expect(orderMoves(['pending', 'resolved'])).toEqual(['resolved', 'pending']);
		expect(moveTone('accepted', true)).toBe('primary');
		expect(moveTone('pending', true)).toBe('secondary');
		expect(moveTone('cancelled', false)).toBe('danger');
	});

	it('knows the open statuses and writes If-Match', () => {
		expect(isOpenStatus('pending')).toBe(true);
		expect(isOpenStatus('resolved')).toBe(false);
		expect(ifMatch(7)).toBe('"7"');
	});
});

describe('SLA countdown', () => {
	const sla = { state: 'on_track' as const, paused: false, response_due_at: at(90), resolution_due_at: at(600), warn_at: at(60) };

	it('counts down to the nearest running target', () => {
		expect(slaView('new', sla, NOW)).toEqual({ state: 'on_track', dueAt: at(90), target: 'response', minutesLeft: 90 });
		expect(slaView('accepted', { ...sla, response_due_at: null }, NOW)).toMatchObject({ target: 'resolution', minutesLeft: 600 });
	});

	it('moves on with the clock: at risk after warn_at, breached after the due time', () => {
		expect(slaView('new', sla, NOW + 61 * 60_000).state).toBe('at_risk');
		const late = slaView('new', sla, NOW + 100 * 60_000);
		expect(late.state).toBe('breached');
		expect(late.minutesLeft).toBe(-10);
	});

	it('says paused while the clock stands still and done once finished', () => {
		expect(slaView('pending', { ...sla, paused: true }, NOW).state).toBe('paused');
		expect(slaView('resolved', sla, NOW)).toEqual({ state: 'done', dueAt: null, target: null, minutesLeft: null });
	});

	it('keeps the server state when there is no due time', () => {
		expect(slaView('new', { state: 'breached', paused: false }, NOW)).toMatchObject({ state: 'breached', minutesLeft: null });
	});

	it('words a duration in at most two units', () => {
		expect(shortDuration(45, words)).toBe('45 min');
		expect(shortDuration(135, words)).toBe('2 h 15 min');
		expect(shortDuration(120, words)).toBe('2 h');
		expect(shortDuration(11 * 60 + 5, words)).toBe('11 h');
		expect(shortDuration(-40, words)).toBe('40 min');
		expect(shortDuration(3 * 1440 + 4 * 60 + 10, words)).toBe('3 d 4 h');
		expect(shortDuration(2 * 1440, words)).toBe('2 d');
	});
});

describe('outages', () => {
	const outages = [
		{ number: 'OUT-1', element_kind: 'area', element_id: 'A', area_id: 'A' },
		{ number: 'OUT-2', element_kind: 'odp', element_id: 'P1', area_id: 'A' },
		{ number: 'OUT-3', element_kind: 'odc', element_id: 'C1', area_id: 'A' },
		{ number: 'OUT-4', element_kind: 'odp', element_id: 'P2', area_id: 'A' }
	];

	it('finds those on the customer\'s area, ODP or its ODC', () => {
		expect(outagesAffecting(outages, { area_id: 'A', odp_id: 'P1' }, 'C1').map((o) => o.number)).toEqual(['OUT-1', 'OUT-2', 'OUT-3']);
		expect(outagesAffecting(outages, { area_id: 'B', odp_id: 'P2' }).map((o) => o.number)).toEqual(['OUT-4']);
		expect(outagesAffecting(outages, { area_id: 'B', odp_id: null })).toEqual([]);
	});
});

describe('tags', () => {
	it('splits on commas, trims, drops empty and repeated tags', () => {
		expect(parseTags('fiber putus, ODP-12 ,, odp-12, ')).toEqual(['fiber putus', 'ODP-12']);
		expect(parseTags('')).toEqual([]);
	});
});
