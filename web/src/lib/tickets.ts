/**
 * Ticket rules the screens need, as plain functions: which statuses are
 * open, what a move asks the user for, the order of the action buttons, and
 * where a ticket stands against its SLA right now (the countdown). The
 * server decides; these only say what to show and what to ask.
 */
import type { SlaState, TicketStatus } from './api/types';

/** Statuses in which work is still to be done. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
	'new',
	'assigned',
	'accepted',
	'en_route',
	'on_site',
	'pending',
	'reopened'
];

export function isOpenStatus(status: string): boolean {
	return (OPEN_STATUSES as readonly string[]).includes(status);
}

/** What a move asks for before it can be sent. */
export type MoveField = 'technician_id' | 'pause_reason' | 'next_visit' | 'remote_reason' | 'reason';

export interface MoveNeeds {
	/** The inputs the move's dialog shows, in order. */
	fields: MoveField[];
	/** Whether the free-text reason must be filled (cancel, reopen, decline). */
	reasonRequired: boolean;
}

/**
 * What moving a ticket from `from` to `to` needs: a technician to assign, a
 * pause reason to wait (and, if agreed, the next visit), a remote reason to resolve without a visit (a repair
 * CS settles by phone), a reason to cancel, reopen or decline. A move that
 * needs nothing is one tap.
 */
export function moveNeeds(from: TicketStatus, to: TicketStatus): MoveNeeds {
	switch (to) {
		case 'new':
			return { fields: ['reason'], reasonRequired: true };
		case 'assigned':
			return { fields: ['technician_id'], reasonRequired: false };
		case 'pending':
			return { fields: ['pause_reason', 'next_visit', 'reason'], reasonRequired: false };
		case 'resolved':
			return from === 'on_site'
				? { fields: [], reasonRequired: false }
				: { fields: ['remote_reason', 'reason'], reasonRequired: false };
		case 'cancelled':
		case 'reopened':
			return { fields: ['reason'], reasonRequired: true };
		default:
			return { fields: [], reasonRequired: false };
	}
}

/**
 * Whether a move gives an assignment back: back to `new` from `assigned` is
 * the technician declining (or a supervisor taking it back).
 */
export function isDecline(from: TicketStatus, to: TicketStatus): boolean {
	return from === 'assigned' && to === 'new';
}

/**
 * Whether a ticket belongs in a technician's list of open jobs: open and
 * still theirs, as its lead or on its crew (one declined, handed to someone
 * else or whose crew they left leaves it).
 */
export function isOwnOpenJob(
	ticket: { status: string; technician?: { id: string } | null; crew?: readonly { id: string }[] | null },
	userId: string | null | undefined
): boolean {
	if (!isOpenStatus(ticket.status) || !userId) return false;
	return ticket.technician?.id === userId || (ticket.crew ?? []).some((p) => p.id === userId);
}

/** The order of the action buttons: the next step of the work first, waiting, then undoing. */
const MOVE_ORDER: readonly TicketStatus[] = [
	'accepted',
	'en_route',
	'on_site',
	'assigned',
	'resolved',
	'closed',
	'new',
	'pending',
	'reopened',
	'cancelled'
];

export function orderMoves(allowed: readonly TicketStatus[]): TicketStatus[] {
	const rank = (s: TicketStatus) => {
		const i = MOVE_ORDER.indexOf(s);
		return i < 0 ? MOVE_ORDER.length : i;
	};
	return [...allowed].sort((a, b) => rank(a) - rank(b));
}

/** How a move's button looks: the first forward step stands out, cancelling warns. */
export function moveTone(to: TicketStatus, first: boolean): 'primary' | 'secondary' | 'danger' {
	if (to === 'cancelled') return 'danger';
	if (first && to !== 'pending' && to !== 'reopened') return 'primary';
	return 'secondary';
}

/** The SLA as the ticket list and page show it now. */
export interface SlaView {
	/** `done`: resolved, closed or cancelled; `paused`: the clock stands still. */
	state: SlaState | 'paused' | 'done';
	/** The nearest running target's due time, if any. */
	dueAt: string | null;
	target: 'response' | 'resolution' | null;
	/** Minutes until `dueAt` (negative once it has passed). */
	minutesLeft: number | null;
}

