/**
 * The technician app's offline rules, kept pure so they can be tested:
 * which requests are kept on the phone (what it read, to open without
 * network) and which are queued (what the technician did, to send when the
 * network returns), and what the phone shows meanwhile: the job as the
 * queued moves and entries leave it.
 *
 * What is queued is sent in order; a move carries the `If-Match` the phone
 * read, so a job someone else changed meanwhile answers 412 and the
 * technician decides (never overwritten unseen); a POST carries its own
 * `Idempotency-Key`, so sending it again after a lost answer creates
 * nothing twice. A checklist entry (a PUT) is the same value however often
 * it is sent.
 */
import type { JobChecklist } from '$lib/checklist';
import { judgeDbm, RX_POWER_WEAK } from '$lib/checklist';
import type { Ticket, TicketStatus } from '$lib/api/types';
import { todayIn } from '$lib/time';

/** What a queued request does. */
export type QueuedKind = 'move' | 'entry' | 'entry_delete' | 'photo' | 'equipment' | 'check_in';

export type QueuedState = 'waiting' | 'conflict' | 'refused';

/** The server's refusal of a queued request, kept to show it. */
export interface QueuedProblem {
	status: number;
	type: string | null;
	title: string;
	detail: string | null;
	missing?: string[];
}

/** One request the phone made and has not yet had accepted. */
export interface Queued {
	/** Order of sending (IndexedDB's key). */
	seq?: number;
	/** The technician it belongs to: another account on this phone never sends it. */
	owner: string;
	kind: QueuedKind;
	ticketId: string;
	/** The job's number, to name it on screen. */
	number?: string;
	/** A checklist entry's key (`entry`, `entry_delete`). */
	entry?: string;
	method: string;
	/** Path and query (same origin). */
	url: string;
	contentType: string | null;
	ifMatch: string | null;
	idempotencyKey: string | null;
	/** A JSON body as text (rewritten when a photo's local id becomes the server's). */
	text: string | null;
	/** Any other body (a photo's multipart form, boundary included, so a replay is the same bytes). */
	blob: Blob | null;
	/** A photo's id on the phone until the server gives it one. */
	localId?: string;
	/** A photo's own bytes, to show it before it was sent. */
	photo?: Blob | null;
	createdAt: string;
	state: QueuedState;
	problem?: QueuedProblem;
}

const UUIDISH = '[0-9a-fA-F-]{36}';
const MOVE = new RegExp(`^/api/v1/tickets/(${UUIDISH})/transitions$`);
const ENTRY = new RegExp(`^/api/v1/tickets/(${UUIDISH})/checklist/([a-z_]+)$`);
const PHOTO = new RegExp(`^/api/v1/tickets/(${UUIDISH})/attachments$`);
const EQUIPMENT = new RegExp(`^/api/v1/tickets/(${UUIDISH})/equipment$`);
const TICKET = new RegExp(`^/api/v1/tickets/(${UUIDISH})$`);
const CHECKLIST = new RegExp(`^/api/v1/tickets/(${UUIDISH})/checklist$`);
const CHECK_IN = '/api/v1/me/day/check-in';

/** Whether a read is the technician's day (`GET /me/day`). */
export function isDay(path: string): boolean {
	return bareOf(path) === '/api/v1/me/day';
}

/** The day as the queue leaves it: a check-in waiting to be sent is shown as made. */
export function overlayDay<D extends { date: string; checked_in_at?: string | null; check_in_position?: unknown }>(
	day: D,
	queue: readonly Queued[],
	timeZone: string
): D {
	if (day.checked_in_at) return day;
	for (const q of applied(queue)) {
		if (q.kind !== 'check_in' || !q.text) continue;
		try {
			const made = JSON.parse(q.text) as { at?: string; position?: unknown };
			const at = made.at ?? q.createdAt;
			if (todayIn(timeZone, new Date(at)) === day.date) return { ...day, checked_in_at: at, check_in_position: made.position ?? null };
		} catch {
			/* not JSON: nothing shown */
		}
	}
	return day;
}

/** The groups a pattern found in `path` (empty strings for none), or null. */
function groups(re: RegExp, path: string): [string, string] | null {
	const hit = re.exec(path);
	return hit ? [hit[1] ?? '', hit[2] ?? ''] : null;
}

