/**
 * WhatsApp messages in the console: the events and statuses in words, the
 * channel form (gateways in failover order, their tokens, quiet hours) and
 * its server field names (`gateways[1].base_url`), and the template editor's
 * variables. Pure functions, unit-tested.
 */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/api/problem';
import { fieldErrorText } from '$lib/i18n/field-errors';
import type { GatewayKind, MessageEvent, WhatsAppChannel, WhatsAppInput } from '$lib/api/messages';

/**
 * One name per event of the API's `MessageEvent` enum (a new event is a type
 * error here until it has one), in the order a ticket lives through them.
 */
const EVENT_NAMES: Record<MessageEvent, () => string> = {
	ticket_received: () => m.wa_event_ticket_received(),
	technician_assigned: () => m.wa_event_technician_assigned(),
	appointment_reminder: () => m.wa_event_appointment_reminder(),
	on_the_way: () => m.wa_event_on_the_way(),
	arrived: () => m.wa_event_arrived(),
	pending: () => m.wa_event_pending(),
	resolved: () => m.wa_event_resolved(),
	cancelled: () => m.wa_event_cancelled(),
	outage_declared: () => m.wa_event_outage_declared(),
	outage_resolved: () => m.wa_event_outage_resolved()
};
export const MESSAGE_EVENTS = Object.keys(EVENT_NAMES) as readonly MessageEvent[];

/** When each event's message goes out. */
const EVENT_WHEN: Record<MessageEvent, () => string> = {
	ticket_received: () => m.wa_when_ticket_received(),
	technician_assigned: () => m.wa_when_technician_assigned(),
	appointment_reminder: () => m.wa_when_appointment_reminder(),
	on_the_way: () => m.wa_when_on_the_way(),
	arrived: () => m.wa_when_arrived(),
	pending: () => m.wa_when_pending(),
	resolved: () => m.wa_when_resolved(),
	cancelled: () => m.wa_when_cancelled(),
	outage_declared: () => m.wa_when_outage_declared(),
	outage_resolved: () => m.wa_when_outage_resolved()
};

export function eventName(event: string): string {
	return EVENT_NAMES[event as MessageEvent]?.() ?? event;
}

export function eventWhen(event: string): string {
	return EVENT_WHEN[event as MessageEvent]?.() ?? '';
}

export function isMessageEvent(value: string | null | undefined): value is MessageEvent {
	return !!value && Object.hasOwn(EVENT_NAMES, value);
}

/** The delivery statuses, in the order a message goes through them; the last two are dead ends. */
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

const STATUS_NAMES: Record<MessageStatus, () => string> = {
	queued: () => m.wa_status_queued(),
	sending: () => m.wa_status_sending(),
	sent: () => m.wa_status_sent(),
	delivered: () => m.wa_status_delivered(),
	read: () => m.wa_status_read(),
	failed: () => m.wa_status_failed(),
	skipped: () => m.wa_status_skipped()
};

export function messageStatusName(status: string): string {
	return STATUS_NAMES[status as MessageStatus]?.() ?? status;
}

/** The badge class of a status: waiting is neutral, on its way blue, arrived green, stopped red or amber. */
export function statusBadge(status: string): string {
	switch (status) {
		case 'queued':
			return 'badge';
		case 'sending':
		case 'sent':
			return 'badge badge-brand';
		case 'delivered':
		case 'read':
			return 'badge badge-ok';
		case 'failed':
			return 'badge badge-off';
		case 'skipped':
			return 'badge badge-warn';
		default:
			return 'badge';
	}
}

/** Only a message that stopped can be sent again. */
export function canSendAgain(status: string): boolean {
	return status === 'failed' || status === 'skipped';
}

/** Still on its way: the log looks again soon (the server's outbox works every few seconds). */
export function inFlight(status: string): boolean {
	return status === 'queued' || status === 'sending';
}

/** Whether a message's last failure is worth showing: failed or skipped, or waiting for a retry after one. */
export function showsError(message: { status: string; last_error: string }): boolean {
	return message.last_error.trim() !== '' && (message.status === 'failed' || message.status === 'skipped' || message.status === 'queued');
}

const GATEWAY_NAMES: Record<GatewayKind, string> = { fonnte: 'Fonnte', wablas: 'Wablas' };
export const GATEWAY_KINDS = Object.keys(GATEWAY_NAMES) as readonly GatewayKind[];

