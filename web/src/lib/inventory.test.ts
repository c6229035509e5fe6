import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/problem';
import {
	adjustmentBodies,
	countCorrection,
	fromKinds,
	inventoryAccess,
	joins,
	MovementIds,
	newMovementId,
	parseRupiah,
	parseSerialLines,
	parseWhole,
	placeHref,
	readStockConflict,
	remainingSerialLines,
	renameErrorFields,
	serialTrackedByDefault,
	signedQuantity,
	stockTotals,
	toKinds,
	unitByDefault,
	unitHref
} from './inventory';

describe('inventory rules', () => {
	it('reads what a role may do with stock', () => {
		expect(inventoryAccess(['inventory.read', 'inventory.manage'])).toEqual({ read: true, manage: true, approve: false });
		expect(inventoryAccess(['inventory.read', 'inventory.approve'])).toEqual({ read: true, manage: false, approve: true });
		expect(inventoryAccess(null)).toEqual({ read: false, manage: false, approve: false });
	});

	it('tracks ONTs and routers by serial and counts drop cable in metres by default', () => {
		expect(serialTrackedByDefault('ont')).toBe(true);
		expect(serialTrackedByDefault('router')).toBe(true);
		expect(serialTrackedByDefault('connector')).toBe(false);
		expect(unitByDefault('drop_cable')).toBe('m');
		expect(unitByDefault('ont')).toBe('pcs');
	});

	it('joins only the places the server allows', () => {
		expect(joins('receipt', null, 'warehouse')).toBe(true);
		expect(joins('receipt', null, 'technician')).toBe(false);
		expect(joins('issue', 'warehouse', 'technician')).toBe(true);
		expect(joins('issue', 'technician', 'warehouse')).toBe(false);
		expect(joins('transfer', 'warehouse', 'technician')).toBe(false);
		expect(joins('transfer', 'technician', 'technician')).toBe(true);
		expect(joins('return', 'customer', 'technician')).toBe(true);
		expect(joins('return', 'rma', 'warehouse')).toBe(true);
		expect(joins('faulty', 'customer', 'rma')).toBe(true);
		expect(joins('write_off', 'rma', 'written_off')).toBe(true);
		expect(joins('adjustment', null, 'warehouse')).toBe(true);
		expect(joins('adjustment', 'technician', null)).toBe(true);
		expect(joins('adjustment', 'customer', null)).toBe(false);
		expect(joins('adjustment', 'warehouse', 'warehouse')).toBe(false);
	});

	it('lists the places a movement may leave from and go to', () => {
		expect(fromKinds('receipt')).toEqual([]);
		expect(toKinds('receipt')).toEqual(['warehouse']);
		expect(fromKinds('issue')).toEqual(['warehouse']);
		expect(toKinds('issue')).toEqual(['technician']);
		expect(fromKinds('return')).toEqual(['technician', 'customer', 'rma']);
		expect(toKinds('return', 'customer')).toEqual(['warehouse', 'technician']);
		expect(toKinds('return', 'rma')).toEqual(['warehouse']);
		expect(toKinds('transfer', 'technician')).toEqual(['technician']);
		expect(fromKinds('write_off')).toEqual(['warehouse', 'technician', 'customer', 'rma']);
	});
});

