import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import type { AlertPreferences, NotificationRoute } from '$lib/api/alerts';
import { ApiError } from '$lib/api/problem';
import { formErrors } from '$lib/forms';
import { STAFF_EVENTS } from '$lib/messages';
import { ROLES } from '$lib/session/access';
import {
	ALERT_CHANNELS,
	ALERT_FIELDS,
	ALERT_ROLES,
	alertErrorText,
	alertField,
	alertForm,
	alertInput,
	alertValues,
	channelsInUse,
	channelsOf,
	channelsText,
	chooseChannel,
	clockTime,
	followRole,
	quietProblems,
	routeKey,
	routeRowMatches,
	routeTable,
	sameChannels,
	timeZoneOptions,
	unreachableText,
	withChannel
} from './alerts';
import en from './i18n/en.json';
import id from './i18n/id.json';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

const openapi = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'));

const prefs = (over: Partial<AlertPreferences> = {}): AlertPreferences => ({
	events: [
		{ event: 'staff_sla_at_risk', channels: ['push'], role_channels: ['push'], chosen: false },
		{ event: 'staff_ticket_assigned', channels: ['whatsapp', 'email'], role_channels: ['push'], chosen: true }
	],
	quiet_start: '21:00:00',
	quiet_end: '06:30:00',
	time_zone: 'Asia/Makassar',
	reachable: { email: true, whatsapp: false, push: false },
	push_public_key: 'BASE64URL',
	...over
});

describe('channels of a staff alert', () => {
	it('are the ones the server knows, in one order, each once', () => {
		expect([...ALERT_CHANNELS].sort()).toEqual([...openapi.components.schemas.AlertChannel.enum].sort());
		expect(channelsOf(['push', 'email', 'push', 'pigeon'])).toEqual(['email', 'push']);
		expect(withChannel(['push'], 'email', true)).toEqual(['email', 'push']);
		expect(withChannel(['email', 'push'], 'email', false)).toEqual(['push']);
		expect(withChannel(['push'], 'push', true)).toEqual(['push']);
		expect(sameChannels(['push', 'email'], ['email', 'push'])).toBe(true);
		expect(sameChannels(['push'], [])).toBe(false);
	});

	it('are said in words, "bell only" for none', () => {
		expect(channelsText(['push', 'email'])).toBe(`${id.msg_channel_email}, ${id.msg_channel_push}`);
		expect(channelsText([])).toBe(id.alerts_bell_only);
		locale = 'en';
		expect(channelsText([])).toBe(en.alerts_bell_only);
	});
});

