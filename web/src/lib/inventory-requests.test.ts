import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/problem';
import {
	carriedChoices,
	checkRequest,
	choiceBySerial,
	decidedMeanwhile,
	equipmentBody,
	isWaiting,
	issueBody,
	lineFields,
	requestBody,
	requestFieldNames,
	serialCounts,
	shownLines
} from './inventory-requests';

const ont = { id: 'ont', code: 'ONT-F670L', name: 'ONT ZTE F670L', unit: 'pcs', serial_tracked: true, terms: 'loaned' as const };
const cable = { id: 'dc', code: 'DC-1C', name: 'Kabel drop 1 core', unit: 'm', serial_tracked: false, terms: null };
const item = (i: typeof ont | typeof cable) => ({ ...i, kind: 'ont' as const, unit_cost: 1000, active: true, version: 1 });

describe('a request for material', () => {
	it('waits while it is requested', () => {
		expect(isWaiting({ status: 'requested' })).toBe(true);
		expect(isWaiting({ status: 'issued' })).toBe(false);
		expect(isWaiting({ status: 'cancelled' })).toBe(false);
	});

	it('is checked line by line: an item chosen, a whole quantity from 1, each item once; blank lines left out', () => {
		const lines = [
			{ key: 1, itemId: 'dc', quantity: '150' },
			{ key: 2, itemId: '', quantity: '3' },
			{ key: 3, itemId: 'dc', quantity: '0' },
			{ key: 4, itemId: '', quantity: '' }
		];
		expect(checkRequest(lines)).toEqual({
			[lineFields(2).item]: 'item',
			[lineFields(3).item]: 'duplicate',
			[lineFields(3).quantity]: 'quantity'
		});
		expect(checkRequest([{ key: 1, itemId: '', quantity: ' ' }])).toEqual({ lines: 'empty' });
		expect(checkRequest([{ key: 1, itemId: 'ont', quantity: '1.500' }])).toEqual({});
		expect(checkRequest([{ key: 1, itemId: 'ont', quantity: '2,5' }])).toEqual({ 'line-1-quantity': 'quantity' });
		expect(checkRequest(Array.from({ length: 31 }, (_, i) => ({ key: i, itemId: `i${i}`, quantity: '1' })))).toEqual({ lines: 'too_many' });
	});

	it('is sent without blank lines, the note trimmed, and the server names its lines as the form does', () => {
		const { body, keys } = requestBody(
			[
				{ key: 5, itemId: 'dc', quantity: '1.500' },
				{ key: 6, itemId: '', quantity: '' },
				{ key: 9, itemId: 'ont', quantity: '2' }
			],
			'  untuk besok  '
		);
		expect(body).toEqual({ lines: [{ item_id: 'dc', quantity: 1500 }, { item_id: 'ont', quantity: 2 }], note: 'untuk besok' });
		expect(keys).toEqual([5, 9]);
		expect(requestBody([{ key: 1, itemId: 'dc', quantity: '3' }], ' ').body).toEqual({ lines: [{ item_id: 'dc', quantity: 3 }] });
		expect(requestFieldNames(keys)).toEqual({
			'lines[0].item_id': 'line-5-item',
			'lines[0].quantity': 'line-5-quantity',
			'lines[1].item_id': 'line-9-item',
			'lines[1].quantity': 'line-9-quantity'
		});
	});

	it('shows its lines with their items, an unknown item by its id', () => {
		const items = new Map([['ont', ont]]);
		const shown = shownLines({ lines: [{ item_id: 'ont', quantity: 2 }, { item_id: '0193abcd-ffff', quantity: 5 }] }, items);
		expect(shown[0]).toEqual({ itemId: 'ont', name: 'ONT ZTE F670L', code: 'ONT-F670L', unit: 'pcs', quantity: 2, tracked: true, known: true });
		expect(shown[1]).toMatchObject({ name: '0193abcd', known: false, tracked: false });
	});
});

