/** Tickets in words: SLA countdowns and notifications in the reader's language. */
import { m } from '$lib/paraglide/messages';
import type { Notification } from '$lib/api/types';
import { shortDuration, type DurationWords, type SlaView } from '$lib/tickets';
import { formatPeriod, leaveStatusName } from '$lib/technicians';
import { getLocale } from '$lib/paraglide/runtime';
import { formatNumber } from '$lib/format';
import { parseSurveyReason } from '$lib/installation';
import { surveyOutcomeName } from './installation';
import { dbmText } from './checklist';
import { attachmentHref } from '$lib/review';
import {
	pauseReasonName,
	priorityName,
	remoteReasonName,
	slaStateName,
	ticketKindName,
	ticketSourceName,
	ticketStatusName
} from './labels';

export const durationWords: DurationWords = {
	minutes: (p) => m.duration_minutes(p),
	hours: (p) => m.duration_hours(p),
	days: (p) => m.duration_days(p)
};

/** "due in 2 h 15 min", "overdue by 40 min", "paused", "done". */
export function slaDueText(view: SlaView): string {
	if (view.state === 'done') return m.sla_done();
	if (view.state === 'paused') return m.sla_paused();
	if (view.minutesLeft === null) return slaStateName(view.state);
	const time = shortDuration(view.minutesLeft, durationWords);
	if (view.minutesLeft < 0) return m.sla_overdue({ time });
	return view.target === 'response' ? m.sla_response_due_in({ time }) : m.sla_due_in({ time });
}

/** The badge text: the state's name. */
export function slaBadgeText(view: SlaView): string {
	if (view.state === 'done') return m.sla_done();
	if (view.state === 'paused') return m.sla_paused();
	return slaStateName(view.state);
}

