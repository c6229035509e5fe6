import { describe, expect, it } from 'vitest';
import type { LiveEvent } from './live.svelte';
import { childSummary, declareBody, declareHref, declarePrefill, emptyDeclare, isElementKind, openOutageOn, outageEventOf, seesAllTicketsOf } from './outages';

describe('declaring an outage', () => {
	it('sends the ODP or ODC as the element, and nothing of an area', () => {
		const values = { ...emptyDeclare('odp'), element_id: 'P1', area_id: 'A1', title: '  Kabel putus  ', cause: ' pohon tumbang\n' };
		expect(declareBody(values)).toEqual({ element_kind: 'odp', element_id: 'P1', title: 'Kabel putus', cause: 'pohon tumbang' });
		expect(declareBody({ ...values, element_kind: 'odc', element_id: 'C1' })).toEqual({
			element_kind: 'odc',
			element_id: 'C1',
			title: 'Kabel putus',
			cause: 'pohon tumbang'
		});
	});

	it('sends an area outage with its area only', () => {
		const values = { ...emptyDeclare('area'), element_id: 'P1', area_id: 'A1', title: 'Listrik padam', cause: '' };
		expect(declareBody(values)).toEqual({ element_kind: 'area', area_id: 'A1', title: 'Listrik padam', cause: '' });
	});

	it('sends nothing chosen as null, so the server names the missing field', () => {
		expect(declareBody(emptyDeclare('odp')).element_id).toBeNull();
		expect(declareBody(emptyDeclare('area')).area_id).toBeNull();
	});

	it('prefills the form from a suggestion link, and ignores what it does not know', () => {
		const href = declareHref('odp', '0190-abc');
		expect(href).toBe('/console/outages/new?kind=odp&element_id=0190-abc');
		const params = new URL(href, 'http://x').searchParams;
		expect(declarePrefill(params)).toEqual({ ...emptyDeclare('odp'), element_id: '0190-abc' });
		expect(declarePrefill(new URLSearchParams('kind=area&area_id=A1'))).toEqual({ ...emptyDeclare('area'), area_id: 'A1' });
		expect(declarePrefill(new URLSearchParams('kind=area&element_id=A2')).area_id).toBe('A2');
		expect(declarePrefill(new URLSearchParams('kind=street&element_id=X'))).toEqual({ ...emptyDeclare('odp'), element_id: 'X' });
		expect(declarePrefill(new URLSearchParams(''))).toEqual(emptyDeclare('odp'));
	});

	it('knows the element kinds the API allows', () => {
		expect(isElementKind('odp')).toBe(true);
		expect(isElementKind('area')).toBe(true);
		expect(isElementKind('olt')).toBe(false);
		expect(isElementKind(null)).toBe(false);
	});
});

describe("an outage's tickets", () => {
	it('counts the open, the finished and the cancelled', () => {
		const statuses = ['pending', 'new', 'resolved', 'closed', 'cancelled', 'reopened'] as const;
		expect(childSummary(statuses.map((status) => ({ status })))).toEqual({ total: 6, open: 3, finished: 2, cancelled: 1 });
		expect(childSummary([])).toEqual({ total: 0, open: 0, finished: 0, cancelled: 0 });
	});
});

describe('live outage events', () => {
	it('names the outage and its version', () => {
		expect(outageEventOf({ name: 'outage.declared', outage_id: 'O1', version: 1, number: 'OUT-2026-000001' })).toEqual({
			name: 'outage.declared',
			outageId: 'O1',
			version: 1
		});
		// A version that is not a whole number is no version.
		const odd = { name: 'outage.resolved', outage_id: 'O1', version: '2' } as unknown as LiveEvent;
		expect(outageEventOf(odd)).toEqual({ name: 'outage.resolved', outageId: 'O1', version: null });
	});

	it('leaves ticket events and events without an outage alone', () => {
		expect(outageEventOf({ name: 'ticket.moved', outage_id: 'O1', ticket_id: 'T1' })).toBeNull();
		expect(outageEventOf({ name: 'outage.updated' })).toBeNull();
		expect(outageEventOf({ name: 'outage.updated', outage_id: '' })).toBeNull();
	});
});

describe('counting an outage\'s tickets', () => {
	it('trusts the ticket list where it shows every ticket of the area', () => {
		for (const role of ['admin', 'cs', 'management', 'warehouse']) expect(seesAllTicketsOf({ role, area_ids: [] }, 'A1'), role).toBe(true);
		expect(seesAllTicketsOf({ role: 'supervisor', area_ids: ['A1', 'A2'] }, 'A2')).toBe(true);
		expect(seesAllTicketsOf({ role: 'supervisor', area_ids: ['A1'] }, 'A3')).toBe(false);
		expect(seesAllTicketsOf({ role: 'supervisor' }, 'A1')).toBe(false);
		expect(seesAllTicketsOf({ role: 'technician', area_ids: ['A1'] }, 'A1')).toBe(false);
		expect(seesAllTicketsOf(null, 'A1')).toBe(false);
	});
});

describe('an outage already open on the element', () => {
	const outages = [
		{ number: 'OUT-1', status: 'resolved', element_kind: 'odp', element_id: 'P1', area_id: 'A' },
		{ number: 'OUT-2', status: 'open', element_kind: 'odp', element_id: 'P1', area_id: 'A' },
		{ number: 'OUT-3', status: 'open', element_kind: 'odc', element_id: 'C1', area_id: 'A' },
		{ number: 'OUT-4', status: 'open', element_kind: 'area', element_id: null, area_id: 'B' }
	];

	it('finds the open one of the same kind and element', () => {
		expect(openOutageOn(outages, 'odp', 'P1')?.number).toBe('OUT-2');
		expect(openOutageOn(outages, 'odc', 'C1')?.number).toBe('OUT-3');
		expect(openOutageOn(outages, 'area', 'B')?.number).toBe('OUT-4');
	});

	it('finds none for another element or kind', () => {
		expect(openOutageOn(outages, 'odp', 'C1')).toBeNull();
		expect(openOutageOn(outages, 'area', 'A')).toBeNull();
		expect(openOutageOn([], 'odp', 'P1')).toBeNull();
	});
});
