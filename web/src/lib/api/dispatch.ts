/** A ticket's assignment: who may do it, who should and why, and giving it to someone (at the version read). */
import { ifMatch } from '$lib/tickets';
import { unwrap, type ApiClient } from './client';
import type { AssignmentInput, AssignmentView, Ticket } from './types';

export function getAssignment(client: ApiClient, ticketId: string): Promise<AssignmentView> {
	return unwrap(client.GET('/api/v1/tickets/{id}/assignment', { params: { path: { id: ticketId } } }));
}

/** Gives the ticket to the best technician, or to the one chosen, from the version read; a 412 means someone changed it first. */
export function assignTicket(client: ApiClient, ticket: Pick<Ticket, 'id' | 'version'>, body: AssignmentInput): Promise<Ticket> {
	return unwrap(
		client.POST('/api/v1/tickets/{id}/assignment', {
			params: { path: { id: ticket.id } },
			headers: { 'If-Match': ifMatch(ticket.version) },
			body
		})
	);
}