describe('issuing a request', () => {
	const lines = [
		{ itemId: 'ont', quantity: 2, tracked: true },
		{ itemId: 'dc', quantity: 300, tracked: false }
	];

	it('counts the serial numbers typed for each serial-numbered line, repeats left out', () => {
		expect(serialCounts(lines, { ont: 'zteg0001\n\nZTEG0001\nZTEG0002 00:11:22:33:44:55' })).toEqual([{ itemId: 'ont', needed: 2, given: 2, repeated: [3] }]);
		expect(serialCounts(lines, {})).toEqual([{ itemId: 'ont', needed: 2, given: 0, repeated: [] }]);
	});

	it('sends the warehouse, every serial once in upper case, and the note when there is one', () => {
		expect(issueBody('g1', lines, { ont: 'zteg0001\nZTEG0002\nzteg0001', dc: 'ignored' }, ' Ambil jam 7 ')).toEqual({
			decision: 'issue',
			from_location_id: 'g1',
			serials: ['ZTEG0001', 'ZTEG0002'],
			note: 'Ambil jam 7'
		});
		expect(issueBody('g1', [{ itemId: 'dc', tracked: false }], {}, '')).toEqual({ decision: 'issue', from_location_id: 'g1' });
	});

	it('knows a request decided meanwhile from a refusal about stock', () => {
		const problem = (status: number, detail: string) => new ApiError('conflict', status, { type: 'x', title: 't', status, detail });
		expect(decidedMeanwhile(problem(412, 'This request changed since you loaded it (now version 2).'))).toBe(true);
		expect(decidedMeanwhile(problem(409, 'This request is issued already.'))).toBe(true);
		expect(decidedMeanwhile(problem(409, 'Gudang Bandung holds 3 pcs of ONT ZTE F670L; 5 asked.'))).toBe(false);
		expect(decidedMeanwhile(new Error('offline'))).toBe(false);
	});
});

describe('recording what a job used', () => {
	const stock = {
		lines: [
			{ item: item(ont), location: { id: 'p', kind: 'technician' as const, name: 'Budi', active: true }, quantity: 2, value: 700000, below_minimum: false },
			{ item: item(cable), location: { id: 'p', kind: 'technician' as const, name: 'Budi', active: true }, quantity: 150, value: 375000, below_minimum: false },
			{ item: { ...item(cable), id: 'none', name: 'Konektor' }, location: { id: 'p', kind: 'technician' as const, name: 'Budi', active: true }, quantity: 0, value: 0, below_minimum: false }
		],
		units: [
			{ id: 'u2', serial: 'ZTEG0002', item_id: 'ont', item_code: 'ONT-F670L', item_name: 'ONT ZTE F670L', since: '2026-11-20T03:00:00Z' },
			{ id: 'u1', serial: 'ZTEG0001', item_id: 'ont', item_code: 'ONT-F670L', item_name: 'ONT ZTE F670L', since: '2026-11-21T03:00:00Z' }
		]
	};

	it('offers what the technician carries, by name, with the units of serial-numbered items', () => {
		const choices = carriedChoices(stock);
		expect(choices.map((c) => [c.item.id, c.quantity, c.serials])).toEqual([
			['dc', 150, []],
			['ont', 2, ['ZTEG0001', 'ZTEG0002']]
		]);
	});

	it('finds a scanned unit in the stock, whatever its spacing or case, and nothing for a unit carried by nobody here', () => {
		const choices = carriedChoices(stock);
		expect(choiceBySerial(choices, ' zteg 0002 ')).toMatchObject({ choice: { item: { id: 'ont' } }, serial: 'ZTEG0002' });
		expect(choiceBySerial(choices, 'ZTEG9999')).toBeNull();
		expect(choiceBySerial(choices, '  ')).toBeNull();
	});

	it('sends a unit by its serial with its terms, or a whole quantity of a counted item', () => {
		const [cableChoice, ontChoice] = carriedChoices(stock);
		expect(equipmentBody(ontChoice!, { quantity: '', serial: ' zteg0001 ', terms: 'rented' })).toEqual({
			body: { item_id: 'ont', serial: 'ZTEG0001', quantity: 1, terms: 'rented' },
			problems: null
		});
		expect(equipmentBody(ontChoice!, { quantity: '', serial: 'ZTEG0002', terms: '' }).body).toEqual({ item_id: 'ont', serial: 'ZTEG0002', quantity: 1 });
		expect(equipmentBody(cableChoice!, { quantity: '1.200', serial: '', terms: 'loaned' })).toEqual({ body: { item_id: 'dc', quantity: 1200 }, problems: null });
	});

	it('says what is missing before sending', () => {
		const [cableChoice, ontChoice] = carriedChoices(stock);
		expect(equipmentBody(null, { quantity: '3', serial: '', terms: '' }).problems).toEqual({ item_id: 'item' });
		expect(equipmentBody(ontChoice!, { quantity: '', serial: ' ', terms: '' }).problems).toEqual({ serial: 'serial' });
		expect(equipmentBody(cableChoice!, { quantity: '0', serial: '', terms: '' }).problems).toEqual({ quantity: 'quantity' });
		expect(equipmentBody(cableChoice!, { quantity: 'banyak', serial: '', terms: '' }).problems).toEqual({ quantity: 'quantity' });
	});
});