describe('serial numbers typed one per line', () => {
	it('reads serials with an optional MAC, skipping blank lines, in upper case', () => {
		expect(parseSerialLines('zteg1a2b\n\n  ZTEG3C4D  00:1A:2B:3C:4D:5E\nHWTC9,00-11-22-33-44-55\r\nx;y').units).toEqual([
			{ line: 1, serial: 'ZTEG1A2B', mac: null },
			{ line: 3, serial: 'ZTEG3C4D', mac: '00:1A:2B:3C:4D:5E' },
			{ line: 4, serial: 'HWTC9', mac: '00-11-22-33-44-55' },
			{ line: 5, serial: 'X', mac: 'y' }
		]);
	});

	it('keeps a serial given twice once and says which lines repeat it', () => {
		const { units, repeated } = parseSerialLines('A1\nB2\na1\nB2 00:00:00:00:00:01');
		expect(units.map((u) => u.serial)).toEqual(['A1', 'B2']);
		expect(repeated).toEqual([3, 4]);
	});

	it('has nothing for empty input', () => {
		expect(parseSerialLines('  \n\n')).toEqual({ units: [], repeated: [] });
	});

	it('leaves the lines not yet sent', () => {
		expect(remainingSerialLines('a1\n\n b2 00:11:22:33:44:55 \nc3', new Set(['A1', 'C3']))).toBe('b2 00:11:22:33:44:55');
		expect(remainingSerialLines('a1', new Set(['A1']))).toBe('');
	});
});

describe('numbers typed', () => {
	it('reads whole numbers and rupiah with thousands dots', () => {
		expect(parseWhole('1.500')).toBe(1500);
		expect(parseWhole(' 20 ')).toBe(20);
		expect(parseWhole('2,5')).toBeNull();
		expect(parseWhole('-3')).toBeNull();
		expect(parseWhole('')).toBeNull();
		expect(parseRupiah('Rp 450.000')).toBe(450000);
		expect(parseRupiah('rp450000')).toBe(450000);
		expect(parseRupiah('0')).toBe(0);
		expect(parseRupiah('abc')).toBeNull();
	});
});

describe('a stock count', () => {
	it('finds the correction the books need', () => {
		expect(countCorrection(10, 10)).toBeNull();
		expect(countCorrection(10, 13)).toEqual({ direction: 'in', quantity: 3 });
		expect(countCorrection(10, 4)).toEqual({ direction: 'out', quantity: 6 });
		expect(countCorrection(0, 2)).toEqual({ direction: 'in', quantity: 2 });
	});

	it('posts a counted item as one adjustment into or out of the place', () => {
		const target = { itemId: 'item', locationId: 'place', reason: '  stock opname Nov ' };
		expect(adjustmentBodies({ direction: 'in', quantity: 3 }, target, null)).toEqual([
			{ kind: 'adjustment', item_id: 'item', quantity: 3, to_location_id: 'place', reason: 'stock opname Nov' }
		]);
		expect(adjustmentBodies({ direction: 'out', quantity: 6 }, target, null)).toEqual([
			{ kind: 'adjustment', item_id: 'item', quantity: 6, from_location_id: 'place', reason: 'stock opname Nov' }
		]);
	});

	it('posts a serial-numbered item unit by unit', () => {
		const bodies = adjustmentBodies({ direction: 'out', quantity: 2 }, { itemId: 'ont', locationId: 'g', reason: 'hilang' }, ['A1', 'B2']);
		expect(bodies).toEqual([
			{ kind: 'adjustment', item_id: 'ont', quantity: 1, serial: 'A1', from_location_id: 'g', reason: 'hilang' },
			{ kind: 'adjustment', item_id: 'ont', quantity: 1, serial: 'B2', from_location_id: 'g', reason: 'hilang' }
		]);
	});
});

describe('stock totals', () => {
	it('adds the value in rupiah and the quantities by unit', () => {
		const lines = [
			{ quantity: 3, value: 1_050_000, item: { unit: 'pcs' } },
			{ quantity: 300, value: 750_000, item: { unit: 'm' } },
			{ quantity: 20, value: 40_000, item: { unit: 'pcs' } }
		];
		expect(stockTotals(lines)).toEqual({ value: 1_840_000, byUnit: { pcs: 23, m: 300 } });
		expect(stockTotals([])).toEqual({ value: 0, byUnit: {} });
	});

	it('signs a movement by the place it is seen from', () => {
		const m = { quantity: 5, from: { id: 'a' }, to: { id: 'b' } } as Parameters<typeof signedQuantity>[0];
		expect(signedQuantity(m, 'a')).toBe(-5);
		expect(signedQuantity(m, 'b')).toBe(5);
		expect(signedQuantity(m, 'c')).toBe(0);
		expect(signedQuantity({ quantity: 2, from: null, to: null }, 'a')).toBe(0);
	});
});

