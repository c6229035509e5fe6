/** The customer portal's calls: one's own tickets, reporting, moving, commenting, rating, photos. */
import { collectPages, unwrap, type ApiClient } from './client';
import { apiErrorFromResponse, toApiError } from './problem';
import type { ProblemCategory, Ticket, TicketStatus } from './types';
import { ifMatch } from '$lib/tickets';

/** The caller's tickets, newest first (a customer sees only their own); at most `maxPages` pages of 100. */
export async function listMyTickets(client: ApiClient, maxPages = 2): Promise<{ items: Ticket[]; truncated: boolean }> {
	const { items, truncated } = await collectPages(
		(cursor) =>
			unwrap(client.GET('/api/v1/tickets', { params: { query: { sort: 'newest', limit: 100, cursor } } })),
		maxPages
	);
	return { items, truncated };
}

/** The active problem categories, for the report form. */
export async function listProblemCategories(client: ApiClient): Promise<ProblemCategory[]> {
	const { items } = await unwrap(client.GET('/api/v1/problem-categories'));
	return items.filter((c) => c.active);
}

export function getTicket(client: ApiClient, id: string): Promise<Ticket> {
	return unwrap(client.GET('/api/v1/tickets/{id}', { params: { path: { id } } }));
}

/** Moves a ticket at the version read (`If-Match`); a stale version is a 412, a move not possible now a 409. */
export function moveTicket(
	client: ApiClient,
	ticket: Pick<Ticket, 'id' | 'version'>,
	to: TicketStatus,
	reason: string
): Promise<Ticket> {
	return unwrap(
		client.POST('/api/v1/tickets/{id}/transitions', {
			params: { path: { id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
			body: { to, reason }
		})
	);
}

export interface UploadOptions {
	csrfToken: string | null | undefined;
	fetch?: typeof fetch;
}

/**
 * Sends a photo as `multipart/form-data` (field `file`); the server checks
 * its type from the bytes, caps the size and resizes it. Throws an
 * `ApiError` as every other call does.
 */
export async function uploadAttachment(ticketId: string, file: Blob, name: string, options: UploadOptions): Promise<unknown> {
	const form = new FormData();
	form.append('file', file, name);
	const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
	if (options.csrfToken) headers['X-CSRF-Token'] = options.csrfToken;
	let response: Response;
	try {
		response = await (options.fetch ?? fetch)(`/api/v1/tickets/${encodeURIComponent(ticketId)}/attachments`, {
			method: 'POST',
			body: form,
			headers,
			credentials: 'same-origin'
		});
	} catch (error) {
		throw toApiError(error);
	}
	const text = await response.text().catch(() => '');
	let body: unknown = text;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		// not JSON: the problem parser gets the text
	}
	if (!response.ok) throw apiErrorFromResponse(response, body);
	return body;
}