describe('one\'s own alerts', () => {
	it('reads the server\'s choices into a form: the staff alerts\' order, times as HH:MM, the role\'s channels where not chosen', () => {
		const form = alertForm(prefs());
		expect(form.rows.map((r) => r.event)).toEqual(['staff_ticket_assigned', 'staff_sla_at_risk']);
		expect(form.rows[0]).toEqual({ event: 'staff_ticket_assigned', role_channels: ['push'], chosen: true, channels: ['email', 'whatsapp'] });
		expect(form.rows[1]).toEqual({ event: 'staff_sla_at_risk', role_channels: ['push'], chosen: false, channels: ['push'] });
		expect([form.quiet_start, form.quiet_end, form.time_zone]).toEqual(['21:00', '06:30', 'Asia/Makassar']);
		const none = alertForm(prefs({ quiet_start: null, quiet_end: undefined, time_zone: '' }));
		expect([none.quiet_start, none.quiet_end, none.time_zone]).toEqual(['', '', 'Asia/Jakarta']);
		expect(clockTime('07:05')).toBe('07:05');
		expect(clockTime('nonsense')).toBe('');
	});

	it('makes a channel switched by hand the person\'s choice, and following the role again takes the role\'s', () => {
		const [, followed] = alertForm(prefs()).rows;
		const chosen = chooseChannel(followed!, 'email', true);
		expect(chosen).toMatchObject({ chosen: true, channels: ['email', 'push'] });
		// Switching every channel off is a choice too: the bell only.
		const bellOnly = chooseChannel(chooseChannel(chosen, 'email', false), 'push', false);
		expect(bellOnly).toMatchObject({ chosen: true, channels: [] });
		expect(followRole(bellOnly)).toEqual(followed);
	});

	it('sends only the alerts chosen (the others follow the role), empty quiet hours as none, and the zone', () => {
		const form = alertForm(prefs());
		expect(alertInput(form)).toEqual({
			channels: { staff_ticket_assigned: ['email', 'whatsapp'] },
			quiet_start: '21:00',
			quiet_end: '06:30',
			time_zone: 'Asia/Makassar'
		});
		form.rows[0] = followRole(form.rows[0]!);
		form.rows[1] = chooseChannel(form.rows[1]!, 'push', false);
		form.quiet_start = ' ';
		form.quiet_end = '';
		expect(alertInput(form)).toEqual({ channels: { staff_sla_at_risk: [] }, quiet_start: null, quiet_end: null, time_zone: 'Asia/Makassar' });
	});

	it('wants both ends of the quiet hours or neither, and not the same time twice', () => {
		expect(quietProblems({ quiet_start: '', quiet_end: '' })).toBeNull();
		expect(quietProblems({ quiet_start: '21:00', quiet_end: '06:00' })).toBeNull();
		expect(quietProblems({ quiet_start: '21:00', quiet_end: '' })?.quiet_end?.()).toBe(id.alerts_error_quiet_both);
		expect(quietProblems({ quiet_start: '', quiet_end: '06:00' })?.quiet_start?.()).toBe(id.alerts_error_quiet_both);
		expect(quietProblems({ quiet_start: '06:00', quiet_end: '06:00' })?.quiet_end?.()).toBe(id.alerts_error_quiet_same);
	});

	it('puts the server\'s refusals at their fields in the person\'s words', () => {
		const problem = new ApiError('validation', 422, {
			type: '/problems/validation',
			title: 'Invalid',
			status: 422,
			errors: [
				{ field: 'quiet_end', code: 'required', detail: 'give both ends of the quiet hours, or neither' },
				{ field: 'time_zone', code: 'format', detail: 'a time zone such as Asia/Jakarta' },
				{ field: 'channels.staff_stock_low', code: 'unknown', detail: 'your role does not receive this alert' }
			]
		});
		const errors = formErrors(problem, ALERT_FIELDS, alertErrorText);
		expect(errors.fields).toEqual({
			quiet_end: id.alerts_error_quiet_both,
			time_zone: id.alerts_error_time_zone,
			'channels.staff_stock_low': id.alerts_error_event
		});
		expect(errors.panel).toBe(false);
		expect(alertErrorText({ field: 'quiet_start', code: 'format', detail: 'a time as HH:MM' })).toBe(id.wa_error_quiet_format);
		expect(alertErrorText({ field: 'quiet_end', code: 'range', detail: 'must not start and end at once' })).toBe(id.alerts_error_quiet_same);
		locale = 'en';
		expect(alertErrorText({ field: 'time_zone', code: 'format', detail: 'x' })).toBe(en.alerts_error_time_zone);
	});

	it('has a field for every staff alert, and values under those names', () => {
		for (const event of STAFF_EVENTS) expect(ALERT_FIELDS).toContain(alertField(event));
		const values = alertValues(alertForm(prefs()));
		expect(values['channels.staff_ticket_assigned']).toEqual(['email', 'whatsapp']);
		expect(values['channels.staff_sla_at_risk']).toBeNull();
		expect(values.quiet_start).toBe('21:00');
		expect(alertValues(null)).toEqual({});
	});

	it('offers the three Indonesian zones, and keeps another one saved', () => {
		expect(timeZoneOptions('Asia/Jakarta').map((o) => o.value)).toEqual(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura']);
		expect(timeZoneOptions('Asia/Jakarta')[0]!.label).toBe(id.alerts_zone_wib);
		expect(timeZoneOptions('Asia/Singapore').map((o) => o.value)).toContain('Asia/Singapore');
	});

	it('says why a channel does not reach the person: no address or number, the channel off, no device', () => {
		const none = { email: false, whatsapp: false, push: false };
		expect(unreachableText('email', none, { email: null })).toBe(id.alerts_hint_no_email);
		expect(unreachableText('email', none, { email: 'budi@isp.example' })).toBe(id.alerts_hint_email_off);
		expect(unreachableText('whatsapp', none, { phone: ' ' })).toBe(id.alerts_hint_no_phone);
		expect(unreachableText('whatsapp', none, { phone: '+6281234567890' })).toBe(id.alerts_hint_whatsapp_off);
		expect(unreachableText('push', none, {})).toBe(id.alerts_hint_no_device);
		expect(unreachableText('email', { ...none, email: true }, {})).toBeNull();
		expect(channelsInUse(alertForm(prefs()))).toEqual(['email', 'whatsapp', 'push']);
		expect(channelsInUse(null)).toEqual([]);
	});
});

describe('the admin\'s table of channels per alert and role', () => {
	const route = (event: NotificationRoute['event'], role: string, channels: NotificationRoute['channels'] = ['push']): NotificationRoute => ({
		event,
		role,
		channels,
		built_in: ['push'],
		customized: false
	});

	it('has a row per alert in the staff alerts\' order and a column per role reached, in the roles\' order', () => {
		const table = routeTable([
			route('staff_stock_low', 'warehouse'),
			route('staff_sla_breached', 'management', ['email']),
			route('staff_sla_breached', 'supervisor'),
			route('staff_ticket_assigned', 'technician')
		]);
		expect(table.roles).toEqual(['supervisor', 'technician', 'management', 'warehouse']);
		expect(table.rows.map((r) => r.event)).toEqual(['staff_ticket_assigned', 'staff_sla_breached', 'staff_stock_low']);
		expect(Object.keys(table.rows[1]!.routes).sort()).toEqual(['management', 'supervisor']);
		expect(table.rows[1]!.routes.management?.channels).toEqual(['email']);
		expect(routeKey(route('staff_stock_low', 'warehouse'))).toBe('staff_stock_low/warehouse');
		// Every role of staff (everyone but customers) can be a column.
		expect([...ALERT_ROLES].sort()).toEqual(ROLES.filter((r) => r !== 'customer').sort());
	});

	it('finds rows by the alert\'s name, what it is about, its code or a role, in any case and without accents', () => {
		const [row] = routeTable([route('staff_sla_breached', 'supervisor')]).rows;
		expect(routeRowMatches(row!, '')).toBe(true);
		expect(routeRowMatches(row!, 'sla')).toBe(true);
		expect(routeRowMatches(row!, 'TERLEWAT')).toBe(true);
		expect(routeRowMatches(row!, 'sla supervisor')).toBe(true);
		expect(routeRowMatches(row!, 'staff_sla_breached')).toBe(true);
		expect(routeRowMatches(row!, 'stok')).toBe(false);
		locale = 'en';
		expect(routeRowMatches(row!, 'missed')).toBe(true);
		expect(routeRowMatches(row!, 'mîssed')).toBe(true);
	});
});
