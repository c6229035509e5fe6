/** Inventory words in the reader's language: kinds, terms, units, quantities and the server's conflicts. */
import { m } from '$lib/paraglide/messages';
import { toApiError } from '$lib/api/problem';
import type { ItemKind, MovementKind, PlaceKind, Terms, UsageGroup } from '$lib/api/inventory';
import type { RequestStatus } from '$lib/inventory-requests';
import { monthName } from '$lib/inventory-usage';
import { ticketKindName } from './labels';
import { readStockConflict } from '$lib/inventory';
import { formatNumber } from '$lib/format';
import { fieldErrorText } from './field-errors';
import { getLocale } from '$lib/paraglide/runtime';

const ITEM_KIND_NAMES: Record<ItemKind, () => string> = {
	ont: () => m.inv_kind_ont(),
	router: () => m.inv_kind_router(),
	drop_cable: () => m.inv_kind_drop_cable(),
	patch_cord: () => m.inv_kind_patch_cord(),
	connector: () => m.inv_kind_connector(),
	splitter: () => m.inv_kind_splitter(),
	tool: () => m.inv_kind_tool(),
	other: () => m.inv_kind_other()
};

export function itemKindName(kind: string): string {
	return ITEM_KIND_NAMES[kind as ItemKind]?.() ?? kind;
}

const PLACE_KIND_NAMES: Record<PlaceKind, () => string> = {
	warehouse: () => m.inv_place_warehouse(),
	technician: () => m.inv_place_technician(),
	customer: () => m.inv_place_customer(),
	rma: () => m.inv_place_rma(),
	written_off: () => m.inv_place_written_off()
};

export function placeKindName(kind: string): string {
	return PLACE_KIND_NAMES[kind as PlaceKind]?.() ?? kind;
}

const MOVEMENT_KIND_NAMES: Record<MovementKind, () => string> = {
	receipt: () => m.inv_move_receipt(),
	transfer: () => m.inv_move_transfer(),
	issue: () => m.inv_move_issue(),
	install: () => m.inv_move_install(),
	return: () => m.inv_move_return(),
	faulty: () => m.inv_move_faulty(),
	write_off: () => m.inv_move_write_off(),
	adjustment: () => m.inv_move_adjustment()
};

export function movementKindName(kind: string): string {
	return MOVEMENT_KIND_NAMES[kind as MovementKind]?.() ?? kind;
}

const TERMS_NAMES: Record<Terms, () => string> = {
	loaned: () => m.inv_terms_loaned(),
	rented: () => m.inv_terms_rented(),
	sold: () => m.inv_terms_sold()
};

export function termsName(terms: string | null | undefined): string {
	if (!terms) return m.inv_terms_none();
	return TERMS_NAMES[terms as Terms]?.() ?? terms;
}

const REQUEST_STATUS_NAMES: Record<RequestStatus, () => string> = {
	requested: () => m.inv_req_status_requested(),
	issued: () => m.inv_req_status_issued(),
	rejected: () => m.inv_req_status_rejected(),
	cancelled: () => m.inv_req_status_cancelled()
};

/** A material request's state in words ("Menunggu", "Dikeluarkan", ...). */
export function requestStatusName(status: string): string {
	return REQUEST_STATUS_NAMES[status as RequestStatus]?.() ?? status;
}

const USAGE_GROUP_NAMES: Record<UsageGroup, () => string> = {
	month: () => m.inv_usage_by_month(),
	technician: () => m.inv_usage_by_technician(),
	ticket_kind: () => m.inv_usage_by_ticket_kind()
};

export function usageGroupName(by: string): string {
	return USAGE_GROUP_NAMES[by as UsageGroup]?.() ?? by;
}

/** A group of the usage report in words: a month by name, a kind of ticket by its name, a technician as the server names them. */
export function usageGroupLabel(by: string, group: { group: string; label: string }): string {
	if (by === 'month') return monthName(group.group, getLocale());
	if (by === 'ticket_kind') return ticketKindName(group.group);
	return group.label || group.group;
}

/** The name of a unit of measure in a choice ("Meter (m)"). */
export function unitName(unit: string): string {
	if (unit === 'm') return m.inv_unit_m_name();
	if (unit === 'pcs') return m.inv_unit_pcs_name();
	return unit;
}

/** "1.500 m", "3 pcs": a quantity with its unit, in the UI's number format. */
export function quantityText(quantity: number, unit: string): string {
	return `${formatNumber(quantity, getLocale())}\u00a0${unit}`;
}

/** A quantity as it changes a place: "+3 pcs", "−300 m". */
export function signedQuantityText(quantity: number, unit: string): string {
	if (quantity === 0) return quantityText(0, unit);
	return `${quantity > 0 ? '+' : '\u2212'}${quantityText(Math.abs(quantity), unit)}`;
}

/**
 * Why a movement was refused, in one sentence for a line of a list: the
 * stock conflict in the reader's words, the field errors, or the headline
 * of the failure (with the server's detail when it adds something).
 */
export function movementFailureText(error: unknown, headline: (error: unknown) => { title: string; detail: string | null }): string {
	const err = toApiError(error);
	if (err.status === 409) {
		const said = conflictText(err.problem?.detail);
		if (said) return said;
	}
	if (err.fieldErrors.length > 0) return err.fieldErrors.map((e) => fieldErrorText(e)).join(' ');
	const shown = headline(error);
	return shown.detail ? `${shown.title} ${shown.detail}` : shown.title;
}

/** A stock conflict (`409`) said in the reader's language; the server's own sentence when it is another one. */
export function conflictText(detail: string | null | undefined): string | null {
	const conflict = readStockConflict(detail);
	if (!conflict) return detail?.trim() || null;
	switch (conflict.kind) {
		case 'short':
			return m.inv_conflict_short({
				place: conflict.place,
				have: quantityText(conflict.have, conflict.unit),
				item: conflict.item,
				want: quantityText(conflict.want, conflict.unit)
			});
		case 'elsewhere':
			return m.inv_conflict_elsewhere({ serial: conflict.serial, place: conflict.place });
		case 'moved':
			return m.inv_conflict_moved({ serial: conflict.serial });
		case 'duplicate':
			return m.inv_conflict_duplicate();
	}
}
