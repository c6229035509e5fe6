/**
 * Inventory rules the screens need, kept pure for tests: which places a
 * movement joins (as the server checks them), a stock count's correction,
 * serial numbers typed one per line, totals in rupiah, and the server's
 * conflict sentences read back into their parts.
 */
import { ApiError, toApiError } from '$lib/api/problem';
import type { ItemKind, Movement, MovementKind, PlaceKind, StockLocation, Terms } from '$lib/api/inventory';

export const ITEM_KINDS: readonly ItemKind[] = ['ont', 'router', 'drop_cable', 'patch_cord', 'connector', 'splitter', 'tool', 'other'];
export const PLACE_KINDS: readonly PlaceKind[] = ['warehouse', 'technician', 'customer', 'rma', 'written_off'];
/** The places made by hand; technicians' and customers' come by themselves. */
export const MADE_PLACE_KINDS: readonly PlaceKind[] = ['warehouse', 'rma', 'written_off'];
export const MOVEMENT_KINDS: readonly MovementKind[] = ['receipt', 'transfer', 'issue', 'install', 'return', 'faulty', 'write_off', 'adjustment'];
export const TERMS: readonly Terms[] = ['loaned', 'rented', 'sold'];
export const UNITS = ['pcs', 'm'] as const;

/** The most one movement may carry (as the server allows). */
export const MAX_QUANTITY = 1_000_000;

/** What the caller may do with stock, from their permissions. */
export function inventoryAccess(permissions: readonly string[] | null | undefined): { read: boolean; manage: boolean; approve: boolean } {
	const has = (p: string) => !!permissions?.includes(p);
	return { read: has('inventory.read'), manage: has('inventory.manage'), approve: has('inventory.approve') };
}

/** ONTs and routers are tracked unit by unit unless said otherwise. */
export function serialTrackedByDefault(kind: string): boolean {
	return kind === 'ont' || kind === 'router';
}

/** Drop cable is counted in metres, the rest in pieces. */
export function unitByDefault(kind: string): 'pcs' | 'm' {
	return kind === 'drop_cable' ? 'm' : 'pcs';
}

/**
 * Whether a movement of `kind` may go from a place of kind `from` to one of
 * kind `to` (null: outside NetCrew, a supplier or a count's correction):
 * the same rule the server checks.
 */
export function joins(kind: MovementKind, from: PlaceKind | null, to: PlaceKind | null): boolean {
	switch (kind) {
		case 'receipt':
			return from === null && to === 'warehouse';
		case 'transfer':
			return (from === 'warehouse' && to === 'warehouse') || (from === 'technician' && to === 'technician');
		case 'issue':
			return from === 'warehouse' && to === 'technician';
		case 'install':
			return from === 'technician' && to === 'customer';
		case 'return':
			return (
				(from === 'technician' && to === 'warehouse') ||
				(from === 'customer' && (to === 'technician' || to === 'warehouse')) ||
				(from === 'rma' && to === 'warehouse')
			);
		case 'faulty':
			return (from === 'warehouse' || from === 'technician' || from === 'customer') && to === 'rma';
		case 'write_off':
			return (from === 'warehouse' || from === 'technician' || from === 'customer' || from === 'rma') && to === 'written_off';
		case 'adjustment':
			return (from === null) !== (to === null) && ['warehouse', 'technician'].includes((from ?? to) as string);
	}
}

/** The kinds of place a movement may leave from (none: it comes from outside). */
export function fromKinds(kind: MovementKind): PlaceKind[] {
	return PLACE_KINDS.filter((f) => PLACE_KINDS.some((t) => joins(kind, f, t)));
}

/** The kinds of place a movement may go to, from a place of kind `from` when known. */
export function toKinds(kind: MovementKind, from?: PlaceKind | null): PlaceKind[] {
	const froms: (PlaceKind | null)[] = from !== undefined ? [from] : [null, ...PLACE_KINDS];
	return PLACE_KINDS.filter((t) => froms.some((f) => joins(kind, f, t)));
}