describe('stock conflicts', () => {
	it('reads how much a place holds', () => {
		expect(readStockConflict('Gudang Bandung holds 300 m of Drop cable 1 core; 500 asked.')).toEqual({
			kind: 'short',
			place: 'Gudang Bandung',
			have: 300,
			unit: 'm',
			item: 'Drop cable 1 core',
			want: 500
		});
		expect(readStockConflict('Gudang holds 0 pcs of Patch cord of 3 m; 1 asked.')).toMatchObject({ place: 'Gudang', item: 'Patch cord of 3 m', have: 0 });
	});

	it('reads a unit that is elsewhere or moved meanwhile', () => {
		expect(readStockConflict('Unit ZTE1 is not at Gudang Bandung.')).toEqual({ kind: 'elsewhere', serial: 'ZTE1', place: 'Gudang Bandung' });
		expect(readStockConflict('Unit ZTE1 moved meanwhile; look again.')).toEqual({ kind: 'moved', serial: 'ZTE1' });
		expect(readStockConflict('a movement with this id was made already')).toEqual({ kind: 'duplicate' });
	});

	it('leaves other sentences alone', () => {
		expect(readStockConflict('Something else happened.')).toBeNull();
		expect(readStockConflict(null)).toBeNull();
	});
});

describe('form errors named by the form', () => {
	it('renames the fields of a validation problem', () => {
		const error = new ApiError('validation', 422, {
			type: '/problems/validation',
			title: 'Invalid input',
			status: 422,
			errors: [
				{ field: 'to_technician_id', code: 'unknown', detail: 'no such technician' },
				{ field: 'quantity', code: 'range', detail: 'x' }
			]
		});
		const renamed = renameErrorFields(error, { to_technician_id: 'to', to_location_id: 'to' }) as ApiError;
		expect(renamed.fieldErrors.map((e) => e.field)).toEqual(['to', 'quantity']);
		expect(renamed.status).toBe(422);
	});

	it('passes anything else unchanged', () => {
		const conflict = new ApiError('conflict', 409, { type: '/problems/conflict', title: 'Conflict', status: 409, detail: 'x' });
		expect(renameErrorFields(conflict, { a: 'b' })).toBe(conflict);
		expect(renameErrorFields(null, {})).toBeNull();
	});
});

describe('links and ids', () => {
	it('links a technician place to the technician and the rest to the place', () => {
		expect(placeHref({ id: 'p', kind: 'technician', technician_id: 't' })).toBe('/console/inventory/technicians/t');
		expect(placeHref({ id: 'p', kind: 'warehouse', technician_id: null })).toBe('/console/inventory/locations/p');
		expect(unitHref('ZTE 1/2')).toBe('/console/inventory/assets/ZTE%201%2F2');
	});

	it('makes UUIDs for movements', () => {
		expect(newMovementId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(newMovementId()).not.toBe(newMovementId());
	});

	it('keeps a movement id until the server answered', () => {
		let n = 0;
		const ids = new MovementIds(() => `id-${++n}`);
		const body = { kind: 'receipt', serial: 'A1' };
		expect(ids.for(body)).toBe('id-1');
		ids.answered(body, new ApiError('network', 0, null));
		expect(ids.for({ ...body })).toBe('id-1');
		ids.answered(body, new ApiError('server', 503, null));
		expect(ids.for(body)).toBe('id-1');
		ids.answered(body, new ApiError('validation', 422, null));
		expect(ids.for(body)).toBe('id-2');
		ids.answered(body);
		expect(ids.for(body)).toBe('id-3');
		expect(ids.for({ kind: 'receipt', serial: 'B2' })).toBe('id-4');
	});
});