export function gatewayName(kind: string | null | undefined): string {
	if (!kind) return '—';
	return GATEWAY_NAMES[kind as GatewayKind] ?? kind;
}

/** The address a gateway is reached at when none is given (the server's defaults). */
export const GATEWAY_DEFAULT_URLS: Record<GatewayKind, string> = {
	fonnte: 'https://api.fonnte.com',
	wablas: 'https://solo.wablas.com'
};

/** The server takes at most this many gateways. */
export const MAX_GATEWAYS = 3;

/** Fields of one gateway row, as the server names them after `gateways[i].`. */
export const GATEWAY_KEYS = ['kind', 'base_url', 'token'] as const;
export type GatewayKey = (typeof GATEWAY_KEYS)[number];

/** `gateways[1].base_url` for row 1's base URL. */
export function gatewayField(index: number, key: GatewayKey): string {
	return `gateways[${index}].${key}`;
}

/** Reads a server field name of a gateway row: `gateways[1].base_url` → { index: 1, key: 'base_url' }. */
export function parseGatewayField(field: string): { index: number; key: GatewayKey } | null {
	const match = /^gateways\[(\d+)\]\.(\w+)$/.exec(field.trim());
	if (!match) return null;
	const key = match[2] as GatewayKey;
	if (!GATEWAY_KEYS.includes(key)) return null;
	return { index: Number(match[1]), key };
}

/** The channel form's fields in form order, every gateway row's included (for `FormErrorState`). */
export const CHANNEL_FIELDS: readonly string[] = [
	'enabled',
	'gateways',
	...Array.from({ length: MAX_GATEWAYS }, (_, i) => GATEWAY_KEYS.map((key) => gatewayField(i, key))).flat(),
	'quiet_start',
	'quiet_end',
	'daily_limit',
	'sender_name'
];

/** One gateway row being edited. `from` is its place in the saved set-up (null: added now). */
export interface GatewayRow {
	/** Stable key for the row on screen. */
	key: number;
	kind: GatewayKind;
	base_url: string;
	token: string;
	from: number | null;
}

export interface ChannelForm {
	enabled: boolean;
	gateways: GatewayRow[];
	quiet: boolean;
	quiet_start: string;
	quiet_end: string;
	daily_limit: string;
	sender_name: string;
}

let rowKeys = 0;
/** A fresh row key (for rows added on screen). */
export function nextRowKey(): number {
	return ++rowKeys;
}

/** The form's values for a saved channel. */
export function channelForm(channel: WhatsAppChannel): ChannelForm {
	return {
		enabled: channel.enabled,
		gateways: channel.gateways.map((g, i) => ({ key: nextRowKey(), kind: g.kind, base_url: g.base_url ?? '', token: '', from: i })),
		quiet: !!(channel.quiet_start || channel.quiet_end),
		quiet_start: channel.quiet_start ?? '',
		quiet_end: channel.quiet_end ?? '',
		daily_limit: String(channel.daily_limit),
		sender_name: channel.sender_name
	};
}

/** What the server is sent: no token means "keep the stored one", no quiet hours both null. */
export function channelInput(form: ChannelForm): WhatsAppInput {
	const limit = form.daily_limit.trim();
	return {
		enabled: form.enabled,
		gateways: form.gateways.map((g) => {
			const row: WhatsAppInput['gateways'][number] = { kind: g.kind, base_url: g.base_url.trim() || null };
			if (g.token.trim()) row.token = g.token.trim();
			return row;
		}),
		quiet_start: form.quiet ? form.quiet_start || null : null,
		quiet_end: form.quiet ? form.quiet_end || null : null,
		// Not a whole number: sent as 0, which the server refuses at the field in the user's words.
		daily_limit: /^\d+$/.test(limit) ? Number(limit) : 0,
		sender_name: form.sender_name
	};
}

/**
 * What happens to a row's stored token when the form is saved without a new
 * one: `kept` when the row is still where it was saved and of the same kind
 * (the server keeps the token of the same kind at the same place); `again`
 * when a row that had one moved or changed kind (its token must be typed
 * again); `none` for a row that never had one.
 */
export function tokenState(row: GatewayRow, index: number, saved: WhatsAppChannel['gateways']): 'kept' | 'again' | 'none' {
	if (row.from === null) return 'none';
	const was = saved[row.from];
	if (!was?.token_set) return 'none';
	const here = saved[index];
	return row.from === index && here?.kind === row.kind ? 'kept' : 'again';
}

