/**
 * Messages in the console (WhatsApp to customers, e-mail and WhatsApp links
 * to accounts, staff alerts by e-mail, WhatsApp or Web Push): the events
 * (in groups), channels and statuses in words, the
 * channel form (gateways in failover order, their tokens, quiet hours) and
 * its server field names (`gateways[1].base_url`), and the template editor's
 * variables. Pure functions, unit-tested.
 */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/api/problem';
import { fieldErrorText } from '$lib/i18n/field-errors';
import { localPhone } from '$lib/registration';
import type { CloudTemplate, GatewayKind, MessageEvent, WhatsAppChannel, WhatsAppInput } from '$lib/api/messages';

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
	outage_resolved: () => m.wa_event_outage_resolved(),
	// Links and codes to one's account (a link's token and a code's digits are hidden in the log).
	password_forgotten: () => m.msg_event_password_forgotten(),
	password_reset: () => m.msg_event_password_reset(),
	invitation: () => m.msg_event_invitation(),
	sign_in_code: () => m.msg_event_sign_in_code(),
	// Staff alerts (`staff_…`): the bell's news that may also go by e-mail, WhatsApp or push.
	staff_ticket_created: () => m.wa_event_staff_ticket_created(),
	staff_ticket_assigned: () => m.wa_event_staff_ticket_assigned(),
	staff_ticket_status: () => m.wa_event_staff_ticket_status(),
	staff_ticket_comment: () => m.wa_event_staff_ticket_comment(),
	staff_ticket_rated: () => m.wa_event_staff_ticket_rated(),
	staff_sla_at_risk: () => m.wa_event_staff_sla_at_risk(),
	staff_sla_breached: () => m.wa_event_staff_sla_breached(),
	staff_outage_declared: () => m.wa_event_staff_outage_declared(),
	staff_outage_resolved: () => m.wa_event_staff_outage_resolved(),
	staff_visit_rescheduled: () => m.wa_event_staff_visit_rescheduled(),
	staff_assignment_timed_out: () => m.wa_event_staff_assignment_timed_out(),
	staff_crew_added: () => m.wa_event_staff_crew_added(),
	staff_gateway_problem: () => m.wa_event_staff_gateway_problem(),
	staff_leave_requested: () => m.wa_event_staff_leave_requested(),
	staff_leave_decided: () => m.wa_event_staff_leave_decided(),
	staff_stock_low: () => m.wa_event_staff_stock_low(),
	staff_material_requested: () => m.wa_event_staff_material_requested(),
	staff_material_issued: () => m.wa_event_staff_material_issued(),
	staff_material_rejected: () => m.wa_event_staff_material_rejected()
};
export const MESSAGE_EVENTS = Object.keys(EVENT_NAMES) as readonly MessageEvent[];

/** Whether an event is a staff alert. */
export function isStaffEvent(event: string): boolean {
	return event.startsWith('staff_');
}

/** Links to one's account and a customer's sign-in code. */
export const ACCOUNT_EVENTS: readonly MessageEvent[] = ['password_forgotten', 'password_reset', 'invitation', 'sign_in_code'];

function isAccountMessage(event: string): boolean {
	return (ACCOUNT_EVENTS as readonly string[]).includes(event);
}

/** The events of a ticket or an outage, whose messages go to customers. */
export const CUSTOMER_EVENTS = MESSAGE_EVENTS.filter((event) => !isStaffEvent(event) && !isAccountMessage(event));
/** The staff alerts, in the order the server lists them. */
export const STAFF_EVENTS = MESSAGE_EVENTS.filter(isStaffEvent);

