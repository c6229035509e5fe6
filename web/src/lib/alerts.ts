/**
 * Staff alerts beyond the bell: a person's choices per alert (their role's
 * channels, or their own), their quiet hours and time zone, as a form and
 * back as the body the server takes; what keeps a channel from reaching
 * them; and the admin's table of channels per alert and role. Pure
 * functions, unit-tested.
 */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/api/problem';
import type { AlertChannel, AlertPreferences, AlertPreferencesInput, NotificationRoute, Reachable } from '$lib/api/alerts';
import type { MessageEvent } from '$lib/api/messages';
import type { LocalErrors } from '$lib/forms.svelte';
import { fieldErrorText } from '$lib/i18n/field-errors';
import { roleName } from '$lib/i18n/labels';
import { channelName, eventName, eventWhen, STAFF_EVENTS } from '$lib/messages';

/** The channels an alert can take besides the bell, in the order they are shown. */
export const ALERT_CHANNELS: readonly AlertChannel[] = ['email', 'whatsapp', 'push'];

/** The known channels of a list, each once, in the order they are shown. */
export function channelsOf(channels: readonly string[]): AlertChannel[] {
	return ALERT_CHANNELS.filter((channel) => channels.includes(channel));
}

/** The list with `channel` switched on or off. */
export function withChannel(channels: readonly AlertChannel[], channel: AlertChannel, on: boolean): AlertChannel[] {
	return channelsOf(on ? [...channels, channel] : channels.filter((c) => c !== channel));
}

export function sameChannels(a: readonly string[], b: readonly string[]): boolean {
	const x = channelsOf(a);
	const y = channelsOf(b);
	return x.length === y.length && x.every((c, i) => c === y[i]);
}

/** "E-mail, Push", or "bell only" for none. */
export function channelsText(channels: readonly string[]): string {
	const known = channelsOf(channels);
	return known.length ? known.map(channelName).join(', ') : m.alerts_bell_only();
}

// ------------------------------------------------------------ one's own alerts

/** One alert in the form: the role's channels, and whether the person chose their own. */
export interface AlertRow {
	event: MessageEvent;
	/** What "as my role" means. */
	role_channels: AlertChannel[];
	chosen: boolean;
	/** The channels it comes by: the role's while not chosen. */
	channels: AlertChannel[];
}

export interface AlertForm {
	rows: AlertRow[];
	/** `HH:MM`, or empty (no quiet hours). */
	quiet_start: string;
	quiet_end: string;
	time_zone: string;
}

/** The zone of a person who chose none (the server's default). */
export const DEFAULT_TIME_ZONE = 'Asia/Jakarta';

/** "21:00:00" (as the server sends a time) → "21:00"; nothing → "". */
export function clockTime(value: string | null | undefined): string {
	const match = /^(\d{2}:\d{2})/.exec(value?.trim() ?? '');
	return match?.[1] ?? '';
}

/** The form for what the server has: alerts in the order of the staff alerts. */
export function alertForm(prefs: AlertPreferences): AlertForm {
	const order = (event: string) => {
		const at = STAFF_EVENTS.indexOf(event as MessageEvent);
		return at < 0 ? STAFF_EVENTS.length : at;
	};
	const rows = [...prefs.events]
		.sort((a, b) => order(a.event) - order(b.event))
		.map((choice) => {
			const role = channelsOf(choice.role_channels);
			return { event: choice.event, role_channels: role, chosen: choice.chosen, channels: choice.chosen ? channelsOf(choice.channels) : role };
		});
	return {
		rows,
		quiet_start: clockTime(prefs.quiet_start),
		quiet_end: clockTime(prefs.quiet_end),
		time_zone: prefs.time_zone?.trim() || DEFAULT_TIME_ZONE
	};
}

/** The row with one channel switched: from then on the person's own choice. */
export function chooseChannel(row: AlertRow, channel: AlertChannel, on: boolean): AlertRow {
	return { ...row, chosen: true, channels: withChannel(row.channels, channel, on) };
}

/** The row back to the role's channels. */
export function followRole(row: AlertRow): AlertRow {
	return { ...row, chosen: false, channels: [...row.role_channels] };
}

/** What the server is sent: only the alerts chosen (the others follow the role); empty times as none. */
export function alertInput(form: AlertForm): AlertPreferencesInput {
	const channels: Record<string, AlertChannel[]> = {};
	for (const row of form.rows) if (row.chosen) channels[row.event] = channelsOf(row.channels);
	const time = (value: string) => value.trim() || null;
	return { channels, quiet_start: time(form.quiet_start), quiet_end: time(form.quiet_end), time_zone: form.time_zone.trim() || DEFAULT_TIME_ZONE };
}

/** The server's name of an alert's channels (`channels.staff_ticket_assigned`). */
export function alertField(event: string): string {
	return `channels.${event}`;
}

/** The form's fields in form order, every alert's included (for `FormErrorState`). */
export const ALERT_FIELDS: readonly string[] = ['channels', ...STAFF_EVENTS.map(alertField), 'quiet_start', 'quiet_end', 'time_zone'];

