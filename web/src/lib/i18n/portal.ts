/**
 * Tickets in plain words for the customer: a status chip's name, the one
 * sentence that says where their visit stands ("Teknisi Budi sedang menuju
 * lokasi"), and each public timeline entry as a sentence.
 */
import type { Ticket, TicketStatus, TimelineEntry } from '$lib/api/types';
import { m } from '$lib/paraglide/messages';
import type { ProgressStep } from '$lib/portal';
import { windowName } from './labels';
import { surveyOutcomeName } from './installation';
import { positionDistance } from './tickets';
import { formatNumber } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';

export { ticketKindName } from './labels';

const STATUS_NAMES: Record<TicketStatus, () => string> = {
	new: () => m.portal_ticket_status_new(),
	assigned: () => m.portal_ticket_status_assigned(),
	accepted: () => m.portal_ticket_status_accepted(),
	en_route: () => m.portal_ticket_status_en_route(),
	on_site: () => m.portal_ticket_status_on_site(),
	pending: () => m.portal_ticket_status_pending(),
	resolved: () => m.portal_ticket_status_resolved(),
	closed: () => m.portal_ticket_status_closed(),
	cancelled: () => m.portal_ticket_status_cancelled(),
	reopened: () => m.portal_ticket_status_reopened()
};

/** The short name on a customer's status chip (staff see `labels.ticketStatusName`). */
export function portalStatusName(status: string): string {
	return STATUS_NAMES[status as TicketStatus]?.() ?? status;
}

const STEP_NAMES: Record<ProgressStep, () => string> = {
	reported: () => m.portal_step_reported(),
	assigned: () => m.portal_step_assigned(),
	en_route: () => m.portal_step_en_route(),
	on_site: () => m.portal_step_on_site(),
	done: () => m.portal_step_done()
};

export function progressStepName(step: ProgressStep): string {
	return STEP_NAMES[step]();
}

/** The pause reasons of the server's catalogue, told to the customer; unknown codes say "waiting". */
const PAUSE_REASONS: Record<string, () => string> = {
	waiting_customer: () => m.portal_pause_waiting_customer(),
	customer_absent: () => m.portal_pause_customer_absent(),
	customer_reschedule: () => m.portal_pause_customer_reschedule(),
	access_permit: () => m.portal_pause_access_permit(),
	weather: () => m.portal_pause_weather(),
	parts: () => m.portal_pause_parts(),
	outage: () => m.portal_pause_outage()
};

export function pauseReasonName(code: string | null | undefined): string {
	return (code ? PAUSE_REASONS[code]?.() : undefined) ?? m.portal_pause_other();
}

const REMOTE_REASONS: Record<string, () => string> = {
	isolir: () => m.portal_remote_isolir(),
	wifi_settings: () => m.portal_remote_wifi_settings(),
	ont_restarted: () => m.portal_remote_ont_restarted(),
	customer_side: () => m.portal_remote_customer_side(),
	no_fault: () => m.portal_remote_no_fault()
};

function remoteReasonName(code: unknown): string | null {
	return typeof code === 'string' ? (REMOTE_REASONS[code]?.() ?? null) : null;
}

/**
 * Where the ticket stands, in one sentence for the customer: "Teknisi Budi
 * sedang menuju lokasi."
 */
export function ticketHeadline(ticket: Pick<Ticket, 'status' | 'kind' | 'technician' | 'pending_reason'>): string {
	const name = ticket.technician?.name?.trim() || null;
	switch (ticket.status) {
		case 'new':
			return ticket.kind === 'installation' ? m.portal_ticket_head_new_installation() : m.portal_ticket_head_new();
		case 'assigned':
			return name ? m.portal_ticket_head_assigned({ name }) : m.portal_ticket_head_assigned_anon();
		case 'accepted':
			return name ? m.portal_ticket_head_accepted({ name }) : m.portal_ticket_head_accepted_anon();
		case 'en_route':
			return name ? m.portal_ticket_head_en_route({ name }) : m.portal_ticket_head_en_route_anon();
		case 'on_site':
			return name ? m.portal_ticket_head_on_site({ name }) : m.portal_ticket_head_on_site_anon();
		case 'pending':
			return m.portal_ticket_head_pending({ reason: pauseReasonName(ticket.pending_reason) });
		case 'resolved':
			return ticket.kind === 'installation' ? m.portal_ticket_head_resolved_installation() : m.portal_ticket_head_resolved();
		case 'closed':
			return m.portal_ticket_head_closed();
		case 'cancelled':
			return m.portal_ticket_head_cancelled();
		case 'reopened':
			return m.portal_ticket_head_reopened();
	}
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * One public timeline entry as a sentence. `technician` is the ticket's
 * technician, named in the technician's steps when someone else (a
 * supervisor) recorded them.
 */
