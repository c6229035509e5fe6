/**
 * Inventory calls: the item catalogue (changed with `If-Match`), stock
 * places, stock on hand (paged by offset), the movement ledger, units by
 * serial number, reorder levels, the technicians stock may be issued to,
 * technicians' requests for material and their decisions (`If-Match`),
 * what jobs used (the usage report, also as CSV) and what one job used.
 */
import { ifMatch } from '$lib/tickets';
import { collectPages, unwrap, unwrapEmpty, type ApiClient } from './client';
import type { components } from './schema';
import type { Page } from './types';

type Schemas = components['schemas'];
export type Item = Schemas['Item'];
export type ItemBody = Schemas['ItemBody'];
export type ItemKind = Schemas['ItemKind'];
export type Terms = Schemas['Terms'];
export type StockLocation = Schemas['StockLocation'];
export type PlaceKind = Schemas['PlaceKind'];
export type StockLine = Schemas['StockLine'];
export type Movement = Schemas['Movement'];
export type MovementBody = Schemas['MovementBody'];
export type MovementKind = Schemas['MovementKind'];
export type Unit = Schemas['Unit'];
export type UnitHistory = Schemas['UnitHistory'];
export type TechnicianStock = Schemas['TechnicianStock'];
export type MaterialRequest = Schemas['MaterialRequest'];
export type RequestBody = Schemas['RequestBody'];
export type RequestLine = Schemas['RequestLine'];
export type DecisionBody = Schemas['DecisionBody'];
export type RequestDecision = Schemas['RequestDecision'];
export type Usage = Schemas['Usage'];
export type UsageLine = Schemas['UsageLine'];
export type UsageGroup = Schemas['UsageGroup'];
export type EquipmentBody = Schemas['EquipmentBody'];

/** A stock line with the id lists need (one line per item and place). */
export type KeyedStockLine = StockLine & { id: string };

export function stockLineKey(line: Pick<StockLine, 'item' | 'location'>): string {
	return `${line.item.id}:${line.location.id}`;
}

export interface StockQuery {
	q?: string;
	location_id?: string;
	item_id?: string;
	location_kind?: PlaceKind;
	below_minimum?: boolean;
}

/**
 * One page of stock on hand. The server pages stock by offset and gives the
 * next offset as `next_cursor`, so a cursor here is that offset.
 */
export async function stockPage(client: ApiClient, query: StockQuery, cursor: string | undefined, limit = 50): Promise<Page<KeyedStockLine>> {
	const offset = cursor && /^\d+$/.test(cursor) ? Number(cursor) : undefined;
	const page = await unwrap(client.GET('/api/v1/inventory/stock', { params: { query: { ...query, limit, offset } } }));
	return { ...page, items: page.items.map((l) => ({ ...l, id: stockLineKey(l) })) };
}

export type StockTotals = Schemas['StockTotals'];

/** The number and value of every stock line matching, summed by the server. */
export function stockValue(client: ApiClient, query: StockQuery): Promise<StockTotals> {
	return unwrap(client.GET('/api/v1/inventory/stock/totals', { params: { query } }));
}

/** Every stock line matching, up to `maxPages` pages of 500. */
export async function allStock(client: ApiClient, query: StockQuery, maxPages = 4) {
	return collectPages((cursor) => stockPage(client, query, cursor, 500), maxPages);
}

export interface ItemQuery {
	q?: string;
	kind?: ItemKind;
	active?: boolean;
}

export function itemPage(client: ApiClient, query: ItemQuery, cursor: string | undefined, limit = 50): Promise<Page<Item>> {
	return unwrap(client.GET('/api/v1/inventory/items', { params: { query: { ...query, limit, cursor } } }));
}

/** The whole catalogue (or its active items), by code; at most 10 pages of 500. */
export async function listItems(client: ApiClient, query: ItemQuery = {}): Promise<Item[]> {
	const { items } = await collectPages((cursor) => itemPage(client, query, cursor, 500));
	return items;
}

