/**
 * What a customer's tickets mean for the customer: which are still being
 * worked on, how far along a visit is, what they may do now (cancel,
 * dispute, rate), and what a live event from `/api/v1/events` is about.
 * Pure functions, unit-tested; the words are in `i18n/portal.ts`.
 */
import type { Ticket, TicketKind, TicketStatus } from '$lib/api/types';
import { TICKET_STATUSES } from '$lib/i18n/labels';
import type { LiveEvent } from '$lib/live.svelte';
import { isOpenStatus } from '$lib/tickets';

/** Whether work is still to be done (as the server's `is_open`). */
export function isOpen(status: TicketStatus): boolean {
	return isOpenStatus(status);
}

/** How a status chip looks: in progress, waiting, done, stopped. */
export type StatusTone = 'brand' | 'warn' | 'ok' | 'off' | 'neutral';

export function statusTone(status: TicketStatus): StatusTone {
	switch (status) {
		case 'new':
			return 'neutral';
		case 'assigned':
		case 'accepted':
		case 'en_route':
		case 'on_site':
		case 'reopened':
			return 'brand';
		case 'pending':
			return 'warn';
		case 'resolved':
		case 'closed':
			return 'ok';
		case 'cancelled':
			return 'off';
	}
}

/** The steps of a visit as the customer follows it. */
export const PROGRESS_STEPS = ['reported', 'assigned', 'en_route', 'on_site', 'done'] as const;
export type ProgressStep = (typeof PROGRESS_STEPS)[number];

/** The step a status has reached (`pending` and `reopened` stay where the work was). */
function reachedStep(status: TicketStatus, hasTechnician: boolean): number {
	switch (status) {
		case 'new':
			return 0;
		case 'assigned':
		case 'accepted':
			return 1;
		case 'en_route':
			return 2;
		case 'on_site':
			return 3;
		case 'resolved':
		case 'closed':
			return 4;
		case 'pending':
		case 'reopened':
		case 'cancelled':
			return hasTechnician ? 1 : 0;
	}
}

export interface ProgressView {
	steps: { step: ProgressStep; state: 'done' | 'current' | 'todo' }[];
	/** The visit stopped short (cancelled) or waits (pending): the current step is not moving. */
	halted: boolean;
}

/**
 * The progress bar of a ticket: reported → technician assigned → on the way →
 * at the place → done. The step reached is `current` (or `done` when the work
 * is finished), earlier ones `done`.
 */
export function progress(ticket: Pick<Ticket, 'status' | 'technician'>): ProgressView {
	const reached = reachedStep(ticket.status, !!ticket.technician);
	const finished = ticket.status === 'resolved' || ticket.status === 'closed';
	return {
		steps: PROGRESS_STEPS.map((step, i) => ({
			step,
			state: i < reached || (finished && i === reached) ? 'done' : i === reached ? 'current' : 'todo'
		})),
		halted: ticket.status === 'pending' || ticket.status === 'cancelled'
	};
}

type Actions = Pick<Ticket, 'status' | 'allowed_transitions' | 'rating'>;

/** The customer may still call the visit off (the server says so: not once the technician is on the way). */
export function canCancel(ticket: Actions): boolean {
	return ticket.allowed_transitions.includes('cancelled');
}

/** The customer may dispute a resolution (reopen), within the window the server allows. */
export function canReopen(ticket: Actions): boolean {
	return ticket.allowed_transitions.includes('reopened');
}

/** A resolved or closed visit not rated yet. */
export function canRate(ticket: Actions): boolean {
	return (ticket.status === 'resolved' || ticket.status === 'closed') && (ticket.rating ?? null) === null;
}

/**
 * The reason shown to the customer under a history entry: a technician's
 * reason for declining (or NetCrew's for taking an unaccepted assignment
 * back) is for the ISP, not the customer.
 */
export function customerReason(entry: { kind: string; reason?: string | null }): string | null {
	if (entry.kind === 'declined') return null;
	return entry.reason?.trim() || null;
}

/** Whether comments may still be written (not on a closed or cancelled ticket). */
export function canComment(ticket: Pick<Ticket, 'status'>): boolean {
	return ticket.status !== 'closed' && ticket.status !== 'cancelled';
}

/** Whether the ticket sits behind a known outage that is still being repaired. */
export function inOpenOutage(ticket: Pick<Ticket, 'status' | 'outage_id'>): boolean {
	return !!ticket.outage_id && isOpen(ticket.status);
}

/** The customer's tickets for "my tickets": open ones first, then the newest. */
export function sortForCustomer<T extends Pick<Ticket, 'status' | 'created_at'>>(tickets: readonly T[]): T[] {
	return [...tickets].sort((a, b) => {
		const open = Number(isOpen(b.status)) - Number(isOpen(a.status));
		if (open !== 0) return open;
		return b.created_at.localeCompare(a.created_at);
	});
}

/**
 * The installation a prospect is waiting for: the open one, else the newest
 * (a finished one says the connection is done).
 */
export function installationOf<T extends Pick<Ticket, 'kind' | 'status' | 'created_at'>>(
	tickets: readonly T[]
): T | null {
	const installs = sortForCustomer(tickets.filter((t) => t.kind === ('installation' satisfies TicketKind)));
	return installs.find((t) => t.status !== 'cancelled') ?? installs[0] ?? null;
}

/** A ticket event from the live stream: which ticket changed, to what. */
export interface TicketEvent {
	name: string;
	ticketId: string;
	status: TicketStatus | null;
	version: number | null;
}

function isTicketStatus(value: unknown): value is TicketStatus {
	return typeof value === 'string' && (TICKET_STATUSES as readonly string[]).includes(value);
}

/** The ticket a live event is about (`{"ticket_id", "status", "version", ...}`); null for outage events and the like. */
export function ticketEventOf(event: LiveEvent): TicketEvent | null {
	if (!event.name.startsWith('ticket.')) return null;
	const { ticket_id, status, version } = event;
	if (typeof ticket_id !== 'string' || ticket_id === '') return null;
	return {
		name: event.name,
		ticketId: ticket_id,
		status: isTicketStatus(status) ? status : null,
		version: typeof version === 'number' && Number.isInteger(version) ? version : null
	};
}

/** Whether an event says something newer than the version on screen. */
export function isNewer(event: TicketEvent, shown: Pick<Ticket, 'id' | 'version'> | null | undefined): boolean {
	if (!shown || event.ticketId !== shown.id) return false;
	// Comments and ratings may not change the version; refresh on them anyway.
	if (event.name === 'ticket.comment' || event.name === 'ticket.attachment') return true;
	return event.version === null || event.version > shown.version;
}

/** A key for `Idempotency-Key`, also where `crypto.randomUUID` is missing (plain http on a LAN address). */
export function newRequestKey(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
	const bytes = random(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Unread notifications by the ticket they are about (those about no ticket are left out). */
export function unreadByTicket(notifications: readonly { id: string; ticket_id?: string | null; read_at?: string | null }[]): Map<string, string[]> {
	const byTicket = new Map<string, string[]>();
	for (const n of notifications) {
		if (!n.ticket_id || n.read_at) continue;
		byTicket.set(n.ticket_id, [...(byTicket.get(n.ticket_id) ?? []), n.id]);
	}
	return byTicket;
}
