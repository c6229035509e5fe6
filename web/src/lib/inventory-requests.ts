/**
 * Technicians' requests for material and what a job used, kept pure for
 * tests: the lines of a request form and their checks, the server's field
 * names mapped back onto the form's lines, an issue's serial numbers per
 * line, a request's lines with their items, and what a technician may
 * record on a job from their own stock.
 */
import type { DecisionBody, EquipmentBody, Item, MaterialRequest, RequestBody, Terms, TechnicianStock } from '$lib/api/inventory';
import { MAX_QUANTITY, parseSerialLines, parseWhole } from '$lib/inventory';
import { toApiError } from '$lib/api/problem';

/** A request's states, as the server names them (`requested` waits for the storekeeper). */
export const REQUEST_STATUSES = ['requested', 'issued', 'rejected', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The most lines one request may have (the server's `MAX_LINES`). */
export const MAX_REQUEST_LINES = 30;

/** Whether a request still waits for a decision (and may be issued, refused or withdrawn). */
export function isWaiting(request: Pick<MaterialRequest, 'status'>): boolean {
	return request.status === 'requested';
}

/**
 * Whether a decision was refused because the request was decided meanwhile
 * (by someone else, or withdrawn): a `412` (its version moved on) or the
 * server's `409` "This request is issued already."; not a `409` about stock.
 */
export function decidedMeanwhile(error: unknown): boolean {
	const err = toApiError(error);
	if (err.status === 412) return true;
	return err.status === 409 && /^this request is \w+ already/i.test(err.problem?.detail?.trim() ?? '');
}

/** One line of the request form as typed: an item chosen and a quantity as text. `key` stays with the line. */
export interface DraftLine {
	key: number;
	itemId: string;
	quantity: string;
}

/** The form fields of a line (its inputs' ids and error keys). */
export function lineFields(key: number): { item: string; quantity: string } {
	return { item: `line-${key}-item`, quantity: `line-${key}-quantity` };
}

/** A line nobody filled in: left out of the request. */
function blank(line: DraftLine): boolean {
	return !line.itemId && !line.quantity.trim();
}

/** What the form's own checks found, by form field: an item not chosen, a quantity out of range, an item twice, no line at all. */
export type RequestProblem = 'item' | 'quantity' | 'duplicate' | 'empty' | 'too_many';

export function checkRequest(lines: readonly DraftLine[]): Record<string, RequestProblem> {
	const found: Record<string, RequestProblem> = {};
	const filled = lines.filter((l) => !blank(l));
	if (filled.length === 0) found.lines = 'empty';
	else if (filled.length > MAX_REQUEST_LINES) found.lines = 'too_many';
	const seen = new Set<string>();
	for (const line of filled) {
		const fields = lineFields(line.key);
		if (!line.itemId) found[fields.item] = 'item';
		else if (seen.has(line.itemId)) found[fields.item] = 'duplicate';
		seen.add(line.itemId);
		const quantity = parseWhole(line.quantity);
		if (quantity === null || quantity < 1 || quantity > MAX_QUANTITY) found[fields.quantity] = 'quantity';
	}
	return found;
}

/**
 * The body of a request from the lines typed (blank lines left out) and
 * `keys`, the line each sent line came from, to put the server's
 * `lines[2].quantity` back on the right line.
 */
export function requestBody(lines: readonly DraftLine[], note: string): { body: RequestBody; keys: number[] } {
	const filled = lines.filter((l) => !blank(l));
	return {
		body: {
			lines: filled.map((l) => ({ item_id: l.itemId, quantity: parseWhole(l.quantity) ?? 0 })),
			...(note.trim() ? { note: note.trim() } : {})
		},
		keys: filled.map((l) => l.key)
	};
}

/** The server's field names of a request's lines (`lines[1].item_id`) → the form's (`line-7-item`), for `renameErrorFields`. */
export function requestFieldNames(keys: readonly number[]): Record<string, string> {
	const names: Record<string, string> = {};
	keys.forEach((key, index) => {
		const fields = lineFields(key);
		names[`lines[${index}].item_id`] = fields.item;
		names[`lines[${index}].quantity`] = fields.quantity;
	});
	return names;
}

/** A request's line with its item, as lists show it; an item the catalogue no longer lists keeps its id. */
export interface ShownLine {
	itemId: string;
	name: string;
	code: string;
	unit: string;
	quantity: number;
	tracked: boolean;
	known: boolean;
}

export function shownLines(request: Pick<MaterialRequest, 'lines'>, items: ReadonlyMap<string, Pick<Item, 'name' | 'code' | 'unit' | 'serial_tracked'>>): ShownLine[] {
	return request.lines.map((l) => {
		const item = items.get(l.item_id);
		return {
			itemId: l.item_id,
			name: item?.name ?? l.item_id.slice(0, 8),
			code: item?.code ?? '',
			unit: item?.unit ?? '',
			quantity: l.quantity,
			tracked: !!item?.serial_tracked,
			known: !!item
		};
	});
}

/** Where the serial numbers typed for one serial-numbered line of an issue stand. */
export interface SerialCount {
	itemId: string;
	needed: number;
	given: number;
	/** Line numbers that repeat a serial typed above them (left out). */
	repeated: number[];
}

/** Per serial-numbered line: how many serial numbers it needs and how many were typed (one per line). */
export function serialCounts(lines: readonly Pick<ShownLine, 'itemId' | 'quantity' | 'tracked'>[], typed: Readonly<Record<string, string>>): SerialCount[] {
	return lines
		.filter((l) => l.tracked)
		.map((l) => {
			const parsed = parseSerialLines(typed[l.itemId] ?? '');
			return { itemId: l.itemId, needed: l.quantity, given: parsed.units.length, repeated: parsed.repeated };
		});
}

/**
 * The body that issues a request from a warehouse: every serial number
 * typed for its serial-numbered lines (upper case, each once), and the
 * note when there is one.
 */
export function issueBody(fromLocationId: string, lines: readonly Pick<ShownLine, 'itemId' | 'tracked'>[], typed: Readonly<Record<string, string>>, note: string): DecisionBody {
	const serials: string[] = [];
	for (const line of lines) {
		if (!line.tracked) continue;
		for (const unit of parseSerialLines(typed[line.itemId] ?? '').units) if (!serials.includes(unit.serial)) serials.push(unit.serial);
	}
	return {
		decision: 'issue',
		from_location_id: fromLocationId,
		...(serials.length > 0 ? { serials } : {}),
		...(note.trim() ? { note: note.trim() } : {})
	};
}

/** What a technician carries of one item, as the "record material" form offers it. */
export interface CarriedChoice {
	item: TechnicianStock['lines'][number]['item'];
	quantity: number;
	/** The units' serial numbers (serial-numbered items). */
	serials: string[];
}

/** The technician's stock as choices for a job, by item name. */
export function carriedChoices(stock: Pick<TechnicianStock, 'lines' | 'units'>): CarriedChoice[] {
	return stock.lines
		.filter((l) => l.quantity > 0)
		.map((l) => ({
			item: l.item,
			quantity: l.quantity,
			serials: stock.units
				.filter((u) => u.item_id === l.item.id)
				.map((u) => u.serial)
				.sort()
		}))
		.sort((a, b) => a.item.name.localeCompare(b.item.name, 'id'));
}

/** The carried unit a scanned code names (serials compared without spaces or case), or null when it is not in this stock. */
export function choiceBySerial(choices: readonly CarriedChoice[], code: string): { choice: CarriedChoice; serial: string } | null {
	const wanted = code.replace(/\s+/g, '').toUpperCase();
	if (!wanted) return null;
	for (const choice of choices) {
		const serial = choice.serials.find((s) => s.replace(/\s+/g, '').toUpperCase() === wanted);
		if (serial) return { choice, serial };
	}
	return null;
}

/** What the "record material" form found wrong before sending, by field. */
export type EquipmentProblem = 'item' | 'quantity' | 'serial';

/**
 * The body recording what a job used: a serial-numbered unit by its serial
 * (and its terms at the customer's), or a quantity of a counted item; the
 * form's own problems when it cannot be sent.
 */
export function equipmentBody(
	choice: CarriedChoice | null,
	input: { quantity: string; serial: string; terms: Terms | '' }
): { body: EquipmentBody; problems: null } | { body: null; problems: Partial<Record<'item_id' | 'quantity' | 'serial', EquipmentProblem>> } {
	if (!choice) return { body: null, problems: { item_id: 'item' } };
	if (choice.item.serial_tracked) {
		const serial = input.serial.trim().toUpperCase();
		if (!serial) return { body: null, problems: { serial: 'serial' } };
		return { body: { item_id: choice.item.id, serial, quantity: 1, ...(input.terms ? { terms: input.terms } : {}) }, problems: null };
	}
	const quantity = parseWhole(input.quantity);
	if (quantity === null || quantity < 1 || quantity > MAX_QUANTITY) return { body: null, problems: { quantity: 'quantity' } };
	return { body: { item_id: choice.item.id, quantity }, problems: null };
}