/** Adds an item, or changes one from the version read (`If-Match`; a 412 means someone saved first). */
export function saveItem(client: ApiClient, item: Pick<Item, 'id' | 'version'> | null, body: ItemBody): Promise<Item> {
	if (!item) return unwrap(client.POST('/api/v1/inventory/items', { body }));
	return unwrap(
		client.PATCH('/api/v1/inventory/items/{id}', {
			params: { path: { id: item.id } },
			headers: { 'If-Match': ifMatch(item.version) },
			body
		})
	);
}

export interface LocationQuery {
	q?: string;
	kind?: PlaceKind;
}

export function locationPage(client: ApiClient, query: LocationQuery, cursor: string | undefined, limit = 50): Promise<Page<StockLocation>> {
	return unwrap(client.GET('/api/v1/inventory/locations', { params: { query: { ...query, limit, cursor } } }));
}

/** Places of one kind (or all), by name; at most `maxPages` pages of 500. */
export async function listLocations(client: ApiClient, query: LocationQuery = {}, maxPages = 4): Promise<StockLocation[]> {
	const { items } = await collectPages((cursor) => locationPage(client, query, cursor, 500), maxPages);
	return items;
}

/** The places stock is kept and moved between by hand: warehouses, RMA shelves, written-off places and technicians. */
export async function listStorePlaces(client: ApiClient): Promise<StockLocation[]> {
	const kinds: PlaceKind[] = ['warehouse', 'rma', 'written_off', 'technician'];
	const lists = await Promise.all(kinds.map((kind) => listLocations(client, { kind })));
	return lists.flat();
}

export function createLocation(client: ApiClient, body: { kind: string; name: string }): Promise<StockLocation> {
	return unwrap(client.POST('/api/v1/inventory/locations', { body }));
}

export interface MovementQuery {
	item_id?: string;
	location_id?: string;
	kind?: MovementKind;
	ticket_id?: string;
	from?: string;
	to?: string;
}

export function movementPage(client: ApiClient, query: MovementQuery, cursor: string | undefined, limit = 50): Promise<Page<Movement>> {
	return unwrap(client.GET('/api/v1/inventory/movements', { params: { query: { ...query, limit, cursor } } }));
}

/** Makes a movement; give it an `id` so that sending it again makes it once. */
export function postMovement(client: ApiClient, body: MovementBody): Promise<Movement> {
	return unwrap(client.POST('/api/v1/inventory/movements', { body }));
}

export function getUnit(client: ApiClient, idOrSerial: string): Promise<UnitHistory> {
	return unwrap(client.GET('/api/v1/inventory/assets/{id}', { params: { path: { id: idOrSerial } } }));
}

export function technicianStock(client: ApiClient, technicianId: string): Promise<TechnicianStock> {
	return unwrap(client.GET('/api/v1/technicians/{id}/stock', { params: { path: { id: technicianId } } }));
}

/** Sets (a number) or clears (null) the reorder level of an item at a place. */
export function setReorderLevel(client: ApiClient, body: { item_id: string; location_id: string; minimum: number | null }): Promise<void> {
	return unwrapEmpty(client.PUT('/api/v1/inventory/reorder-levels', { body }));
}

/** A technician stock can go to, by user id. */
export interface TechnicianChoice {
	id: string;
	name: string;
}

/**
 * The technicians the caller may choose from, by name, from every source
 * their role may read: the assignable technicians (`tickets.manage`), the
 * technician accounts (`users.read`), the technicians that already carry
 * stock (every inventory reader) and, for a role that may read neither
 * list (the storekeeper), those on the newest tickets (`tickets.read`).
 * A source that fails is left out.
 */
