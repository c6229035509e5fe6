/** Ticket calls: reads, and the writes that carry the version read (`If-Match`). */
import { ifMatch } from '$lib/tickets';
import { unwrap, type ApiClient } from './client';
import { toApiError } from './problem';
import type { components } from './schema';
import type { ProblemCategory, Ticket, TicketPatch, TransitionInput } from './types';

export function getTicket(client: ApiClient, id: string): Promise<Ticket> {
	return unwrap(client.GET('/api/v1/tickets/{id}', { params: { path: { id } } }));
}

/** Moves a ticket from the version read; a 412 means someone else changed it first. */
export function moveTicket(client: ApiClient, ticket: Pick<Ticket, 'id' | 'version'>, body: TransitionInput): Promise<Ticket> {
	return unwrap(
		client.POST('/api/v1/tickets/{id}/transitions', {
			params: { path: { id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
			body
		})
	);
}

export function patchTicket(client: ApiClient, ticket: Pick<Ticket, 'id' | 'version'>, body: TicketPatch): Promise<Ticket> {
	return unwrap(
		client.PATCH('/api/v1/tickets/{id}', {
			params: { path: { id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
			body
		})
	);
}

/**
 * Sets the ticket's crew (the members besides its lead, `[]` for none) from
 * the version read; a 412 means someone changed it first, a 409 that it has
 * no lead or is finished.
 */
export function setCrew(client: ApiClient, ticket: Pick<Ticket, 'id' | 'version'>, memberIds: string[]): Promise<Ticket> {
	return unwrap(
		client.PUT('/api/v1/tickets/{id}/crew', {
			params: { path: { id: ticket.id } },
			headers: { 'If-Match': ifMatch(ticket.version) },
			body: { member_ids: memberIds }
		})
	);
}

/** Whether a write failed because the ticket changed since it was read (412). */
export function isStale(error: unknown): boolean {
	const e = toApiError(error);
	return e.status === 412 || e.type === '/problems/stale';
}

/** Whether a move is no longer possible from the ticket's status now (409). */
export function isNotAllowed(error: unknown): boolean {
	return toApiError(error).type === '/problems/transition-not-allowed';
}

export type Technician = components['schemas']['Technician'];

/**
 * The active technicians the caller may assign (CS and admins all, a
 * supervisor those of their teams and areas), by name, each with their
 * teams and how many open tickets they hold now.
 */
export async function listTechnicians(client: ApiClient, filter: { q?: string; area_id?: string } = {}): Promise<Technician[]> {
	const page = await unwrap(
		client.GET('/api/v1/technicians', {
			params: { query: { q: filter.q || undefined, area_id: filter.area_id || undefined } }
		})
	);
	return [...page.items].sort((a, b) => a.name.localeCompare(b.name));
}

export async function listProblemCategories(client: ApiClient): Promise<ProblemCategory[]> {
	const page = await unwrap(client.GET('/api/v1/problem-categories'));
	return page.items;
}