/** What a write is, when it is one the phone queues without network; null: it needs the network. */
export function queuedKind(method: string, path: string): { kind: QueuedKind; ticketId: string; entry?: string } | null {
	const verb = method.toUpperCase();
	let hit: [string, string] | null;
	if (verb === 'POST' && (hit = groups(MOVE, path))) return { kind: 'move', ticketId: hit[0] };
	if (verb === 'POST' && (hit = groups(PHOTO, path))) return { kind: 'photo', ticketId: hit[0] };
	if (verb === 'POST' && (hit = groups(EQUIPMENT, path))) return { kind: 'equipment', ticketId: hit[0] };
	// The day's check-in belongs to no job.
	if (verb === 'POST' && path === CHECK_IN) return { kind: 'check_in', ticketId: '' };
	if ((hit = groups(ENTRY, path)) && hit[1] !== 'exception') {
		if (verb === 'PUT') return { kind: 'entry', ticketId: hit[0], entry: hit[1] };
		if (verb === 'DELETE') return { kind: 'entry_delete', ticketId: hit[0], entry: hit[1] };
	}
	return null;
}

/** A path without its query. */
function bareOf(path: string): string {
	const at = path.indexOf('?');
	return at < 0 ? path : path.slice(0, at);
}

/**
 * Whether a read is kept on the phone: the technician's own data under
 * `/api/v1/`, except the live stream and files (photos are shown from the
 * network, or from the queue while not yet sent).
 */
export function keptRead(path: string): boolean {
	if (!path.startsWith('/api/v1/')) return false;
	const bare = bareOf(path);
	if (bare === '/api/v1/live' || bare.startsWith('/api/v1/live/')) return false;
	if (bare.startsWith('/api/v1/auth/')) return false;
	if (/\/(file|download|content|pdf)$/.test(bare)) return false;
	return true;
}

/** Statuses a technician leading the job may move it to from `status` (the domain's lifecycle, for the phone while offline). */
export function technicianTargets(status: TicketStatus, kind: string, beforePending: TicketStatus | null): TicketStatus[] {
	const repair = kind === 'repair';
	switch (status) {
		case 'assigned':
			return ['accepted', 'new', 'pending', ...(repair ? (['resolved'] as const) : [])];
		case 'accepted':
			return ['en_route', 'pending', ...(repair ? (['resolved'] as const) : [])];
		case 'en_route':
			return ['on_site', 'pending'];
		case 'on_site':
			return ['pending', 'resolved'];
		case 'pending': {
			const resume: TicketStatus = beforePending && ['en_route', 'on_site', 'accepted'].includes(beforePending) ? 'accepted' : 'assigned';
			return [resume, ...(repair ? (['resolved'] as const) : [])];
		}
		default:
			return [];
	}
}

/** A move made on the phone, as the job shows until it is sent. */
export interface MoveBody {
	to?: TicketStatus | null;
	pause_reason?: string | null;
	reason?: string | null;
	next_visit?: { date: string; window?: string | null } | null;
}

/** The job after a queued move (its version stays the one read: the server gives the next). */
export function applyMove(ticket: Ticket, body: MoveBody): Ticket {
	const to = body.to;
	if (!to) return ticket;
	const before = ticket.status;
	const beforePending = before === 'pending' ? null : before;
	const next: Ticket = {
		...ticket,
		status: to,
		pending_reason: to === 'pending' ? (body.pause_reason ?? ticket.pending_reason ?? null) : null,
		allowed_transitions: technicianTargets(to, ticket.kind, beforePending)
	};
	if (to === 'pending' && body.next_visit?.date) {
		next.appointment_date = body.next_visit.date;
		next.appointment_window = (body.next_visit.window ?? null) as Ticket['appointment_window'];
	}
	if (to === 'accepted' && !ticket.accepted_at) next.accepted_at = new Date().toISOString();
	if (to === 'resolved') next.resolved_at = new Date().toISOString();
	return next;
}

/** Why a move the phone would queue is refused at once (the same answers the server gives), or null. */
export function refuseMove(ticket: Ticket, body: MoveBody, checklist: JobChecklist | null): QueuedProblem | null {
	const to = body.to;
	if (!to || !ticket.allowed_transitions.includes(to)) {
		return {
			status: 409,
			type: '/problems/transition-not-allowed',
			title: 'Move not allowed',
			detail: `A ${ticket.status} ticket cannot move to ${to ?? '(nothing)'}.`
		};
	}
	if (to === 'resolved' && ticket.status === 'on_site' && checklist && !checklist.complete) {
		return {
			status: 409,
			type: '/problems/not-ready',
			title: 'Not ready',
			detail: 'The job is not documented yet.',
			missing: [...checklist.missing]
		};
	}
	return null;
}

