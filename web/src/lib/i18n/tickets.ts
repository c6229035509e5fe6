/** Tickets in words: SLA countdowns and notifications in the reader's language. */
import { m } from '$lib/paraglide/messages';
import type { Notification } from '$lib/api/types';
import { shortDuration, type DurationWords, type SlaView } from '$lib/tickets';
import { slaStateName, ticketKindName, ticketStatusName } from './labels';

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
export function notificationText(n: Pick<Notification, 'kind' | 'data' | 'ticket_number'>): string {
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
		default:
			return m.notif_other({ number });
	}
}