/** Moves item `from` by `by` places (−1 up, +1 down); out of range changes nothing. */
export function moved<T>(items: readonly T[], from: number, by: number): T[] {
	const to = from + by;
	if (from < 0 || from >= items.length || to < 0 || to >= items.length) return [...items];
	const copy = [...items];
	const [item] = copy.splice(from, 1);
	copy.splice(to, 0, item as T);
	return copy;
}

/** `HH:MM` on a 24-hour clock. */
export function isClockTime(value: string): boolean {
	return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** A channel field error in the user's words: gateways, tokens and quiet hours have their own sentences. */
export function channelErrorText(error: FieldError): string {
	const gateway = parseGatewayField(error.field);
	if (gateway?.key === 'token' && error.code === 'required') return m.wa_error_token_required();
	if (gateway?.key === 'token' && error.code === 'format') return m.wa_error_token_format();
	if (gateway?.key === 'base_url' && error.code === 'format') return m.wa_error_base_url();
	if (error.field === 'gateways' && error.code === 'required') return m.wa_error_gateways_required();
	if (error.field === 'gateways' && error.code === 'length') return m.wa_error_gateways_max({ max: String(MAX_GATEWAYS) });
	if ((error.field === 'quiet_start' || error.field === 'quiet_end') && error.code === 'required') return m.wa_error_quiet_both();
	if ((error.field === 'quiet_start' || error.field === 'quiet_end') && error.code === 'format') return m.wa_error_quiet_format();
	return fieldErrorText(error);
}

/** Variables a template may use, each with what it holds. */
const VARIABLE_NAMES: Record<string, () => string> = {
	name: () => m.wa_var_name(),
	customer_number: () => m.wa_var_customer_number(),
	number: () => m.wa_var_number(),
	isp: () => m.wa_var_isp(),
	technician: () => m.wa_var_technician(),
	date: () => m.wa_var_date(),
	window: () => m.wa_var_window(),
	reason: () => m.wa_var_reason(),
	outage: () => m.wa_var_outage()
};

export function variableName(variable: string): string {
	return VARIABLE_NAMES[variable]?.() ?? variable;
}

/** How a variable is written in a template. */
export function variableTag(variable: string): string {
	return `{{ ${variable} }}`;
}

/**
 * `text` with `insertion` put in place of the selection `start`–`end` (the
 * caret when they are equal), and where the caret goes after it.
 */
export function insertAt(text: string, start: number, end: number, insertion: string): { text: string; caret: number } {
	const from = Math.max(0, Math.min(start, end, text.length));
	const to = Math.min(text.length, Math.max(start, end, from));
	return { text: text.slice(0, from) + insertion + text.slice(to), caret: from + insertion.length };
}

/** The longest template the server takes. */
export const TEMPLATE_MAX = 1000;

function allowedOf(error: FieldError): string[] {
	const allowed = error.params?.allowed;
	return Array.isArray(allowed) ? allowed.map(String) : [];
}

/** A template error in the user's words, naming an unknown variable and the ones the event offers. */
export function templateErrorText(error: FieldError): string {
	switch (error.code) {
		case 'unknown_variable': {
			const variable = error.params?.variable;
			const name = typeof variable === 'string' && variable ? variable : /uses ([\w.]+)/.exec(error.detail)?.[1];
			const allowed = allowedOf(error).map(variableTag).join(', ');
			if (name && allowed) return m.wa_tpl_unknown_variable({ variable: variableTag(name), allowed });
			if (name) return m.wa_tpl_unknown_variable_plain({ variable: variableTag(name) });
			return m.wa_tpl_unknown_variable_none();
		}
		case 'syntax':
			return m.wa_tpl_syntax();
		case 'length':
			return m.wa_tpl_too_long({ max: String(TEMPLATE_MAX) });
		case 'required':
			return m.wa_tpl_required();
		default:
			return fieldErrorText(error);
	}
}

/** Where "Open ticket" leads for an inbox message: the new-ticket page with the customer (or the number to look for). */
export function openTicketHref(message: { id: string; customer_id?: string | null; sender: string }): string {
	const params = new URLSearchParams({ source: 'whatsapp', inbound: message.id });
	if (message.customer_id) params.set('customer_id', message.customer_id);
	else params.set('q', localNumber(message.sender));
	return `/console/tickets/new?${params}`;
}

/** "+6281234567890" → "081234567890" (as people type it in a search box). */
export function localNumber(e164: string): string {
	return e164.startsWith('+62') ? `0${e164.slice(3)}` : e164;
}