/** The form's values under the server's field names, so a field's message goes once it is edited. */
export function alertValues(form: AlertForm | null): Record<string, unknown> {
	if (!form) return {};
	const values: Record<string, unknown> = {
		channels: form.rows.map((row) => (row.chosen ? row.channels : null)),
		quiet_start: form.quiet_start,
		quiet_end: form.quiet_end,
		time_zone: form.time_zone
	};
	for (const row of form.rows) values[alertField(row.event)] = row.chosen ? row.channels : null;
	return values;
}

/** Quiet hours are both ends or neither; the end that is missing is told (worded when shown). */
export function quietProblems(form: Pick<AlertForm, 'quiet_start' | 'quiet_end'>): LocalErrors | null {
	const start = form.quiet_start.trim();
	const end = form.quiet_end.trim();
	if (start && !end) return { quiet_end: () => m.alerts_error_quiet_both() };
	if (end && !start) return { quiet_start: () => m.alerts_error_quiet_both() };
	if (start && start === end) return { quiet_end: () => m.alerts_error_quiet_same() };
	return null;
}

/** A refused field of the form in the person's words. */
export function alertErrorText(error: FieldError): string {
	const quiet = error.field === 'quiet_start' || error.field === 'quiet_end';
	if (quiet && error.code === 'required') return m.alerts_error_quiet_both();
	if (quiet && error.code === 'range') return m.alerts_error_quiet_same();
	if (quiet && error.code === 'format') return m.wa_error_quiet_format();
	if (error.field === 'time_zone' && (error.code === 'format' || error.code === 'required')) return m.alerts_error_time_zone();
	if (error.field.startsWith('channels.') && error.code === 'unknown') return m.alerts_error_event();
	return fieldErrorText(error);
}

/** Indonesia's three time zones, west to east. */
export const TIME_ZONES: readonly { zone: string; name: () => string }[] = [
	{ zone: 'Asia/Jakarta', name: () => m.alerts_zone_wib() },
	{ zone: 'Asia/Makassar', name: () => m.alerts_zone_wita() },
	{ zone: 'Asia/Jayapura', name: () => m.alerts_zone_wit() }
];

/** The zones to choose from: the three, and the one saved when it is another. */
export function timeZoneOptions(current: string): { value: string; label: string }[] {
	const options = TIME_ZONES.map((z) => ({ value: z.zone, label: z.name() }));
	if (current && !TIME_ZONES.some((z) => z.zone === current)) options.push({ value: current, label: current });
	return options;
}

/**
 * Why a channel does not reach the person now, in their words, or null when
 * it does: no address or number on the account, the channel off, no device.
 */
export function unreachableText(channel: AlertChannel, reachable: Reachable, me: { email?: string | null; phone?: string | null }): string | null {
	if (reachable[channel]) return null;
	const has = (value: string | null | undefined) => !!value?.trim();
	switch (channel) {
		case 'email':
			return has(me.email) ? m.alerts_hint_email_off() : m.alerts_hint_no_email();
		case 'whatsapp':
			return has(me.phone) ? m.alerts_hint_whatsapp_off() : m.alerts_hint_no_phone();
		case 'push':
			return m.alerts_hint_no_device();
	}
}

/** The channels the form uses somewhere (their hints are worth showing). */
export function channelsInUse(form: AlertForm | null): AlertChannel[] {
	return channelsOf(form?.rows.flatMap((row) => row.channels) ?? []);
}

// ------------------------------------------------------------ the admin's table

/** The roles staff alerts can reach, in the order of the table's columns. */
export const ALERT_ROLES = ['admin', 'supervisor', 'cs', 'technician', 'management', 'warehouse'] as const;

/** One alert of the table: its route for each role it reaches. */
export interface RouteRow {
	event: MessageEvent;
	routes: Partial<Record<string, NotificationRoute>>;
}

/** The table: the roles reached by any alert (as columns) and one row per alert, in the order of the staff alerts. */
export function routeTable(items: readonly NotificationRoute[]): { roles: string[]; rows: RouteRow[] } {
	const byEvent = new Map<MessageEvent, RouteRow>();
	const reached = new Set<string>();
	for (const route of items) {
		reached.add(route.role);
		const row = byEvent.get(route.event) ?? { event: route.event, routes: {} };
		row.routes[route.role] = route;
		byEvent.set(route.event, row);
	}
	const known: readonly string[] = ALERT_ROLES;
	const roles = [...ALERT_ROLES.filter((r) => reached.has(r)), ...[...reached].filter((r) => !known.includes(r)).sort()];
	const order = (event: MessageEvent) => {
		const at = STAFF_EVENTS.indexOf(event);
		return at < 0 ? STAFF_EVENTS.length : at;
	};
	const rows = [...byEvent.values()].sort((a, b) => order(a.event) - order(b.event) || a.event.localeCompare(b.event));
	return { roles, rows };
}

/** The key of one cell of the table. */
export function routeKey(route: { event: string; role: string }): string {
	return `${route.event}/${route.role}`;
}

/** Text as compared by a search: lower case, without accents. */
export function searchText(text: string): string {
	return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

/**
 * Whether a row matches what is typed: every word in its name, when it goes,
 * its code or the names of the roles it reaches.
 */
export function routeRowMatches(row: RouteRow, q: string): boolean {
	const words = searchText(q).split(/\s+/).filter(Boolean);
	if (!words.length) return true;
	const haystack = searchText([eventName(row.event), eventWhen(row.event), row.event, ...Object.keys(row.routes).map(roleName)].join(' '));
	return words.every((word) => haystack.includes(word));
}
