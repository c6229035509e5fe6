/** The customer portal's calls: one's own tickets and photos (the rest is shared with staff in `tickets.ts`). */
import { collectPages, unwrap, type ApiClient } from './client';
import { apiErrorFromResponse, toApiError } from './problem';
import type { components } from './schema';
import type { Ticket } from './types';

/** A file on a ticket; its bytes are at `url` (same origin, the session's cookie). */
export type Attachment = components['schemas']['Attachment'];

/** The caller's tickets, newest first (a customer sees only their own); at most `maxPages` pages of 100. */
export async function listMyTickets(client: ApiClient, maxPages = 2): Promise<{ items: Ticket[]; truncated: boolean }> {
	const { items, truncated } = await collectPages(
		(cursor) =>
			unwrap(client.GET('/api/v1/tickets', { params: { query: { sort: 'newest', limit: 100, cursor } } })),
		maxPages
	);
	return { items, truncated };
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
export async function uploadAttachment(ticketId: string, file: Blob, name: string, options: UploadOptions): Promise<Attachment> {
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
	return body as Attachment;
}

/**
 * A ticket's attachments, oldest first (a customer sees only the public
 * ones). Files removed after their retention time have no bytes left to
 * show, so the portal leaves them out rather than showing a broken picture.
 */
export async function listAttachments(client: ApiClient, ticketId: string): Promise<Attachment[]> {
	const page = await unwrap(client.GET('/api/v1/tickets/{id}/attachments', { params: { path: { id: ticketId } } }));
	return page.items.filter((a) => !a.removed_at);
}

export function isPhoto(a: Pick<Attachment, 'content_type'>): boolean {
	return a.content_type.startsWith('image/');
}

/** The caller's unread notifications, newest first (at most 200: enough to mark tickets with news). */
export async function listUnread(client: ApiClient) {
	const page = await unwrap(client.GET('/api/v1/notifications', { params: { query: { unread: true, limit: 200 } } }));
	return page.items;
}

/** Marks these notifications read (never all: only what the customer has now seen). */
export async function markRead(client: ApiClient, ids: string[]): Promise<void> {
	if (ids.length === 0) return;
	await unwrap(client.POST('/api/v1/notifications/read', { body: { ids } }));
}