export function timelineText(
	entry: Pick<TimelineEntry, 'kind' | 'actor_name' | 'actor_role' | 'from_status' | 'to_status' | 'data'>,
	technician?: string | null,
	ticketKind?: string
): string {
	const data = (entry.data ?? {}) as Record<string, unknown>;
	const byCustomer = entry.actor_role === 'customer';
	const tech = entry.actor_role === 'technician' ? text(entry.actor_name) : (text(technician) ?? null);
	switch (entry.kind) {
		case 'created':
			if (ticketKind === 'installation') return m.portal_tl_created_installation();
			return byCustomer ? m.portal_tl_created_by_you() : m.portal_tl_created();
		case 'assigned': {
			const name = text(data.technician_name);
			return name ? m.portal_tl_assigned({ name }) : m.portal_tl_assigned_anon();
		}
		case 'moved':
			break;
		case 'declined':
			return m.portal_tl_declined();
		case 'comment':
			return byCustomer ? m.portal_tl_comment_by_you() : m.portal_tl_comment({ name: text(entry.actor_name) ?? m.portal_tl_someone() });
		case 'rated': {
			const stars = typeof data.rating === 'number' ? data.rating : null;
			return stars === null ? m.portal_tl_rated_anon() : m.portal_tl_rated({ stars });
		}
		case 'outage_joined': {
			const number = text(data.outage_number);
			return number ? m.portal_tl_outage_joined({ number }) : m.portal_tl_outage_joined_anon();
		}
		case 'outage_resolved':
			return m.portal_tl_outage_resolved();
		case 'attachment':
			return byCustomer ? m.portal_tl_photo_by_you() : m.portal_tl_photo();
		case 'verified':
			return m.portal_tl_verified();
		case 'unverified':
			return m.portal_tl_unverified();
		case 'fee_paid':
			return m.portal_tl_fee_paid();
		case 'fee_unpaid':
			return m.portal_tl_fee_unpaid();
		case 'visit_confirmed':
			return m.portal_tl_visit_confirmed();
		case 'berita_acara': {
			const number = text(data.number);
			return number ? m.portal_tl_berita_acara({ number }) : m.portal_tl_updated();
		}
		case 'survey':
			return m.portal_tl_survey({ outcome: surveyOutcomeName(text(data.outcome) ?? '') });
		case 'updated':
		case 'priority':
		default:
			return m.portal_tl_updated();
	}
	// A move: said by where it led.
	if (entry.from_status === 'pending' && entry.to_status !== 'resolved' && entry.to_status !== 'cancelled') {
		return m.portal_tl_resumed();
	}
	switch (entry.to_status) {
		case 'assigned':
			return tech ? m.portal_tl_assigned({ name: tech }) : m.portal_tl_assigned_anon();
		case 'accepted':
			return tech ? m.portal_tl_accepted({ name: tech }) : m.portal_tl_accepted_anon();
		case 'en_route':
			return tech ? m.portal_tl_en_route({ name: tech }) : m.portal_tl_en_route_anon();
		case 'on_site': {
			const arrived = tech ? m.portal_tl_on_site({ name: tech }) : m.portal_tl_on_site_anon();
			const far = positionDistance(data);
			return far === null ? arrived : `${arrived} ${m.timeline_position_distance({ distance: formatNumber(Math.round(far), getLocale()) })}`;
		}
		case 'pending':
			return m.portal_tl_pending({ reason: pauseReasonName(text(data.pause_reason)) });
		case 'resolved': {
			const remote = remoteReasonName(data.remote_reason);
			return remote ? m.portal_tl_resolved_remote({ reason: remote }) : m.portal_tl_resolved();
		}
		case 'closed':
			return m.portal_tl_closed();
		case 'cancelled':
			if (ticketKind === 'installation') return byCustomer ? m.portal_tl_cancelled_installation_by_you() : m.portal_tl_cancelled();
			return byCustomer ? m.portal_tl_cancelled_by_you() : m.portal_tl_cancelled();
		case 'reopened':
			return byCustomer ? m.portal_tl_reopened_by_you() : m.portal_tl_reopened();
		default:
			return m.portal_tl_updated();
	}
}

/** "25 Nov 2026 · Pagi, 08.00–12.00"; null when no visit is booked. */
export function appointmentText(ticket: Pick<Ticket, 'appointment_date' | 'appointment_window'>, formatDay: (day: string) => string): string | null {
	if (!ticket.appointment_date) return null;
	const day = formatDay(ticket.appointment_date);
	return ticket.appointment_window ? `${day} · ${windowName(ticket.appointment_window)}` : day;
}

/**
 * A notification in the customer's words: their ticket's news with the
 * status chip names of the portal ("TRB-2026-000123: Menuju lokasi"), never
 * the staff's terms.
 */
export function customerNotificationText(n: { kind: string; ticket_number?: string | null; data: unknown }): string {
	const data = (n.data ?? {}) as Record<string, unknown>;
	const number = text(n.ticket_number) ?? text(data.outage_number) ?? '';
	switch (n.kind) {
		case 'ticket_status': {
			const to = text(data.to);
			return to ? m.portal_notif_status({ number, status: portalStatusName(to) }) : m.portal_notif_other({ number });
		}
		case 'ticket_comment':
			return m.portal_notif_comment({ number });
		case 'outage_declared':
			return m.portal_notif_outage_declared({ number });
		case 'outage_resolved':
			return m.portal_notif_outage_resolved({ number });
		default:
			return m.portal_notif_other({ number });
	}
}
