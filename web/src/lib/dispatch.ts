/**
 * Dispatch as the ticket page shows it, as plain functions: when a ticket
 * can be given to someone, the ranked technicians and the parts of their
 * score in reading order, where their travel starts and how old a last known
 * position is, who was left out and why (counted), the choices of the
 * "someone else" picker, and the bodies sent. The server decides who may do
 * a job; these only say what to show and what to send.
 */
import type { AssignmentInput, AssignmentView, Excluded, NotEligible, ScoreFactor, ScorePart, Suggestion, TicketStatus, TravelFrom } from './api/types';

/** The statuses a ticket can be assigned (or given to someone else) from. */
export const ASSIGNABLE_STATUSES: readonly TicketStatus[] = ['new', 'assigned', 'accepted', 'reopened'];

export function isAssignableStatus(status: string): boolean {
	return (ASSIGNABLE_STATUSES as readonly string[]).includes(status);
}

/** How many of the ranked technicians show before "show more". */
export const TOP_SHOWN = 3;

/** The ranked technicians shown now: the top ones, or all of them once asked. */
export function shownRanked<T>(ranked: readonly T[], all: boolean, top = TOP_SHOWN): { shown: T[]; more: number } {
	if (all || ranked.length <= top) return { shown: [...ranked], more: 0 };
	return { shown: ranked.slice(0, top), more: ranked.length - top };
}

/** The order the parts of a score are explained in: travel, the day's work, skill, continuity. */
const FACTOR_ORDER: readonly ScoreFactor[] = ['travel', 'workload', 'skill_surplus', 'continuity'];

/**
 * The parts of a score in reading order. Travel and the day's jobs are
 * always explained; skill surplus and continuity only when they count for
 * something (a part worth 0 points with no value says nothing).
 */
export function scoreParts(s: Pick<Suggestion, 'parts'>): ScorePart[] {
	const rank = (f: ScoreFactor) => {
		const i = FACTOR_ORDER.indexOf(f);
		return i < 0 ? FACTOR_ORDER.length : i;
	};
	return s.parts
		.filter((p) => p.factor === 'travel' || p.factor === 'workload' || p.points !== 0 || p.value !== 0)
		.sort((a, b) => rank(a.factor) - rank(b.factor));
}

/** Whole minutes since `at` (never negative); null without a valid time. */
export function minutesSince(at: string | null | undefined, now: number): number | null {
	if (!at) return null;
	const t = Date.parse(at);
	if (Number.isNaN(t)) return null;
	return Math.max(0, Math.floor((now - t) / 60_000));
}

/** Where a technician's travel to the job starts, with what the line needs. */
export interface TravelLine {
	from: TravelFrom;
	/** Minutes on the road, whole. */
	minutes: number;
	/** Straight-line kilometres, one decimal; null when unknown. */
	km: number | null;
	/** With `last_known`: how many minutes old the position is. */
	positionAge: number | null;
	/** The minutes came from the ISP's routing server (by road); else the straight-line estimate. */
	byRoad: boolean;
}

export function travelLine(travel: Suggestion['travel'], now: number): TravelLine {
	const km = typeof travel.km === 'number' && Number.isFinite(travel.km) ? Math.round(travel.km * 10) / 10 : null;
	return {
		from: travel.from,
		minutes: Math.max(0, Math.round(travel.minutes)),
		km,
		positionAge: travel.from === 'last_known' ? minutesSince(travel.position_at, now) : null,
		// Nothing to route from when the place is unknown: the minutes are an assumption, never by road.
		byRoad: travel.by_road === true && travel.from !== 'unknown'
	};
}

/** Whether urgency made travel weigh more (shown next to the travel part). */
export function urgencyRaised(s: Pick<Suggestion, 'urgency_factor'>): boolean {
	return s.urgency_factor > 1.001;
}

