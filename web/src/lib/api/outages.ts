/** Outage calls: the list, one outage with its tickets, declaring and resolving (at the version read), suggestions. */
import { ifMatch } from '$lib/tickets';
import { unwrap, type ApiClient } from './client';
import type { OutageDetail, OutageInput, OutageSuggestion } from './types';

export function getOutage(client: ApiClient, id: string): Promise<OutageDetail> {
	return unwrap(client.GET('/api/v1/outages/{id}', { params: { path: { id } } }));
}

/** Declares an outage; `key` is the request's `Idempotency-Key` (a retry returns the first answer). */
export function declareOutage(client: ApiClient, body: OutageInput, key: string): Promise<OutageDetail> {
	return unwrap(client.POST('/api/v1/outages', { body, headers: { 'Idempotency-Key': key } }));
}

/** Resolves an outage from the version read; a 412 means someone changed it first. */
export function resolveOutage(client: ApiClient, outage: { id: string; version: number }, resolution: string): Promise<OutageDetail> {
	return unwrap(
		client.POST('/api/v1/outages/{id}/resolution', {
			params: { path: { id: outage.id }, header: { 'If-Match': ifMatch(outage.version) } },
			body: { resolution }
		})
	);
}

/** ODPs from which several repairs came in lately, the most first. */
export async function listSuggestions(client: ApiClient): Promise<OutageSuggestion[]> {
	return (await unwrap(client.GET('/api/v1/outage-suggestions'))).items;
}

/**
 * How many tickets an outage gathered: the ticket list's total (one row
 * asked) where `listShowsAll` (the caller sees every ticket of its area),
 * else the outage's own count.
 */
export async function countOutageTickets(client: ApiClient, outageId: string, listShowsAll: boolean): Promise<number> {
	if (!listShowsAll) return (await getOutage(client, outageId)).ticket_total;
	const page = await unwrap(client.GET('/api/v1/tickets', { params: { query: { outage_id: outageId, limit: 1 } } }));
	return page.total;
}

/** Runs `work` over `items` with at most `limit` at a time (a page of rows each asking one small question). */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const item = items[next++] as T;
			await work(item).catch(() => undefined);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