/** The events in groups, in the order of `MESSAGE_EVENTS`, as the template editor and the channel set-up show them. */
export const EVENT_GROUPS: readonly { key: 'customers' | 'accounts' | 'staff'; name: () => string; events: readonly MessageEvent[] }[] = [
	{ key: 'customers', name: () => m.msg_group_customers(), events: CUSTOMER_EVENTS },
	{ key: 'accounts', name: () => m.msg_group_accounts(), events: ACCOUNT_EVENTS },
	{ key: 'staff', name: () => m.msg_group_staff(), events: STAFF_EVENTS }
];

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
	outage_resolved: () => m.wa_when_outage_resolved(),
	password_forgotten: () => m.wa_when_password_forgotten(),
	password_reset: () => m.wa_when_password_reset(),
	invitation: () => m.wa_when_invitation(),
	sign_in_code: () => m.wa_when_sign_in_code(),
	staff_ticket_created: () => m.wa_when_staff_ticket_created(),
	staff_ticket_assigned: () => m.wa_when_staff_ticket_assigned(),
	staff_ticket_status: () => m.wa_when_staff_ticket_status(),
	staff_ticket_comment: () => m.wa_when_staff_ticket_comment(),
	staff_ticket_rated: () => m.wa_when_staff_ticket_rated(),
	staff_sla_at_risk: () => m.wa_when_staff_sla_at_risk(),
	staff_sla_breached: () => m.wa_when_staff_sla_breached(),
	staff_outage_declared: () => m.wa_when_staff_outage_declared(),
	staff_outage_resolved: () => m.wa_when_staff_outage_resolved(),
	staff_visit_rescheduled: () => m.wa_when_staff_visit_rescheduled(),
	staff_assignment_timed_out: () => m.wa_when_staff_assignment_timed_out(),
	staff_crew_added: () => m.wa_when_staff_crew_added(),
	staff_gateway_problem: () => m.wa_when_staff_gateway_problem(),
	staff_leave_requested: () => m.wa_when_staff_leave_requested(),
	staff_leave_decided: () => m.wa_when_staff_leave_decided(),
	staff_stock_low: () => m.wa_when_staff_stock_low(),
	staff_material_requested: () => m.wa_when_staff_material_requested(),
	staff_material_issued: () => m.wa_when_staff_material_issued(),
	staff_material_rejected: () => m.wa_when_staff_material_rejected()
};

/** The test notification a person sends their own devices (by Web Push; it has no template). */
export const PUSH_TEST_EVENT = 'push_test';

/** The one account message that carries a code, not a link (its digits are hidden in the log). */
export const SIGN_IN_CODE_EVENT = 'sign_in_code';

/** Whether a message carries a link to a staff account (its token is hidden in the log). */
export function isAccountEvent(event: string): boolean {
	return isAccountMessage(event) && event !== SIGN_IN_CODE_EVENT;
}

/** What the log hides of a message about an account, said under its text: the link's token, or the code's digits. */
export function hiddenNote(event: string): string | null {
	if (event === SIGN_IN_CODE_EVENT) return m.msg_code_hidden();
	return isAccountEvent(event) ? m.msg_token_hidden() : null;
}

export function eventName(event: string): string {
	if (event === PUSH_TEST_EVENT) return m.msg_event_push_test();
	return EVENT_NAMES[event as MessageEvent]?.() ?? event;
}

/** The channels a message goes by: WhatsApp and e-mail, and Web Push for staff alerts. */
export const MESSAGE_CHANNELS = ['whatsapp', 'email', 'push'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];

export function channelName(channel: string): string {
	if (channel === 'email') return m.msg_channel_email();
	if (channel === 'whatsapp') return m.msg_channel_whatsapp();
	if (channel === 'push') return m.msg_channel_push();
	return channel;
}

/**
 * The recipient as people write it: an e-mail address as it is, a phone
 * number the local way, a device (Web Push) by the start of its id.
 */
export function recipientText(message: { channel: string; recipient: string }): string {
	if (message.channel === 'push') return m.msg_push_device({ device: message.recipient.slice(0, 8) });
	return message.channel === 'email' || message.recipient.includes('@') ? message.recipient : localPhone(message.recipient);
}