/** The order exclusion reasons are listed in: the lasting ones first, then the day's. */
const REASON_ORDER: readonly NotEligible[] = ['inactive', 'not_serving_area', 'skill_too_low', 'on_leave', 'off_shift', 'day_full', 'declined'];

export function sortReasons(reasons: readonly NotEligible[]): NotEligible[] {
	const rank = (r: NotEligible) => {
		const i = REASON_ORDER.indexOf(r);
		return i < 0 ? REASON_ORDER.length : i;
	};
	return [...new Set(reasons)].sort((a, b) => rank(a) - rank(b));
}

/** Why nobody may do a job: each reason with how many it keeps out, the most common first. */
export function exclusionSummary(excluded: readonly Pick<Excluded, 'reasons'>[]): { reason: NotEligible; count: number }[] {
	const counts = new Map<NotEligible, number>();
	for (const e of excluded) for (const r of new Set(e.reasons)) counts.set(r, (counts.get(r) ?? 0) + 1);
	const order = sortReasons([...counts.keys()]);
	return order.map((reason) => ({ reason, count: counts.get(reason) ?? 0 })).sort((a, b) => b.count - a.count || order.indexOf(a.reason) - order.indexOf(b.reason));
}

/** What the "someone else" picker says about a technician: their rank, or why dispatch left them out. */
export type PickerNote = { kind: 'ranked'; rank: number; score: number } | { kind: 'excluded'; reasons: NotEligible[]; skillLevel: number | null };

export function pickerNotes(view: Pick<AssignmentView, 'ranked' | 'excluded'>): Map<string, PickerNote> {
	const notes = new Map<string, PickerNote>();
	view.excluded.forEach((e) => notes.set(e.technician_id, { kind: 'excluded', reasons: sortReasons(e.reasons), skillLevel: e.skill_level ?? null }));
	view.ranked.forEach((s, i) => notes.set(s.technician_id, { kind: 'ranked', rank: i + 1, score: s.score }));
	return notes;
}

/**
 * Whether giving the job to this technician needs a reason: anyone dispatch
 * did not rank (left out, or not considered at all) is an override.
 */
export function needsReason(view: Pick<AssignmentView, 'ranked'> | null, technicianId: string): boolean {
	if (!technicianId) return true;
	return !view?.ranked.some((s) => s.technician_id === technicianId);
}

/** The "someone else" form's values. */
export interface OverrideValues {
	technician_id: string;
	reason: string;
}

/** The form's own check before sending: a technician, and a reason when one is needed. */
export function overrideProblems(view: Pick<AssignmentView, 'ranked'> | null, values: OverrideValues): ('technician_id' | 'reason')[] {
	const problems: ('technician_id' | 'reason')[] = [];
	if (!values.technician_id) problems.push('technician_id');
	if (needsReason(view, values.technician_id) && !values.reason.trim()) problems.push('reason');
	return problems;
}

/** The body of an assignment: none for the best, a technician (with the reason typed, if any). */
export function assignmentBody(technicianId?: string | null, reason?: string | null): AssignmentInput {
	const body: AssignmentInput = {};
	if (technicianId) body.technician_id = technicianId;
	const why = reason?.trim();
	if (technicianId && why) body.reason = why;
	return body;
}

/** How a decision's outcome looks: accepted is good, pending waits, declined and timed out warn. */
export function outcomeTone(outcome: string): 'ok' | 'wait' | 'bad' | 'off' {
	switch (outcome) {
		case 'accepted':
			return 'ok';
		case 'pending':
			return 'wait';
		case 'declined':
		case 'timed_out':
			return 'bad';
		default:
			return 'off';
	}
}

/** The technician a ticket waits on: the standing decision, still pending. */
export function waitingOn(view: Pick<AssignmentView, 'current'> | null): { name: string; since: string } | null {
	const c = view?.current;
	if (!c || c.outcome !== 'pending') return null;
	return { name: c.technician_name, since: c.decided_at };
}