/** A unit typed on one line of a list: its serial number and, on receipt, its MAC address. */
export interface SerialLine {
	/** The line number (from 1) in what was typed. */
	line: number;
	serial: string;
	mac: string | null;
}

/**
 * Serial numbers one per line, optionally followed by a MAC address (after
 * a space, tab, comma or semicolon), as typed or scanned. Blank lines are
 * skipped; serials are compared as the server keeps them (upper case). A
 * serial given twice is kept once, and its later lines are listed in
 * `repeated`.
 */
export function parseSerialLines(text: string): { units: SerialLine[]; repeated: number[] } {
	const units: SerialLine[] = [];
	const repeated: number[] = [];
	const seen = new Set<string>();
	text.split(/\r?\n/).forEach((raw, index) => {
		const parts = raw.trim().split(/[\s,;]+/).filter(Boolean);
		const serial = parts[0]?.toUpperCase();
		if (!serial) return;
		if (seen.has(serial)) {
			repeated.push(index + 1);
			return;
		}
		seen.add(serial);
		units.push({ line: index + 1, serial, mac: parts[1] ?? null });
	});
	return { units, repeated };
}

/** The lines of `text` whose serials are not in `done`, as text again (what is left to send). */
export function remainingSerialLines(text: string, done: ReadonlySet<string>): string {
	return text
		.split(/\r?\n/)
		.filter((raw) => {
			const serial = raw.trim().split(/[\s,;]+/)[0]?.toUpperCase();
			return !!serial && !done.has(serial);
		})
		.map((raw) => raw.trim())
		.join('\n');
}

/** A whole number of units typed (dots and spaces as thousands separators); null when it is not one. */
export function parseWhole(text: string): number | null {
	const clean = text.trim().replace(/[.\s]/g, '');
	if (!/^\d+$/.test(clean)) return null;
	const value = Number(clean);
	return Number.isSafeInteger(value) ? value : null;
}

/** A rupiah amount typed: "450.000", "Rp 450.000" or "450000"; null when it is not one. */
export function parseRupiah(text: string): number | null {
	return parseWhole(text.replace(/^\s*rp\.?\s*/i, ''));
}

/** A count's correction: what goes in (found more) or out (found less) to make the books say `counted`. */
export interface CountCorrection {
	direction: 'in' | 'out';
	quantity: number;
}

/** The adjustment a count needs: none when the books are right. */
export function countCorrection(onHand: number, counted: number): CountCorrection | null {
	const difference = counted - onHand;
	if (difference === 0) return null;
	return difference > 0 ? { direction: 'in', quantity: difference } : { direction: 'out', quantity: -difference };
}

/**
 * The movements that correct a count of `itemId` at `locationId`: one
 * movement of the whole difference for a counted item, one per unit for a
 * serial-numbered one (`serials`, as many as the difference).
 */
export function adjustmentBodies(
	correction: CountCorrection,
	target: { itemId: string; locationId: string; reason: string },
	serials: readonly string[] | null
): { kind: 'adjustment'; item_id: string; quantity: number; from_location_id?: string; to_location_id?: string; serial?: string; reason: string }[] {
	const place = correction.direction === 'in' ? { to_location_id: target.locationId } : { from_location_id: target.locationId };
	const base = { kind: 'adjustment' as const, item_id: target.itemId, reason: target.reason.trim(), ...place };
	if (serials === null) return [{ ...base, quantity: correction.quantity }];
	return serials.map((serial) => ({ ...base, quantity: 1, serial }));
}

/** The value of stock lines in rupiah, and how much of each unit (`pcs`, `m`) they hold. */
export function stockTotals(lines: readonly { quantity: number; value: number; item: { unit: string } }[]): { value: number; byUnit: Record<string, number> } {
	let value = 0;
	const byUnit: Record<string, number> = {};
	for (const line of lines) {
		value += line.value;
		byUnit[line.item.unit] = (byUnit[line.item.unit] ?? 0) + line.quantity;
	}
	return { value, byUnit };
}