interface SlaLike {
	state: SlaState;
	paused: boolean;
	response_due_at?: string | null;
	resolution_due_at?: string | null;
	warn_at?: string | null;
}

function instant(value: string | null | undefined): number | null {
	if (!value) return null;
	const t = Date.parse(value);
	return Number.isNaN(t) ? null : t;
}

/**
 * Where a ticket stands at `now` (ms): the server's state, moved on by the
 * clock since it was read (at risk once `warn_at` passed, breached once the
 * due time did), so a countdown on screen never says "on track" too late.
 */
export function slaView(status: string, sla: SlaLike, now: number): SlaView {
	if (!isOpenStatus(status)) return { state: 'done', dueAt: null, target: null, minutesLeft: null };
	const response = instant(sla.response_due_at);
	const resolution = instant(sla.resolution_due_at);
	let target: SlaView['target'] = null;
	let due: number | null = null;
	if (response !== null && (resolution === null || response <= resolution)) {
		target = 'response';
		due = response;
	} else if (resolution !== null) {
		target = 'resolution';
		due = resolution;
	}
	if (sla.paused) return { state: 'paused', dueAt: null, target: null, minutesLeft: null };
	let state: SlaState = sla.state;
	const warn = instant(sla.warn_at);
	if (state === 'on_track' && warn !== null && warn <= now) state = 'at_risk';
	if (due !== null && due <= now) state = 'breached';
	return {
		state,
		dueAt: due === null ? null : new Date(due).toISOString(),
		target,
		minutesLeft: due === null ? null : Math.floor((due - now) / 60_000)
	};
}

export interface DurationWords {
	minutes: (p: { count: number }) => string;
	hours: (p: { count: number }) => string;
	days: (p: { count: number }) => string;
}

/**
 * A length of time in at most two units, for a countdown: "45 mnt",
 * "2 j 15 mnt", "3 h 4 j" (the sign is the caller's to word).
 */
export function shortDuration(minutes: number, words: DurationWords): string {
	const total = Math.abs(Math.trunc(minutes));
	if (total < 60) return words.minutes({ count: total });
	if (total < 1440) {
		const h = Math.floor(total / 60);
		const m = total % 60;
		return m === 0 || h >= 10 ? words.hours({ count: h }) : `${words.hours({ count: h })} ${words.minutes({ count: m })}`;
	}
	const d = Math.floor(total / 1440);
	const h = Math.floor((total % 1440) / 60);
	return h === 0 ? words.days({ count: d }) : `${words.days({ count: d })} ${words.hours({ count: h })}`;
}

/** Tags typed as "fiber putus, odp-12 ,  " → ["fiber putus", "odp-12"] (no empty ones, no repeats). */
export function parseTags(text: string): string[] {
	const seen = new Set<string>();
	const tags: string[] = [];
	for (const raw of text.split(',')) {
		const tag = raw.trim();
		if (tag && !seen.has(tag.toLowerCase())) {
			seen.add(tag.toLowerCase());
			tags.push(tag);
		}
	}
	return tags;
}

/**
 * The open outages a customer sits behind: one on their area, on their ODP,
 * or on the ODC that ODP hangs from (`odcId`, when known).
 */
export function outagesAffecting<O extends { element_kind: string; element_id?: string | null; area_id: string }>(
	outages: readonly O[],
	customer: { area_id: string; odp_id?: string | null },
	odcId: string | null = null
): O[] {
	return outages.filter((o) => {
		if (o.element_kind === 'area') return o.area_id === customer.area_id || o.element_id === customer.area_id;
		if (o.element_kind === 'odp') return !!customer.odp_id && o.element_id === customer.odp_id;
		if (o.element_kind === 'odc') return !!odcId && o.element_id === odcId;
		return false;
	});
}

/** The `If-Match` value for a version read. */
export function ifMatch(version: number): string {
	return `"${version}"`;
}
