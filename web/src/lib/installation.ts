/**
 * Installation checks as plain functions: what the screens show and offer
 * before a technician is booked (identity, verification, fee, survey), how a
 * NIK is read and shown, and how the technician picker narrows its list.
 * The server decides; these only say what to show and what to ask.
 */

/** Ticket fields the checks read. */
export interface CheckedTicket {
	kind: string;
	status: string;
	booking_needs: readonly string[];
	verified_at?: string | null;
	fee_paid_at?: string | null;
}

const OPEN = new Set(['new', 'assigned', 'accepted', 'en_route', 'on_site', 'pending', 'reopened']);

/** Whether the installation checks apply: an installation still open. */
export function checksOpen(ticket: CheckedTicket): boolean {
	return ticket.kind === 'installation' && OPEN.has(ticket.status);
}

/** A verification made by mistake may be withdrawn only before a technician is booked (new or waiting). */
export function canWithdrawVerification(ticket: CheckedTicket): boolean {
	return checksOpen(ticket) && !!ticket.verified_at && (ticket.status === 'new' || ticket.status === 'pending');
}

/** What keeps it from being booked, in a stable order (verification first). */
export function bookingNeeds(ticket: Pick<CheckedTicket, 'booking_needs'>): string[] {
	const order = ['verification', 'fee'];
	const rank = (n: string) => (order.includes(n) ? order.indexOf(n) : order.length);
	return [...new Set(ticket.booking_needs)].sort((a, b) => rank(a) - rank(b));
}

/** Whether the ISP wants the fee paid before booking (the server says so by asking for it). */
export function feeRequired(ticket: Pick<CheckedTicket, 'booking_needs'>): boolean {
	return ticket.booking_needs.includes('fee');
}

/**
 * A NIK as people type it, as the server reads it: spaces, dots and dashes
 * between the digits dropped ("3273 0112-0389.0123" → "3273011203890123").
 * Anything else stays, for the server to refuse with its reason.
 */
export function normalizeNik(text: string): string {
	return text.replace(/[\s.-]/g, '');
}

/** A whole NIK in groups of four, easier to read out and compare with the card: "3273 0112 0389 0123". */
export function groupNik(nik: string): string {
	const digits = normalizeNik(nik);
	return /^\d+$/.test(digits) ? (digits.match(/.{1,4}/g) ?? []).join(' ') : nik;
}

/** What the survey can find, and what each does to the installation. */
export const SURVEY_OUTCOMES = ['feasible', 'needs_pole', 'needs_permit', 'no_free_port', 'drop_too_long'] as const;
export type SurveyOutcomeCode = (typeof SURVEY_OUTCOMES)[number];

/** `continue`: it goes on; `wait`: it waits (access or permit); `unmet`: it is cancelled and the place recorded as unmet demand. */
export type SurveyEffect = 'continue' | 'wait' | 'unmet';

export function surveyEffect(outcome: string): SurveyEffect {
	switch (outcome) {
		case 'needs_pole':
		case 'needs_permit':
			return 'wait';
		case 'no_free_port':
		case 'drop_too_long':
			return 'unmet';
		default:
			return 'continue';
	}
}

export function isSurveyOutcome(value: unknown): value is SurveyOutcomeCode {
	return typeof value === 'string' && (SURVEY_OUTCOMES as readonly string[]).includes(value);
}

/**
 * The server words a survey's reason "survey: <outcome>" or
 * "survey: <outcome> — <notes>" (on the survey entry and on the move it
 * caused); read back so it can be said in the reader's language.
 */
export function parseSurveyReason(reason: string | null | undefined): { outcome: SurveyOutcomeCode; notes: string } | null {
	const match = /^survey:\s*([a-z_]+)(?:\s+—\s+([\s\S]*))?$/.exec((reason ?? '').trim());
	if (!match || !isSurveyOutcome(match[1])) return null;
	return { outcome: match[1], notes: (match[2] ?? '').trim() };
}

/** The latest survey on a timeline (newest last), if any: its outcome, notes and time. */
export function latestSurvey(
	entries: readonly { kind: string; at: string; reason?: string | null; data?: unknown; to_status?: string | null }[]
): { outcome: SurveyOutcomeCode; notes: string; at: string } | null {
	for (let i = entries.length - 1; i >= 0; i--) {
		const e = entries[i]!;
		const parsed = parseSurveyReason(e.reason);
		if (e.kind === 'survey') {
			const outcome = (e.data as { outcome?: unknown } | null)?.outcome;
			if (isSurveyOutcome(outcome)) return { outcome, notes: parsed?.notes ?? '', at: e.at };
			if (parsed) return { ...parsed, at: e.at };
		} else if (e.kind === 'moved' && parsed) {
			return { ...parsed, at: e.at };
		}
	}
	return null;
}

/** A technician as the picker shows one. */
export interface PickableTechnician {
	id: string;
	name: string;
	teams: readonly string[];
	area_ids: readonly string[];
	open_tickets: number;
}

/** Past this many, the picker offers a search. */
export const PICKER_SEARCH_FROM = 8;

function fold(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The technicians whose name or team holds every word of `query`
 * (case and accents ignored); `keep` (the one chosen, or those of a crew)
 * always stays.
 */
export function filterTechnicians<T extends PickableTechnician>(list: readonly T[], query: string, keep: string | readonly string[] = ''): T[] {
	const words = fold(query).split(/\s+/).filter(Boolean);
	if (words.length === 0) return [...list];
	const kept = typeof keep === 'string' ? [keep] : keep;
	return list.filter((t) => {
		if (kept.includes(t.id)) return true;
		const text = fold([t.name, ...t.teams].join(' '));
		return words.every((w) => text.includes(w));
	});
}

/**
 * Those serving the ticket's area first, the rest after; within each, the
 * least busy first, then by name.
 */
export function groupTechnicians<T extends PickableTechnician>(list: readonly T[], areaId: string): { nearby: T[]; others: T[] } {
	const order = (a: T, b: T) => a.open_tickets - b.open_tickets || a.name.localeCompare(b.name);
	return {
		nearby: list.filter((t) => t.area_ids.includes(areaId)).sort(order),
		others: list.filter((t) => !t.area_ids.includes(areaId)).sort(order)
	};
}
