/**
 * Outages on screen, as plain functions: the declaration form's values and
 * what it sends, a prefilled form from a suggestion, where an outage's
 * tickets stand, and which outage a live event is about. The server decides;
 * these only say what to show and what to send.
 */
import type { OutageElement, OutageInput, OutageTicket } from './api/types';
import type { LiveEvent } from './live.svelte';
import { isOpenStatus } from './tickets';

/** The elements an outage can sit on, in the order the form offers them. */
export const ELEMENT_KINDS: readonly OutageElement[] = ['odp', 'odc', 'area'];

export function isElementKind(value: unknown): value is OutageElement {
	return typeof value === 'string' && (ELEMENT_KINDS as readonly string[]).includes(value);
}

/** The declaration form, as typed. */
export interface DeclareValues {
	element_kind: OutageElement;
	/** The ODP or ODC (for those kinds). */
	element_id: string;
	/** The area (for an area outage). */
	area_id: string;
	title: string;
	cause: string;
}

/** The form's fields in form order (the server names its errors by them). */
export const DECLARE_FIELDS = ['element_kind', 'element_id', 'area_id', 'title', 'cause'] as const;

export function emptyDeclare(kind: OutageElement = 'odp'): DeclareValues {
	return { element_kind: kind, element_id: '', area_id: '', title: '', cause: '' };
}

/** What the form sends: the element its kind needs (an area for an area outage), and nothing of the other kinds. */
export function declareBody(values: DeclareValues): OutageInput {
	const body: OutageInput = {
		element_kind: values.element_kind,
		title: values.title.trim(),
		cause: values.cause.trim()
	};
	if (values.element_kind === 'area') body.area_id = values.area_id || null;
	else body.element_id = values.element_id || null;
	return body;
}

/** The address of the declaration form prefilled with an element (a suggestion's "declare"). */
export function declareHref(kind: OutageElement, elementId: string): string {
	const params = new URLSearchParams({ kind, element_id: elementId });
	return `/console/outages/new?${params}`;
}

/** The form's values from its address (`?kind=odp&element_id=...`); anything unknown is left at its default. */
export function declarePrefill(params: URLSearchParams): DeclareValues {
	const kind = params.get('kind');
	const values = emptyDeclare(isElementKind(kind) ? kind : 'odp');
	const element = params.get('element_id') ?? '';
	if (values.element_kind === 'area') values.area_id = params.get('area_id') || element;
	else values.element_id = element;
	return values;
}

/** Where an outage's tickets stand: still open, finished (resolved or closed), cancelled. */
export interface ChildSummary {
	total: number;
	open: number;
	finished: number;
	cancelled: number;
}

export function childSummary(tickets: readonly Pick<OutageTicket, 'status'>[]): ChildSummary {
	const summary: ChildSummary = { total: tickets.length, open: 0, finished: 0, cancelled: 0 };
	for (const t of tickets) {
		if (isOpenStatus(t.status)) summary.open++;
		else if (t.status === 'cancelled') summary.cancelled++;
		else summary.finished++;
	}
	return summary;
}

/** An outage event from the live stream (`outage.declared`, `outage.updated`, `outage.resolved`). */
export interface OutageEvent {
	name: string;
	outageId: string;
	version: number | null;
}

/** The outage a live event is about; null for ticket events and the like. */
export function outageEventOf(event: LiveEvent): OutageEvent | null {
	if (!event.name.startsWith('outage.')) return null;
	const id = event.outage_id;
	if (typeof id !== 'string' || id === '') return null;
	const version = event.version;
	return { name: event.name, outageId: id, version: typeof version === 'number' && Number.isInteger(version) ? version : null };
}

/**
 * Whether the ticket list shows someone every ticket of an outage in `areaId`
 * (its tickets are all of its area): admins, customer service, management
 * and the storekeeper see every ticket, a supervisor those of their areas. Where it does not,
 * the outage's own count (which sees them all) is the one to show.
 */
export function seesAllTicketsOf(me: { role: string; area_ids?: readonly string[] } | null | undefined, areaId: string): boolean {
	if (!me) return false;
	if (me.role === 'admin' || me.role === 'cs' || me.role === 'management' || me.role === 'warehouse') return true;
	return me.role === 'supervisor' && !!me.area_ids?.includes(areaId);
}

/** Among `outages`, the open one on this element (a declaration refused with a 409 names it). */
export function openOutageOn<O extends { status: string; element_kind: string; element_id?: string | null; area_id: string }>(
	outages: readonly O[],
	kind: OutageElement,
	elementId: string
): O | null {
	return (
		outages.find(
			(o) => o.status === 'open' && o.element_kind === kind && (o.element_id === elementId || (kind === 'area' && !o.element_id && o.area_id === elementId))
		) ?? null
	);
}