/** The documentation after an entry recorded (or taken back) on the phone. */
export function applyEntry(
	checklist: JobChecklist,
	key: string,
	value: Record<string, unknown> | null,
	who: { id: string; name: string },
	now: Date = new Date()
): JobChecklist {
	const entries = checklist.entries.map((e) =>
		e.key === key
			? { ...e, value: value as Record<string, never> | null, recorded: value === null ? null : { at: now.toISOString(), name: who.name, user_id: who.id } }
			: e
	);
	const entry = entries.find((e) => e.key === key);
	let optical = checklist.optical;
	if (entry?.kind === 'optical_power') {
		const dbm = value && typeof value.dbm === 'number' ? value.dbm : null;
		optical = { ...optical, signal: dbm === null ? null : judgeDbm(dbm, optical.band), exception: null };
	}
	const missing = entries.filter((e) => e.required && (e.value === null || e.value === undefined)).map((e) => e.key);
	if (optical.signal === 'weak' && !optical.exception) missing.push(RX_POWER_WEAK);
	return { ...checklist, entries, optical, missing, complete: missing.length === 0 };
}

/** Puts the server's ids for photos in place of the phone's (a queued entry naming a photo sent since), as whole JSON strings only. */
export function replaceIds(text: string, ids: Readonly<Record<string, string>>): string {
	let out = text;
	for (const [local, server] of Object.entries(ids)) out = out.split(JSON.stringify(local)).join(JSON.stringify(server));
	return out;
}

/** A read about one ticket (`null`: about no ticket). */
export function ticketOfRead(path: string): { ticketId: string; what: 'ticket' | 'checklist' | 'attachments' } | null {
	const bare = bareOf(path);
	let hit: [string, string] | null;
	if ((hit = groups(TICKET, bare))) return { ticketId: hit[0], what: 'ticket' };
	if ((hit = groups(CHECKLIST, bare))) return { ticketId: hit[0], what: 'checklist' };
	if ((hit = groups(PHOTO, bare))) return { ticketId: hit[0], what: 'attachments' };
	return null;
}

/** Whether a path lists tickets (`GET /tickets?…`). */
export function isTicketList(path: string): boolean {
	return bareOf(path) === '/api/v1/tickets';
}

/** The queued requests applied on what the phone shows: those waiting (a refused or conflicting one is shown apart, with the server's job). */
export function applied(queue: readonly Queued[]): Queued[] {
	return queue.filter((q) => q.state === 'waiting');
}

/** The job as the queue leaves it. */
export function overlayTicket(ticket: Ticket, queue: readonly Queued[]): Ticket {
	let t = ticket;
	for (const q of applied(queue)) {
		if (q.kind !== 'move' || q.ticketId !== ticket.id || !q.text) continue;
		try {
			t = applyMove(t, JSON.parse(q.text) as MoveBody);
		} catch {
			/* a body that is not JSON changes nothing shown */
		}
	}
	return t;
}

/** The documentation as the queue leaves it. */
export function overlayChecklist(checklist: JobChecklist, queue: readonly Queued[], who: { id: string; name: string }): JobChecklist {
	let c = checklist;
	for (const q of applied(queue)) {
		if (q.ticketId !== checklist.ticket_id || !q.entry) continue;
		if (q.kind === 'entry_delete') c = applyEntry(c, q.entry, null, who, new Date(q.createdAt));
		if (q.kind === 'entry' && q.text) {
			try {
				const body = JSON.parse(q.text) as { value?: Record<string, unknown> };
				c = applyEntry(c, q.entry, body.value ?? null, who, new Date(q.createdAt));
			} catch {
				/* as above */
			}
		}
	}
	return c;
}

/** Which tickets have something waiting, and how many. */
export function waitingByTicket(queue: readonly Queued[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const q of queue) out[q.ticketId] = (out[q.ticketId] ?? 0) + 1;
	return out;
}

/** A new entry for `key` makes an earlier one for the same key that was not yet sent needless. */
export function superseded(queue: readonly Queued[], next: Pick<Queued, 'kind' | 'ticketId' | 'entry'>): Queued[] {
	if (next.kind !== 'entry' && next.kind !== 'entry_delete') return [];
	return queue.filter(
		(q) => (q.kind === 'entry' || q.kind === 'entry_delete') && q.ticketId === next.ticketId && q.entry === next.entry && q.state !== 'conflict'
	);
}

/** Where a move leaves the If-Match of later moves of the same job: the version the server gave. */
export function nextIfMatch(queue: readonly Queued[], ticketId: string, from: string | null, to: string): Queued[] {
	return queue
		.filter((q) => q.kind === 'move' && q.ticketId === ticketId && q.ifMatch === from)
		.map((q) => ({ ...q, ifMatch: to }));
}