export async function technicianChoices(client: ApiClient, permissions: readonly string[]): Promise<TechnicianChoice[]> {
	const has = (p: string) => permissions.includes(p);
	const sources: Promise<TechnicianChoice[]>[] = [
		listLocations(client, { kind: 'technician' }).then((places) =>
			places.flatMap((p) => (p.technician_id ? [{ id: p.technician_id, name: p.name }] : []))
		)
	];
	// Those who assign technicians, and the storekeepers (who issue stock to them), may list them all.
	if (has('tickets.manage') || has('inventory.manage')) {
		sources.push(unwrap(client.GET('/api/v1/technicians')).then((page) => page.items.map((t) => ({ id: t.id, name: t.name }))));
	}
	if (has('users.read')) {
		sources.push(
			collectPages(
				(cursor) => unwrap(client.GET('/api/v1/users', { params: { query: { role: 'technician', status: 'active', limit: 500, cursor } } })),
				4
			).then(({ items }) => items.map((u) => ({ id: u.id, name: u.name })))
		);
	}
	if (!has('tickets.manage') && !has('inventory.manage') && !has('users.read') && has('tickets.read')) {
		sources.push(
			unwrap(client.GET('/api/v1/tickets', { params: { query: { sort: 'newest', limit: 500 } } })).then((page) =>
				page.items.flatMap((t) => [...(t.technician ? [t.technician] : []), ...(t.crew ?? [])].map((p) => ({ id: p.id, name: p.name })))
			)
		);
	}
	const found = await Promise.allSettled(sources);
	return mergeChoices(found.flatMap((r) => (r.status === 'fulfilled' ? r.value : [])));
}

/** Choices once each (the first name seen wins), by name. */
export function mergeChoices(choices: readonly TechnicianChoice[]): TechnicianChoice[] {
	const byId = new Map<string, TechnicianChoice>();
	for (const c of choices) if (c.id && !byId.has(c.id)) byId.set(c.id, { id: c.id, name: c.name });
	return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'id'));
}

export interface UnitQuery {
	q?: string;
	location_id?: string;
	item_id?: string;
	/** Only the ISP's loaned and rented units still at the homes of customers whose service has ended. */
	outstanding?: boolean;
}

export function unitPage(client: ApiClient, query: UnitQuery, cursor: string | undefined, limit = 50): Promise<Page<Unit>> {
	return unwrap(client.GET('/api/v1/inventory/assets', { params: { query: { ...query, limit, cursor } } }));
}

export interface RequestQuery {
	status?: string;
	technician_id?: string;
}

/** Requests for material, newest first (a technician gets only their own). */
export function requestPage(client: ApiClient, query: RequestQuery, cursor: string | undefined, limit = 50): Promise<Page<MaterialRequest>> {
	return unwrap(client.GET('/api/v1/inventory/requests', { params: { query: { ...query, limit, cursor } } }));
}

/** Asks for material (a technician: for themself, without `technician_id`). */
export function createRequest(client: ApiClient, body: RequestBody): Promise<MaterialRequest> {
	return unwrap(client.POST('/api/v1/inventory/requests', { body }));
}

/** Issues, refuses or withdraws a request, from the version read (`If-Match`; a 412 means it changed meanwhile). */
export function decideRequest(client: ApiClient, request: Pick<MaterialRequest, 'id' | 'version'>, body: DecisionBody): Promise<MaterialRequest> {
	return unwrap(
		client.POST('/api/v1/inventory/requests/{id}/decision', {
			params: { path: { id: request.id } },
			headers: { 'If-Match': ifMatch(request.version) },
			body
		})
	);
}

export interface UsageQuery {
	by: UsageGroup;
	/** First day, YYYY-MM-DD. */
	from: string;
	/** Last day, YYYY-MM-DD. */
	to: string;
}

/** What jobs used in a period, grouped. */
export function usageReport(client: ApiClient, query: UsageQuery): Promise<Usage> {
	return unwrap(client.GET('/api/v1/inventory/usage', { params: { query } }));
}

/** The address of the same report as a CSV file (a plain link: the session cookie goes with it). */
export function usageCsvHref(query: UsageQuery): string {
	const params = new URLSearchParams({ by: query.by, from: query.from, to: query.to, format: 'csv' });
	return `/api/v1/inventory/usage?${params}`;
}

/** Records what a job used from its technician's stock (give it an `id`: sent again, it is recorded once). */
export function recordEquipment(client: ApiClient, ticketId: string, body: EquipmentBody): Promise<Movement> {
	return unwrap(client.POST('/api/v1/tickets/{id}/equipment', { params: { path: { id: ticketId } }, body }));
}