function text(data: unknown, key: string): string | undefined {
	const value = (data as Record<string, unknown> | null)?.[key];
	if (typeof value === 'string' && value) return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** A notification in the reader's language, from its kind and data. */
export function notificationText(n: Pick<Notification, 'kind' | 'ticket_number'> & { data: unknown }): string {
	const number = n.ticket_number ?? text(n.data, 'outage_number') ?? '';
	const by = text(n.data, 'by') ?? m.notif_someone();
	switch (n.kind) {
		case 'ticket_created':
			return m.notif_ticket_created({ number, kind: ticketKindName(text(n.data, 'kind') ?? '') });
		case 'ticket_assigned':
			return m.notif_ticket_assigned({ number, by });
		case 'ticket_status':
			return m.notif_ticket_status({ number, status: ticketStatusName(text(n.data, 'to') ?? ''), by });
		case 'ticket_comment':
			return m.notif_ticket_comment({ number, by });
		case 'ticket_rated':
			return m.notif_ticket_rated({ number, rating: text(n.data, 'rating') ?? '?' });
		case 'sla_at_risk':
			return m.notif_sla_at_risk({ number });
		case 'sla_breached':
			return m.notif_sla_breached({ number });
		case 'outage_declared':
			return m.notif_outage_declared({ number });
		case 'outage_resolved':
			return m.notif_outage_resolved({ number });
		case 'visit_rescheduled':
			return m.notif_visit_rescheduled({ number, by });
		case 'assignment_timed_out':
			return m.notif_assignment_timed_out({ number });
		case 'rx_power_exception': {
			const dbm = (n.data as Record<string, unknown> | null)?.dbm;
			return m.notif_rx_power_exception({ number, dbm: typeof dbm === 'number' && Number.isFinite(dbm) ? dbmText(dbm) : (text(n.data, 'dbm') ?? '?') });
		}
		case 'crew_added':
			return m.crew_notif_added({ number, by });
		case 'gateway_problem':
			return m.notif_gateway_problem({ provider: text(n.data, 'provider') ?? '?', reason: text(n.data, 'reason') ?? '' });
		case 'leave_requested': {
			const who = text(n.data, 'technician') ?? m.notif_someone();
			const period = formatPeriod(text(n.data, 'from') ?? '', text(n.data, 'to') ?? text(n.data, 'from') ?? '', getLocale());
			return text(n.data, 'kind') === 'sick' ? m.notif_sick_reported({ who, period }) : m.notif_leave_requested({ who, period });
		}
		case 'leave_decided': {
			const period = formatPeriod(text(n.data, 'from') ?? '', text(n.data, 'to') ?? text(n.data, 'from') ?? '', getLocale());
			const note = text(n.data, 'note');
			if (text(n.data, 'status') === 'approved') return note ? m.notif_leave_approved_note({ by, period, note }) : m.notif_leave_approved({ by, period });
			if (text(n.data, 'status') === 'rejected') return note ? m.notif_leave_rejected_note({ by, period, note }) : m.notif_leave_rejected({ by, period });
			return m.notif_leave_decided({ by, period, status: leaveStatusName(text(n.data, 'status') ?? '') });
		}
		case 'stock_low': {
			// Counts the reader's way ("1.200" in Indonesian); the unit as the item's record has it.
			const count = (key: string) => {
				const value = (n.data as Record<string, unknown> | null)?.[key];
				return typeof value === 'number' && Number.isFinite(value) ? formatNumber(value, getLocale()) : (text(n.data, key) ?? '?');
			};
			return m.notif_stock_low({
				item: text(n.data, 'item') ?? text(n.data, 'code') ?? '?',
				location: text(n.data, 'location') ?? '?',
				quantity: count('quantity'),
				minimum: count('minimum'),
				unit: text(n.data, 'unit') ?? ''
			}).replace(/ {2,}/g, ' ');
		}
		case 'job_rework':
			return m.notif_job_rework({ number, by, comment: text(n.data, 'comment') ?? '' }).replace(/:\s*$/, '');
		case 'material_requested':
			return m.notif_material_requested({ technician: text(n.data, 'technician') ?? '?' });
		case 'material_issued':
			return m.notif_material_issued();
		case 'material_rejected': {
			const note = text(n.data, 'note');
			return note ? m.notif_material_rejected_note({ note }) : m.notif_material_rejected();
		}
		default:
			return m.notif_other({ number });
	}
}

/** A timeline entry as one line: who did what ("Sari (CS) moved it: New → Assigned to Budi"). */
export function timelineText(entry: {
	kind: string;
	actor_name: string;
	actor_role?: string | null;
	from_status?: string | null;
	to_status?: string | null;
	data: unknown;
	reason?: string | null;
}): string {
	const who = entry.actor_name || m.ticket_actor_system();
	const data = entry.data;
	switch (entry.kind) {
		case 'created':
			return m.timeline_created({ who, source: ticketSourceName(text(data, 'source') ?? '') });
		case 'assigned':
			return m.timeline_assigned({ who, technician: text(data, 'technician_name') ?? '—' });
		case 'crew_changed': {
			// The names of the members as set (none: everyone was removed).
			const names = (data as { names?: unknown } | null)?.names;
			const list = Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string' && n !== '') : [];
			return list.length ? m.crew_timeline_set({ who, names: list.join(', ') }) : m.crew_timeline_cleared({ who });
		}
		case 'declined':
			// The technician gives it back; NetCrew when it was not accepted in time; anyone else takes it back.
			if (entry.actor_role === 'technician') return m.timeline_declined({ who });
			if (!entry.actor_name || entry.actor_role === 'system') return m.timeline_timed_out();
			return m.timeline_taken_back({ who });
		case 'moved': {
			const to = ticketStatusName(entry.to_status ?? '');
			const pause = text(data, 'pause_reason');
			const remote = text(data, 'remote_reason');
			if (entry.to_status === 'pending' && pause) return m.timeline_paused({ who, why: pauseReasonName(pause) });
			if (entry.to_status === 'resolved' && remote) return m.timeline_resolved_remote({ who, why: remoteReasonName(remote) });
			const moved = m.timeline_moved({ who, from: ticketStatusName(entry.from_status ?? ''), to });
			const far = positionDistance(data);
			return far === null ? moved : `${moved} ${m.timeline_position_distance({ distance: formatNumber(Math.round(far), getLocale()) })}`;
		}
		case 'priority': {
			const p = (data as { priority?: { from?: string; to?: string } } | null)?.priority;
			return m.timeline_priority({ who, from: priorityName(p?.from ?? ''), to: priorityName(p?.to ?? '') });
		}
		case 'updated': {
			const fields = (data as { fields?: unknown } | null)?.fields;
			const list = Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string').map(fieldName) : [];
			return list.length ? m.timeline_updated_fields({ who, fields: list.join(', ') }) : m.timeline_updated({ who });
		}
		case 'comment':
			return m.timeline_comment({ who });
		case 'rated':
			return m.timeline_rated({ who, rating: text(data, 'rating') ?? '?' });
		case 'outage_joined':
			return m.timeline_outage_joined({ number: text(data, 'outage_number') ?? '' });
		case 'outage_resolved':
			return m.timeline_outage_resolved({ number: text(data, 'outage_number') ?? '' });
		case 'sla_at_risk':
			return m.timeline_sla_at_risk();
		case 'sla_breached':
			return m.timeline_sla_breached();
		case 'attachment':
		case 'attached':
			return m.timeline_attached({ who });
		case 'verified':
			return m.timeline_verified({ who });
		case 'unverified':
			return m.timeline_unverified({ who });
		case 'fee_paid': {
			const reference = text(data, 'reference');
			return reference ? m.timeline_fee_paid_ref({ who, reference }) : m.timeline_fee_paid({ who });
		}
		case 'fee_unpaid':
			return m.timeline_fee_unpaid({ who });
		case 'visit_confirmed':
			return m.timeline_visit_confirmed({ who });
		case 'berita_acara':
			return m.timeline_berita_acara({ number: text(data, 'number') ?? '' }).replace(/\s{2,}/g, ' ');
		case 'reviewed':
			return m.timeline_reviewed({ who });
		case 'survey': {
			const outcome = text(data, 'outcome') ?? parseSurveyReason(entry.reason)?.outcome;
			return m.timeline_survey({ who, outcome: surveyOutcomeName(outcome ?? '') });
		}
		default:
			return m.timeline_other({ who, kind: entry.kind });
	}
}

/**
 * How far from the ticket's place the phone was when the move was made
 * (setting off, arriving), in metres; null when the move carried no position.
 */
export function positionDistance(data: unknown): number | null {
	const position = (data as { position?: { distance_m?: unknown } } | null)?.position;
	const metres = position?.distance_m;
	return typeof metres === 'number' && Number.isFinite(metres) && metres >= 0 ? metres : null;
}

/** The PDF a `berita_acara` entry names, to link to; null for any other entry. */
export function beritaAcaraLink(entry: { kind: string; data: unknown }): string | null {
	if (entry.kind !== 'berita_acara') return null;
	const id = text(entry.data, 'attachment_id');
	return id ? attachmentHref(id) : null;
}

/**
 * An entry's reason as shown under it. A survey's ("survey: needs_pole —
 * notes", on the survey and on the move it caused) is said in the reader's
 * language; the survey entry itself names the outcome already, so only its
 * notes remain.
 */
export function timelineReason(entry: { kind: string; reason?: string | null }): string {
	const reason = entry.reason ?? '';
	const survey = parseSurveyReason(reason);
	if (!survey) return reason;
	if (entry.kind === 'survey') return survey.notes;
	const said = m.timeline_survey_reason({ outcome: surveyOutcomeName(survey.outcome) });
	return survey.notes ? `${said} — ${survey.notes}` : said;
}

/** How long a pause lasted (or has lasted so far) after a move out of pending. */
export function pausedFor(data: unknown): string | null {
	const minutes = (data as { paused_minutes?: unknown } | null)?.paused_minutes;
	return typeof minutes === 'number' ? shortDuration(minutes, durationWords) : null;
}

function fieldName(field: string): string {
	switch (field) {
		case 'appointment_date':
		case 'appointment_window':
			return m.ticket_appointment_short();
		case 'description':
			return m.ticket_description_short();
		case 'tags':
			return m.ticket_tags();
		case 'address':
		case 'location':
			return m.ticket_place();
		case 'problem_category_id':
			return m.ticket_category();
		case 'priority':
			return m.ticket_priority();
		case 'odp':
			return m.ticket_odp_and_port();
		default:
			return field;
	}
}