/**
 * Whether a search of the log looks like an e-mail address, which the
 * server cannot find (it searches the start of a phone or ticket number).
 */
export function looksLikeEmail(q: string): boolean {
	return q.includes('@');
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

const GATEWAY_NAMES: Record<GatewayKind, string> = { fonnte: 'Fonnte', wablas: 'Wablas', cloud: 'WhatsApp Cloud API' };
export const GATEWAY_KINDS = Object.keys(GATEWAY_NAMES) as readonly GatewayKind[];

/** What else takes a message: the SMTP server (e-mail) and the devices' push services. */
const OTHER_SENDERS: Record<string, string> = { smtp: 'SMTP', webpush: 'Web Push' };

/** The local gateways (a webhook address each, no verify token). */
export const LOCAL_GATEWAY_KINDS = GATEWAY_KINDS.filter((kind) => kind !== 'cloud');

export function gatewayName(kind: string | null | undefined): string {
	if (!kind) return '—';
	return GATEWAY_NAMES[kind as GatewayKind] ?? OTHER_SENDERS[kind] ?? kind;
}

/** A gateway as the set-up offers it (the Cloud API said to be Meta's own). */
export function gatewayOption(kind: GatewayKind): string {
	return kind === 'cloud' ? m.wa_gateway_cloud_option() : gatewayName(kind);
}

/** The address a gateway is reached at when none is given (the server's defaults). */
export const GATEWAY_DEFAULT_URLS: Record<GatewayKind, string> = {
	fonnte: 'https://api.fonnte.com',
	wablas: 'https://solo.wablas.com',
	cloud: 'https://graph.facebook.com/v21.0'
};

/** The server takes at most this many gateways, and at most one of them the Cloud API. */
export const MAX_GATEWAYS = 3;

/** Fields of one gateway row, as the server names them after `gateways[i].`. */
export const GATEWAY_KEYS = ['kind', 'base_url', 'token', 'phone_number_id', 'app_secret'] as const;
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

/** The most parameters a Cloud API template takes here (the server's limit). */
export const MAX_TEMPLATE_PARAMS = 10;

/** Fields of one event's Cloud API template, as the server names them after `templates.<event>.`. */
export type TemplateKey = 'name' | 'language' | 'params';

/**
 * The server's name of a template field: `templates.ticket_received` (the
 * event's mapping), `templates.ticket_received.name`, and
 * `templates.ticket_received.params[1]` for its second parameter.
 */
export function templateField(event: string, key?: TemplateKey, index?: number): string {
	const base = `templates.${event}`;
	if (!key) return base;
	return key === 'params' && index !== undefined ? `${base}.params[${index}]` : `${base}.${key}`;
}

/** Reads a template field name back: `templates.arrived.params[2]` → { event: 'arrived', key: 'params', index: 2 }. */
export function parseTemplateField(field: string): { event: string; key?: TemplateKey; index?: number } | null {
	const match = /^templates\.(\w+)(?:\.(name|language|params)(?:\[(\d+)\])?)?$/.exec(field.trim());
	if (!match) return null;
	const [, event, key, index] = match;
	if (!event || (index !== undefined && key !== 'params')) return null;
	return { event, ...(key ? { key: key as TemplateKey } : {}), ...(index !== undefined ? { index: Number(index) } : {}) };
}

/** The template fields of one event, in form order. */
function templateFields(event: string): string[] {
	return [
		templateField(event),
		templateField(event, 'name'),
		templateField(event, 'language'),
		templateField(event, 'params'),
		...Array.from({ length: MAX_TEMPLATE_PARAMS }, (_, i) => templateField(event, 'params', i))
	];
}

/** The channel form's fields in form order, every gateway row's and event template's included (for `FormErrorState`). */
export const CHANNEL_FIELDS: readonly string[] = [
	'enabled',
	'gateways',
	...Array.from({ length: MAX_GATEWAYS }, (_, i) => GATEWAY_KEYS.map((key) => gatewayField(i, key))).flat(),
	'quiet_start',
	'quiet_end',
	'daily_limit',
	'sender_name',
	'templates',
	...MESSAGE_EVENTS.flatMap(templateFields)
];

/** One gateway row being edited. `from` is its place in the saved set-up (null: added now). */
export interface GatewayRow {
	/** Stable key for the row on screen. */
	key: number;
	kind: GatewayKind;
	base_url: string;
	token: string;
	/** The Cloud API's "Phone number ID" (kept while the row is of another kind, sent only for `cloud`). */
	phone_number_id: string;
	/** The Cloud API's app secret, typed to set or change it. */
	app_secret: string;
	from: number | null;
}

/** One parameter of a template: the event variable that fills its `{{n}}`. */
export interface TemplateParam {
	/** Stable key for the row on screen. */
	key: number;
	variable: string;
}

/** One event's Cloud API template being edited; `on` false: the event has none (what was typed stays until saved). */
export interface TemplateRow {
	on: boolean;
	name: string;
	language: string;
	params: TemplateParam[];
}

export interface ChannelForm {
	enabled: boolean;
	gateways: GatewayRow[];
	quiet: boolean;
	quiet_start: string;
	quiet_end: string;
	daily_limit: string;
	sender_name: string;
	/** Each customer event's Cloud API template. */
	templates: Record<MessageEvent, TemplateRow>;
	/** Mappings of events this console does not know, sent back as they came. */
	other_templates: Record<string, CloudTemplate>;
}

let rowKeys = 0;
/** A fresh row key (for rows added on screen). */
export function nextRowKey(): number {
	return ++rowKeys;
}

/** The language a new template starts with (Meta's code for Indonesian). */
export const TEMPLATE_DEFAULT_LANGUAGE = 'id';

/** Language codes Meta uses that an Indonesian ISP is likely to need, offered while typing. */
export const TEMPLATE_LANGUAGES = ['id', 'en_US', 'en', 'en_GB', 'ms', 'jv'] as const;

/** The template rows for a saved mapping: every customer event, on where it has a template. */
export function templateRows(templates: WhatsAppChannel['templates'] | null | undefined): {
	rows: Record<MessageEvent, TemplateRow>;
	other: Record<string, CloudTemplate>;
} {
	const saved = templates ?? {};
	const rows = {} as Record<MessageEvent, TemplateRow>;
	for (const event of MESSAGE_EVENTS) {
		const t = Object.hasOwn(saved, event) ? saved[event] : undefined;
		rows[event] = t
			? { on: true, name: t.name, language: t.language, params: (t.params ?? []).map((variable) => ({ key: nextRowKey(), variable })) }
			: { on: false, name: '', language: TEMPLATE_DEFAULT_LANGUAGE, params: [] };
	}
	const other: Record<string, CloudTemplate> = {};
	for (const [event, t] of Object.entries(saved)) if (!isMessageEvent(event)) other[event] = t;
	return { rows, other };
}

/**
 * The mapping the server is sent: each event that has a template (names and
 * languages trimmed, every parameter in order, so the server's `params[i]`
 * is the row on screen), and the ones this console does not know as they came.
 */
export function templatesInput(rows: Record<MessageEvent, TemplateRow>, other: Record<string, CloudTemplate> = {}): Record<string, CloudTemplate> {
	const result: Record<string, CloudTemplate> = { ...other };
	for (const event of MESSAGE_EVENTS) {
		const row = rows[event];
		if (!row?.on) continue;
		result[event] = { name: row.name.trim(), language: row.language.trim(), params: row.params.map((p) => p.variable) };
	}
	return result;
}

/** The events that have a template. */
export function templatedEvents(rows: Record<MessageEvent, TemplateRow>): MessageEvent[] {
	return MESSAGE_EVENTS.filter((event) => rows[event]?.on);
}

/** The variable a new parameter starts with: the event's first one not used yet, else its first. */
export function nextParam(variables: readonly string[], params: readonly TemplateParam[]): string | null {
	const used = new Set(params.map((p) => p.variable));
	return variables.find((v) => !used.has(v)) ?? variables[0] ?? null;
}

/** How a Cloud API template's `n`th parameter (from 1) is written at Meta. */
export function paramSlot(n: number): string {
	return `{{${n}}}`;
}

/**
 * The form's values under the server's field names (a gateway row's
 * `gateways[0].token`, a template's `templates.arrived.params[1]`), so a
 * field's message goes as soon as that field is edited. A template that is
 * switched off has no values: its messages go too.
 */
export function channelValues(form: ChannelForm | null): Record<string, unknown> {
	if (!form) return {};
	const values: Record<string, unknown> = {
		enabled: form.enabled,
		gateways: form.gateways.map((g) => `${g.kind}:${g.key}`),
		quiet_start: form.quiet ? form.quiet_start : null,
		quiet_end: form.quiet ? form.quiet_end : null,
		daily_limit: form.daily_limit,
		sender_name: form.sender_name,
		templates: templatedEvents(form.templates)
	};
	form.gateways.forEach((g, i) => {
		values[gatewayField(i, 'kind')] = g.kind;
		values[gatewayField(i, 'base_url')] = g.base_url;
		values[gatewayField(i, 'token')] = g.token;
		values[gatewayField(i, 'phone_number_id')] = g.kind === 'cloud' ? g.phone_number_id : null;
		values[gatewayField(i, 'app_secret')] = g.kind === 'cloud' ? g.app_secret : null;
	});
	for (const event of MESSAGE_EVENTS) {
		const row = form.templates[event];
		const on = !!row?.on;
		values[templateField(event)] = on;
		values[templateField(event, 'name')] = on ? row.name : null;
		values[templateField(event, 'language')] = on ? row.language : null;
		values[templateField(event, 'params')] = on ? row.params.map((p) => p.variable) : null;
		for (let i = 0; i < MAX_TEMPLATE_PARAMS; i++) values[templateField(event, 'params', i)] = on ? (row.params[i]?.variable ?? null) : null;
	}
	return values;
}

/** The form's values for a saved channel. */
export function channelForm(channel: WhatsAppChannel): ChannelForm {
	const { rows, other } = templateRows(channel.templates);
	return {
		enabled: channel.enabled,
		gateways: channel.gateways.map((g, i) => ({
			key: nextRowKey(),
			kind: g.kind,
			base_url: g.base_url ?? '',
			token: '',
			phone_number_id: g.phone_number_id ?? '',
			app_secret: '',
			from: i
		})),
		quiet: !!(channel.quiet_start || channel.quiet_end),
		quiet_start: channel.quiet_start ?? '',
		quiet_end: channel.quiet_end ?? '',
		daily_limit: String(channel.daily_limit),
		sender_name: channel.sender_name,
		templates: rows,
		other_templates: other
	};
}

/**
 * What the server is sent: no token (or app secret) means "keep the stored
 * one", no quiet hours both null; the Cloud API's own fields only for it; the
 * whole template mapping, which replaces the stored one.
 */
export function channelInput(form: ChannelForm): WhatsAppInput {
	const limit = form.daily_limit.trim();
	return {
		enabled: form.enabled,
		gateways: form.gateways.map((g) => {
			const row: WhatsAppInput['gateways'][number] = { kind: g.kind, base_url: g.base_url.trim() || null };
			if (g.token.trim()) row.token = g.token.trim();
			if (g.kind === 'cloud') {
				row.phone_number_id = g.phone_number_id.trim() || null;
				if (g.app_secret.trim()) row.app_secret = g.app_secret.trim();
			}
			return row;
		}),
		quiet_start: form.quiet ? form.quiet_start || null : null,
		quiet_end: form.quiet ? form.quiet_end || null : null,
		// Not a whole number: sent as 0, which the server refuses at the field in the user's words.
		daily_limit: /^\d+$/.test(limit) ? Number(limit) : 0,
		sender_name: form.sender_name,
		templates: templatesInput(form.templates, form.other_templates)
	};
}

/**
 * What happens to a row's stored token (and a Cloud API row's app secret)
 * when the form is saved without a new one: `kept` when the row is still
 * where it was saved and of the same kind (the server keeps the secrets of
 * the same kind at the same place); `again` when a row that had one moved or
 * changed kind (it must be typed again); `none` for a row that never had one.
 */
export function tokenState(row: GatewayRow, index: number, saved: WhatsAppChannel['gateways']): 'kept' | 'again' | 'none' {
	if (row.from === null) return 'none';
	const was = saved[row.from];
	if (!was?.token_set) return 'none';
	const here = saved[index];
	return row.from === index && here?.kind === row.kind ? 'kept' : 'again';
}

/**
 * The gateway that sends, as text, what the Cloud API may not send without a
 * template (outside the 24 hours after a customer last wrote): the first one
 * after the Cloud API in the list. `null` when the Cloud API is last (the
 * message waits) or absent.
 */
export function gatewayAfterCloud(gateways: readonly { kind: GatewayKind }[]): GatewayKind | null {
	const at = gateways.findIndex((g) => g.kind === 'cloud');
	if (at < 0) return null;
	return gateways[at + 1]?.kind ?? null;
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

/** The variable a refused template parameter named: from the form when known, else from the server's words. */
function refusedParam(error: FieldError, sent?: string | null): string | null {
	if (sent) return sent;
	const variable = error.params?.variable;
	if (typeof variable === 'string' && variable) return variable;
	return /variable "?([\w.]+)"?/.exec(error.detail)?.[1] ?? null;
}

/**
 * A channel field error in the user's words: gateways, tokens, the Cloud
 * API's fields, quiet hours and templates have their own sentences. `sent`
 * is the value the refused field had (a template parameter's variable), for
 * naming it.
 */
export function channelErrorText(error: FieldError, sent?: string | null): string {
	const gateway = parseGatewayField(error.field);
	if (gateway?.key === 'token' && error.code === 'required') return m.wa_error_token_required();
	if (gateway?.key === 'token' && error.code === 'format') return m.wa_error_token_format();
	if (gateway?.key === 'base_url' && error.code === 'format') return m.wa_error_base_url();
	if (gateway?.key === 'phone_number_id' && error.code === 'required') return m.wa_error_phone_number_id_required();
	if (gateway?.key === 'phone_number_id' && error.code === 'format') return m.wa_error_phone_number_id_format();
	if (gateway?.key === 'app_secret' && error.code === 'required') return m.wa_error_app_secret_required();
	if (gateway?.key === 'app_secret' && error.code === 'format') return m.wa_error_app_secret_format();
	if (error.field === 'gateways' && error.code === 'required') return m.wa_error_gateways_required();
	if (error.field === 'gateways' && error.code === 'length') return m.wa_error_gateways_max({ max: String(MAX_GATEWAYS) });
	if (error.field === 'gateways' && error.code === 'duplicate') return m.wa_error_cloud_duplicate();
	if ((error.field === 'quiet_start' || error.field === 'quiet_end') && error.code === 'required') return m.wa_error_quiet_both();
	if ((error.field === 'quiet_start' || error.field === 'quiet_end') && error.code === 'format') return m.wa_error_quiet_format();
	const template = parseTemplateField(error.field);
	if (template) {
		if (!template.key && error.code === 'unknown') return m.wa_cloud_error_event();
		if (template.key === 'name' && (error.code === 'format' || error.code === 'required')) return m.wa_cloud_error_name();
		if (template.key === 'language' && (error.code === 'format' || error.code === 'required')) return m.wa_cloud_error_language();
		if (template.key === 'params' && template.index === undefined && error.code === 'length')
			return m.wa_cloud_error_params_max({ max: String(MAX_TEMPLATE_PARAMS) });
		if (template.key === 'params' && template.index !== undefined && error.code === 'unknown') {
			const variable = refusedParam(error, sent);
			const allowed = allowedOf(error)
				.map((v) => variableName(v, template.event))
				.join(', ');
			const named = variable ? `${variableName(variable, template.event)} (${variable})` : null;
			if (named && allowed) return m.wa_cloud_error_param({ variable: named, allowed });
			if (allowed) return m.wa_cloud_error_param_plain({ allowed });
			return m.wa_cloud_error_param_none();
		}
	}
	return fieldErrorText(error);
}

/** The variable a template parameter field had in the body sent (`templates.arrived.params[1]`), if it is one. */
export function sentParam(body: Pick<WhatsAppInput, 'templates'> | null | undefined, field: string): string | null {
	const at = parseTemplateField(field);
	if (!at || at.key !== 'params' || at.index === undefined) return null;
	const template = body?.templates && Object.hasOwn(body.templates, at.event) ? body.templates[at.event] : undefined;
	return template?.params?.[at.index] ?? null;
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
	outage: () => m.wa_var_outage(),
	kind: () => m.wa_var_kind(),
	priority: () => m.wa_var_priority(),
	by: () => m.wa_var_by(),
	status: () => m.wa_var_status(),
	rating: () => m.wa_var_rating(),
	target: () => m.wa_var_target(),
	due: () => m.wa_var_due(),
	title: () => m.wa_var_title(),
	minutes: () => m.wa_var_minutes(),
	provider: () => m.wa_var_provider(),
	from: () => m.wa_var_from(),
	to: () => m.wa_var_to(),
	note: () => m.wa_var_note(),
	item: () => m.wa_var_item(),
	location: () => m.wa_var_location(),
	quantity: () => m.wa_var_quantity(),
	minimum: () => m.wa_var_minimum(),
	unit: () => m.wa_var_unit(),
	lines: () => m.wa_var_lines(),
	link: () => m.wa_var_link(),
	hours: () => m.wa_var_hours(),
	code: () => m.wa_var_code()
};

/** Where a variable holds something else for one event (or for every staff alert, under `staff`). */
const VARIABLE_NAMES_FOR: Record<string, Record<string, () => string>> = {
	// A staff alert goes to a member of staff: `name` is theirs, not a customer's.
	staff: { name: () => m.wa_var_recipient() },
	staff_outage_declared: { number: () => m.wa_var_outage_number() },
	staff_outage_resolved: { number: () => m.wa_var_outage_number() },
	staff_leave_requested: { kind: () => m.wa_var_leave_kind() },
	staff_leave_decided: { status: () => m.wa_var_decision() },
	staff_gateway_problem: { reason: () => m.wa_var_gateway_reason() },
	sign_in_code: { minutes: () => m.wa_var_code_minutes() },
	// The customer's page to follow the technician, not an account link.
	on_the_way: { link: () => m.wa_var_tracking_link() },
	// The ticket in the portal, where the Berita Acara is.
	resolved: { link: () => m.wa_var_document_link() }
};

/** What a variable holds, for `event` when given (a staff alert's `name` is its recipient's). */
export function variableName(variable: string, event?: string): string {
	const special = event ? (VARIABLE_NAMES_FOR[event]?.[variable] ?? (isStaffEvent(event) ? VARIABLE_NAMES_FOR.staff?.[variable] : undefined)) : undefined;
	return (special ?? VARIABLE_NAMES[variable])?.() ?? variable;
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
		case 'required': {
			// A link's or a code's wording without its link or code.
			const variable = error.params?.variable;
			return typeof variable === 'string' && variable ? m.wa_tpl_missing_variable({ variable: variableTag(variable) }) : m.wa_tpl_required();
		}
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