/** How a movement changes a place: `+3` into it, `-3` out of it, 0 when it does not touch it. */
export function signedQuantity(m: Pick<Movement, 'quantity' | 'from' | 'to'>, locationId: string): number {
	if (m.to?.id === locationId) return m.quantity;
	if (m.from?.id === locationId) return -m.quantity;
	return 0;
}

/** What a `409` about stock says, read from the server's sentence. */
export type StockConflict =
	| { kind: 'short'; place: string; have: number; unit: string; item: string; want: number }
	| { kind: 'elsewhere'; serial: string; place: string }
	| { kind: 'moved'; serial: string }
	| { kind: 'duplicate' };

/**
 * Reads the server's conflict detail ("Gudang Bandung holds 3 pcs of ONT
 * ZTE F670L; 5 asked.", "Unit ZTEG1234 is not at Gudang Bandung.") into
 * its parts, so it can be said in the reader's language; null for any
 * other sentence (shown as it is).
 */
export function readStockConflict(detail: string | null | undefined): StockConflict | null {
	const text = (detail ?? '').trim();
	const short = /^(.+?) holds (-?\d+) (\S+) of (.+); (\d+) asked\.?$/s.exec(text);
	if (short) return { kind: 'short', place: short[1]!, have: Number(short[2]), unit: short[3]!, item: short[4]!, want: Number(short[5]) };
	const elsewhere = /^Unit (\S+) is not at (.+?)\.?$/s.exec(text);
	if (elsewhere) return { kind: 'elsewhere', serial: elsewhere[1]!, place: elsewhere[2]! };
	const moved = /^Unit (\S+) moved meanwhile/.exec(text);
	if (moved) return { kind: 'moved', serial: moved[1]! };
	if (/^a movement with this id was made already/i.test(text)) return { kind: 'duplicate' };
	return null;
}

/**
 * The same error with its field errors renamed (`to_technician_id` →
 * `to`), so the messages of a form that names its fields differently from
 * the server show at the right inputs. Anything else passes unchanged.
 */
export function renameErrorFields(error: unknown, names: Readonly<Record<string, string>>): unknown {
	if (error === null || error === undefined) return error;
	const err = toApiError(error);
	if (!err.problem?.errors?.length) return error;
	const errors = err.problem.errors.map((e) => (names[e.field] ? { ...e, field: names[e.field]! } : e));
	return new ApiError(err.kind, err.status, { ...err.problem, errors }, { retryAfter: err.retryAfter });
}

/** The console page of a place: a technician's stock by their own page, the rest by the place's. */
export function placeHref(location: Pick<StockLocation, 'id' | 'kind' | 'technician_id'>): string {
	if (location.kind === 'technician' && location.technician_id) return `/console/inventory/technicians/${location.technician_id}`;
	return `/console/inventory/locations/${location.id}`;
}

/** The console page of a unit, by its serial number. */
export function unitHref(serial: string): string {
	return `/console/inventory/assets/${encodeURIComponent(serial)}`;
}

/** A new client id for a movement (sent again, the server makes it once). */
export function newMovementId(): string {
	if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	bytes[6] = (bytes[6]! & 0x0f) | 0x40;
	bytes[8] = (bytes[8]! & 0x3f) | 0x80;
	const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Client ids for many movements sent one by one: the same movement sent
 * again after no answer (the network dropped, the server failed) keeps its
 * id, so the server makes it once; after a refusal (4xx) or a success the
 * next send of the same body is a new movement with a new id.
 */
export class MovementIds {
	readonly #byBody = new Map<string, string>();
	readonly #make: () => string;

	constructor(make: () => string = newMovementId) {
		this.#make = make;
	}

	/** The id to send with this movement (`body` without its id). */
	for(body: object): string {
		const key = JSON.stringify(body);
		let id = this.#byBody.get(key);
		if (!id) {
			id = this.#make();
			this.#byBody.set(key, id);
		}
		return id;
	}

	/** The answer came: a success or a refusal is final, anything else (no answer, 5xx) keeps the id for a retry. */
	answered(body: object, error: unknown = null): void {
		const status = error === null ? 200 : toApiError(error).status;
		if (status >= 200 && status < 500) this.#byBody.delete(JSON.stringify(body));
	}
}

