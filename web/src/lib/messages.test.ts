import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { ApiError, type FieldError } from '$lib/api/problem';
import type { WhatsAppChannel } from '$lib/api/messages';
import { canOpenConsolePath, consoleMenu } from '$lib/session/access';
import { formErrors } from '$lib/forms';
import {
	ACCOUNT_EVENTS,
	canSendAgain,
	CUSTOMER_EVENTS,
	EVENT_GROUPS,
	isStaffEvent,
	PUSH_TEST_EVENT,
	STAFF_EVENTS,
	CHANNEL_FIELDS,
	channelName,
	channelErrorText,
	channelForm,
	channelInput,
	channelValues,
	eventName,
	eventWhen,
	GATEWAY_DEFAULT_URLS,
	GATEWAY_KINDS,
	gatewayAfterCloud,
	gatewayField,
	gatewayName,
	gatewayOption,
	inFlight,
	insertAt,
	hiddenNote,
	isAccountEvent,
	isClockTime,
	looksLikeEmail,
	isMessageEvent,
	LOCAL_GATEWAY_KINDS,
	MAX_TEMPLATE_PARAMS,
	MESSAGE_EVENTS,
	MESSAGE_STATUSES,
	messageStatusName,
	moved,
	nextParam,
	openTicketHref,
	paramSlot,
	parseGatewayField,
	parseTemplateField,
	recipientText,
	sentParam,
	showsError,
	statusBadge,
	TEMPLATE_DEFAULT_LANGUAGE,
	templatedEvents,
	templateErrorText,
	templateField,
	templateRows,
	templatesInput,
	tokenState,
	variableName,
	variableTag,
	type GatewayRow
} from './messages';
import en from './i18n/en.json';
import id from './i18n/id.json';

type Locale = 'id' | 'en';
let locale: Locale = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

const openapi = JSON.parse(readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'));

describe('events and statuses in words', () => {
	it('names every event the server sends, in both languages, each differently', () => {
		const events: string[] = openapi.components.schemas.MessageEvent.enum;
		expect([...MESSAGE_EVENTS].sort()).toEqual([...events].sort());
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			const names = MESSAGE_EVENTS.map(eventName);
			for (const [i, name] of names.entries()) {
				expect(name, MESSAGE_EVENTS[i]).not.toBe(MESSAGE_EVENTS[i]);
				expect(eventWhen(MESSAGE_EVENTS[i]!), MESSAGE_EVENTS[i]).not.toBe('');
			}
			expect(new Set(names).size).toBe(names.length);
		}
		locale = 'id';
		expect(eventName('technician_assigned')).toBe(id.wa_event_technician_assigned);
		locale = 'en';
		expect(eventName('technician_assigned')).toBe(en.wa_event_technician_assigned);
		expect(eventName('something_new')).toBe('something_new');
	});

	it('tells the staff alerts from the customers\' events, and groups them in that order', () => {
		expect(STAFF_EVENTS).toContain('staff_ticket_assigned');
		expect(STAFF_EVENTS.every((e) => e.startsWith('staff_'))).toBe(true);
		expect(CUSTOMER_EVENTS).toContain('ticket_received');
		expect(CUSTOMER_EVENTS.some(isStaffEvent)).toBe(false);
		expect(CUSTOMER_EVENTS.some((e) => ACCOUNT_EVENTS.includes(e))).toBe(false);
		expect([...CUSTOMER_EVENTS, ...ACCOUNT_EVENTS, ...STAFF_EVENTS].sort()).toEqual([...MESSAGE_EVENTS].sort());
		expect(EVENT_GROUPS.map((g) => g.key)).toEqual(['customers', 'accounts', 'staff']);
		// In the order of the events, so a list of every event can head each group where it starts.
		expect(EVENT_GROUPS.flatMap((g) => g.events)).toEqual([...MESSAGE_EVENTS]);
		expect(EVENT_GROUPS.map((g) => g.name())).toEqual([id.msg_group_customers, id.msg_group_accounts, id.msg_group_staff]);
		expect(isStaffEvent('push_test')).toBe(false);
	});

	it('knows an event when it sees one', () => {
		expect(isMessageEvent('on_the_way')).toBe(true);
		expect(isMessageEvent('toString')).toBe(false);
		expect(isMessageEvent(null)).toBe(false);
	});

	it('gives each status a name and a badge: stopped ones red or amber, arrived ones green', () => {
		for (const status of MESSAGE_STATUSES) {
			expect(messageStatusName(status), status).not.toBe(status);
			expect(statusBadge(status)).toMatch(/^badge\b/);
		}
		expect(statusBadge('failed')).toBe('badge badge-off');
		expect(statusBadge('skipped')).toBe('badge badge-warn');
		expect(statusBadge('delivered')).toBe('badge badge-ok');
		expect(statusBadge('read')).toBe('badge badge-ok');
		expect(statusBadge('sent')).toBe('badge badge-brand');
		expect(statusBadge('queued')).toBe('badge');
		expect(statusBadge('whatever')).toBe('badge');
		locale = 'en';
		expect(messageStatusName('sent')).toBe('Sent');
		expect(messageStatusName('odd')).toBe('odd');
	});

	it('sends again only what stopped, and watches what is on its way', () => {
		expect(MESSAGE_STATUSES.filter(canSendAgain)).toEqual(['failed', 'skipped']);
		expect(MESSAGE_STATUSES.filter(inFlight)).toEqual(['queued', 'sending']);
	});

	it('shows the last error of a failed message, or of one waiting to be tried again', () => {
		expect(showsError({ status: 'failed', last_error: 'fonnte: refused' })).toBe(true);
		expect(showsError({ status: 'queued', last_error: 'fonnte: timeout' })).toBe(true);
		expect(showsError({ status: 'queued', last_error: '' })).toBe(false);
		expect(showsError({ status: 'sent', last_error: 'fonnte: timeout' })).toBe(false);
	});
});

describe('the channel form', () => {
	const channel: WhatsAppChannel = {
		enabled: true,
		gateways: [
			{ kind: 'fonnte', base_url: null, token_set: true },
			{ kind: 'wablas', base_url: 'https://jogja.wablas.com', token_set: true }
		],
		quiet_start: '21:00',
		quiet_end: '07:00',
		daily_limit: 10,
		sender_name: 'FiberNusa',
		templates: {}
	};

	it('names the fields of a gateway row as the server does, and reads them back', () => {
		expect(gatewayField(1, 'base_url')).toBe('gateways[1].base_url');
		expect(parseGatewayField('gateways[1].base_url')).toEqual({ index: 1, key: 'base_url' });
		expect(parseGatewayField('gateways[0].token')).toEqual({ index: 0, key: 'token' });
		expect(parseGatewayField('gateways[12].kind')).toEqual({ index: 12, key: 'kind' });
		expect(parseGatewayField('gateways[1].colour')).toBeNull();
		expect(parseGatewayField('gateways')).toBeNull();
		expect(parseGatewayField('daily_limit')).toBeNull();
		for (let i = 0; i < 3; i++)
			for (const key of ['kind', 'base_url', 'token', 'phone_number_id', 'app_secret']) expect(CHANNEL_FIELDS).toContain(`gateways[${i}].${key}`);
	});

	it('puts each server field error at its own input, gateway rows included', () => {
		const problem = {
			problem: {
				type: '/problems/validation',
				title: 'Invalid',
				status: 422,
				errors: [
					{ field: 'gateways[1].base_url', code: 'format', detail: 'an http(s) address such as https://jogja.wablas.com' },
					{ field: 'gateways[0].token', code: 'required', detail: "give the gateway's token" },
					{ field: 'daily_limit', code: 'range', detail: 'from 1 to 100 messages a day', params: { min: 1, max: 100 } },
					{ field: 'quiet_end', code: 'required', detail: 'give both ends of the quiet hours, or neither' }
				]
			}
		};
		const result = formErrors(new ApiError('validation', 422, problem.problem), CHANNEL_FIELDS, channelErrorText);
		expect(Object.keys(result.fields).sort()).toEqual(['daily_limit', 'gateways[0].token', 'gateways[1].base_url', 'quiet_end']);
		expect(result.fields['gateways[0].token']).toBe(id.wa_error_token_required);
		expect(result.fields['gateways[1].base_url']).toBe(id.wa_error_base_url);
		expect(result.fields['quiet_end']).toBe(id.wa_error_quiet_both);
		expect(result.fields['daily_limit']).toContain('100');
		expect(result.other).toEqual([]);
		expect(result.panel).toBe(false);
	});

	it('words the channel errors in English too', () => {
		locale = 'en';
		const text = (field: string, code: string): string => channelErrorText({ field, code, detail: 'x' });
		expect(text('gateways[2].token', 'required')).toBe(en.wa_error_token_required);
		expect(text('gateways[0].token', 'format')).toBe(en.wa_error_token_format);
		expect(text('gateways', 'required')).toBe(en.wa_error_gateways_required);
		expect(text('gateways', 'length')).toBe(en.wa_error_gateways_max.replace('{max}', '3'));
		expect(text('quiet_start', 'format')).toBe(en.wa_error_quiet_format);
		// Others: the shared sentences.
		expect(text('sender_name', 'required')).not.toBe('x');
	});

	it('starts from the saved channel, without tokens', () => {
		const form = channelForm(channel);
		expect(form.gateways.map((g) => [g.kind, g.base_url, g.token, g.from])).toEqual([
			['fonnte', '', '', 0],
			['wablas', 'https://jogja.wablas.com', '', 1]
		]);
		expect(form.quiet).toBe(true);
		expect(form.daily_limit).toBe('10');
		expect(new Set(form.gateways.map((g) => g.key)).size).toBe(2);
	});

	it('sends no token to keep the stored one, a typed one to change it, and no quiet hours as nulls', () => {
		const form = channelForm(channel);
		form.gateways[1]!.token = '  new-token ';
		form.gateways[1]!.base_url = ' ';
		form.quiet = false;
		form.daily_limit = ' 25 ';
		expect(channelInput(form)).toEqual({
			enabled: true,
			gateways: [
				{ kind: 'fonnte', base_url: null },
				{ kind: 'wablas', base_url: null, token: 'new-token' }
			],
			quiet_start: null,
			quiet_end: null,
			daily_limit: 25,
			sender_name: 'FiberNusa',
			templates: {}
		});
		form.quiet = true;
		form.daily_limit = 'many';
		const body = channelInput(form);
		expect([body.quiet_start, body.quiet_end]).toEqual(['21:00', '07:00']);
		expect(body.daily_limit).toBe(0);
	});

	it('tells whether a stored token stays: only at the same place with the same service', () => {
		const rows = channelForm(channel).gateways;
		expect(rows.map((row, i) => tokenState(row, i, channel.gateways))).toEqual(['kept', 'kept']);
		const swapped = moved(rows, 0, 1);
		expect(swapped.map((row, i) => tokenState(row, i, channel.gateways))).toEqual(['again', 'again']);
		const changed: GatewayRow = { ...rows[0]!, kind: 'wablas' };
		expect(tokenState(changed, 0, channel.gateways)).toBe('again');
		const added: GatewayRow = { key: 99, kind: 'fonnte', base_url: '', token: '', phone_number_id: '', app_secret: '', from: null };
		expect(tokenState(added, 2, channel.gateways)).toBe('none');
		const never = { ...channel, gateways: [{ kind: 'fonnte' as const, base_url: null, token_set: false }] };
		expect(tokenState(channelForm(never).gateways[0]!, 0, never.gateways)).toBe('none');
	});

	it('moves a row up and down, and nowhere past the ends', () => {
		expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
		expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
		expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
		expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
	});

	it('knows a clock time', () => {
		expect(isClockTime('21:00')).toBe(true);
		expect(isClockTime('07:30')).toBe(true);
		expect(isClockTime('24:00')).toBe(false);
		expect(isClockTime('7:00')).toBe(false);
	});
});

describe('the template editor', () => {
	it('inserts a variable at the caret or over the selection', () => {
		expect(insertAt('Halo , ya', 5, 5, '{{ name }}')).toEqual({ text: 'Halo {{ name }}, ya', caret: 15 });
		expect(insertAt('Halo XXX', 5, 8, '{{ name }}')).toEqual({ text: 'Halo {{ name }}', caret: 15 });
		expect(insertAt('ab', 9, 9, 'c')).toEqual({ text: 'abc', caret: 3 });
		expect(insertAt('abc', 2, 1, '-')).toEqual({ text: 'a-c', caret: 2 });
	});

	it('writes and explains variables', () => {
		expect(variableTag('technician')).toBe('{{ technician }}');
		expect(variableName('technician')).toBe(id.wa_var_technician);
		expect(variableName('mystery')).toBe('mystery');
		// On the way, the link is the customer's page to follow the technician.
		expect(variableName('link', 'on_the_way')).toBe(id.wa_var_tracking_link);
		expect(variableName('link', 'password_reset')).toBe(id.wa_var_link);
	});

	it('explains every variable a staff alert offers, as it means for that alert', () => {
		// The server's list of staff alerts, with each one's variables (crates/domain/src/alerts.rs).
		const source = readFileSync(new URL('../../../crates/domain/src/alerts.rs', import.meta.url), 'utf8');
		const alerts = [...source.matchAll(/event: MessageEvent::(\w+),\s*kind: "(\w+)",\s*variables: &\[([^\]]*)\]/g)].map((match) => ({
			event: `staff_${match[2]}`,
			variables: [...match[3]!.matchAll(/"(\w+)"/g)].map((v) => v[1]!)
		}));
		expect(alerts.map((a) => a.event).sort()).toEqual([...STAFF_EVENTS].sort());
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			for (const { event, variables } of alerts)
				for (const variable of variables) expect(variableName(variable, event), `${event}: ${variable} (${lang})`).not.toBe(variable);
		}
		locale = 'id';
		// A staff alert's `name` is the member of staff it goes to; an outage alert's `number` is the outage's.
		expect(variableName('name', 'staff_ticket_assigned')).toBe(id.wa_var_recipient);
		expect(variableName('name', 'resolved')).toBe(id.wa_var_name);
		expect(variableName('number', 'staff_outage_declared')).toBe(id.wa_var_outage_number);
		expect(variableName('number', 'staff_ticket_assigned')).toBe(id.wa_var_number);
		expect(variableName('kind', 'staff_leave_requested')).toBe(id.wa_var_leave_kind);
		expect(variableName('kind', 'staff_ticket_created')).toBe(id.wa_var_kind);
		expect(variableName('status', 'staff_leave_decided')).toBe(id.wa_var_decision);
		// Links and codes: what they carry, and how long they last.
		expect(variableName('link', 'invitation')).toBe(id.wa_var_link);
		expect(variableName('hours', 'password_reset')).toBe(id.wa_var_hours);
		expect(variableName('code', 'sign_in_code')).toBe(id.wa_var_code);
		expect(variableName('minutes', 'sign_in_code')).toBe(id.wa_var_code_minutes);
		expect(variableName('minutes', 'staff_assignment_timed_out')).toBe(id.wa_var_minutes);
	});

	it('explains an unknown variable in the user language, naming it and the allowed ones', () => {
		const error: FieldError = {
			field: 'body',
			code: 'unknown_variable',
			detail: 'the template uses teknisi, which this event does not offer',
			params: { variable: 'teknisi', allowed: ['name', 'technician'] }
		};
		expect(templateErrorText(error)).toBe('{{ teknisi }} tidak tersedia untuk pesan ini. Yang bisa dipakai: {{ name }}, {{ technician }}.');
		locale = 'en';
		expect(templateErrorText(error)).toBe('{{ teknisi }} is not available in this message. You can use: {{ name }}, {{ technician }}.');
		// An older server without params: the variable from the English detail.
		expect(templateErrorText({ field: 'body', code: 'unknown_variable', detail: error.detail })).toBe(
			en.wa_tpl_unknown_variable_plain.replace('{variable}', '{{ teknisi }}')
		);
	});

	it('explains the other template errors', () => {
		expect(templateErrorText({ field: 'body', code: 'syntax', detail: 'x' })).toBe(id.wa_tpl_syntax);
		expect(templateErrorText({ field: 'body', code: 'required', detail: 'x' })).toBe(id.wa_tpl_required);
		// A link's or a code's wording that lost its link or code.
		expect(templateErrorText({ field: 'body', code: 'required', detail: 'the template must use {{ link }}', params: { variable: 'link', allowed: ['name', 'link'] } })).toBe(
			id.wa_tpl_missing_variable.replace('{variable}', '{{ link }}')
		);
		expect(templateErrorText({ field: 'body', code: 'length', detail: 'x' })).toBe(id.wa_tpl_too_long.replace('{max}', '1000'));
	});
});

describe('the inbox', () => {
	it('opens a ticket for a known customer by id, for an unknown number by searching it', () => {
		expect(openTicketHref({ id: 'm1', customer_id: 'c1', sender: '+6281234567890' })).toBe(
			'/console/tickets/new?source=whatsapp&inbound=m1&customer_id=c1'
		);
		expect(openTicketHref({ id: 'm2', customer_id: null, sender: '+6281234567890' })).toBe(
			'/console/tickets/new?source=whatsapp&inbound=m2&q=081234567890'
		);
	});
});

describe('links to accounts and e-mails in the log', () => {
	it('names the account events the server describes, in both languages, apart from the customer events', () => {
		const described: string = openapi.components.schemas.Message.properties.event.description;
		const named = [...described.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!);
		// Besides the account messages, the log names the test notification one sends one's devices.
		expect([...ACCOUNT_EVENTS, PUSH_TEST_EVENT].sort()).toEqual([...named].sort());
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			const names = [...MESSAGE_EVENTS, PUSH_TEST_EVENT].map(eventName);
			for (const event of [...ACCOUNT_EVENTS, PUSH_TEST_EVENT]) expect(eventName(event), event).not.toBe(event);
			expect(new Set(names).size).toBe(names.length);
		}
		expect(eventName(PUSH_TEST_EVENT)).toBe(en.msg_event_push_test);
		expect(isAccountEvent(PUSH_TEST_EVENT)).toBe(false);
		expect(isMessageEvent(PUSH_TEST_EVENT)).toBe(false);
		locale = 'id';
		expect(eventName('password_forgotten')).toBe(id.msg_event_password_forgotten);
		expect(eventName('invitation')).toBe(id.msg_event_invitation);
		expect(eventName('something_new')).toBe('something_new');
		expect(isAccountEvent('password_reset')).toBe(true);
		expect(isAccountEvent('ticket_received')).toBe(false);
		// The customer's sign-in code is named, and is no link.
		expect(eventName('sign_in_code')).toBe(id.msg_event_sign_in_code);
		expect(isAccountEvent('sign_in_code')).toBe(false);
		// Their wording is the admin's to edit like every event's.
		expect(isMessageEvent('sign_in_code')).toBe(true);
		locale = 'en';
		expect(eventName('sign_in_code')).toBe(en.msg_event_sign_in_code);
		locale = 'id';
		expect(isMessageEvent('invitation')).toBe(true);
	});

	it('says what the log hides: a link\'s token, or a sign-in code\'s digits', () => {
		locale = 'id';
		expect(hiddenNote('invitation')).toBe(id.msg_token_hidden);
		expect(hiddenNote('sign_in_code')).toBe(id.msg_code_hidden);
		expect(hiddenNote('ticket_received')).toBeNull();
		locale = 'en';
		expect(hiddenNote('sign_in_code')).toBe(en.msg_code_hidden);
		locale = 'id';
	});

	it('names the channel, shows an address as it is and a number the local way', () => {
		expect(channelName('email')).toBe(id.msg_channel_email);
		expect(channelName('whatsapp')).toBe('WhatsApp');
		expect(recipientText({ channel: 'email', recipient: 'rina@fibernusa.example' })).toBe('rina@fibernusa.example');
		expect(recipientText({ channel: 'whatsapp', recipient: '+6281234567890' })).toBe('0812 3456 7890');
		expect(gatewayName('smtp')).toBe('SMTP');
		// Staff alerts by Web Push: the device's id is the recipient.
		expect(channelName('push')).toBe(id.msg_channel_push);
		expect(recipientText({ channel: 'push', recipient: '0190b2c4-1d2e-7f00-8a9b-0123456789ab' })).toBe(id.msg_push_device.replace('{device}', '0190b2c4'));
		expect(gatewayName('webpush')).toBe('Web Push');
	});

	it('knows the log cannot be searched by e-mail address', () => {
		expect(looksLikeEmail('rina@fibernusa')).toBe(true);
		expect(looksLikeEmail('0812')).toBe(false);
		expect(looksLikeEmail('TKT-2026')).toBe(false);
	});
});

describe('who sees the messages', () => {
	const cs = ['profile.manage', 'tickets.read', 'tickets.create', 'messages.read'];
	const admin = [...cs, 'messages.manage'];

	it('offers the log and the inbox to those who read messages, the set-up and wording only to those who manage them', () => {
		expect(consoleMenu(cs).map((i) => i.section)).toContain('messages');
		expect(consoleMenu(['profile.manage', 'tickets.read']).map((i) => i.section)).not.toContain('messages');
		for (const path of ['/console/messages', '/console/messages/inbox']) expect(canOpenConsolePath(cs, path), path).toBe(true);
		for (const path of ['/console/messages/settings', '/console/messages/templates/', '/console/messages/alerts', '/console/messages/email']) {
			expect(canOpenConsolePath(cs, path), path).toBe(false);
			expect(canOpenConsolePath(admin, path), path).toBe(true);
		}
		expect(canOpenConsolePath(['profile.manage'], '/console/messages/inbox')).toBe(false);
	});
});

describe('the WhatsApp Cloud API', () => {
	const channel: WhatsAppChannel = {
		enabled: true,
		gateways: [
			{ kind: 'cloud', base_url: null, token_set: true, phone_number_id: '106540352242922' },
			{ kind: 'fonnte', base_url: null, token_set: true, phone_number_id: null }
		],
		quiet_start: null,
		quiet_end: null,
		daily_limit: 10,
		sender_name: 'FiberNusa',
		templates: {
			ticket_received: { name: 'tiket_diterima', language: 'id', params: ['name', 'number'] },
			resolved: { name: 'tiket_selesai', language: 'en_US' },
			// An event this console does not know: kept as it came.
			invoice_due: { name: 'tagihan', language: 'id', params: ['amount'] }
		}
	};

	it('is offered as a gateway of its own, with Meta’s address, and its webhook apart from the local ones', () => {
		expect([...GATEWAY_KINDS].sort()).toEqual([...openapi.components.schemas.GatewayKind.enum].sort());
		expect(gatewayName('cloud')).toBe('WhatsApp Cloud API');
		expect(gatewayOption('cloud')).toBe(id.wa_gateway_cloud_option);
		expect(gatewayOption('fonnte')).toBe('Fonnte');
		locale = 'en';
		expect(gatewayOption('cloud')).toBe(en.wa_gateway_cloud_option);
		expect(GATEWAY_DEFAULT_URLS.cloud).toBe('https://graph.facebook.com/v21.0');
		expect(LOCAL_GATEWAY_KINDS).toEqual(['fonnte', 'wablas']);
		expect(Object.keys(openapi.components.schemas.Webhooks.properties).sort()).toEqual(['cloud', 'cloud_verify_token', 'fonnte', 'wablas']);
	});

	it('names template fields as the server does, and reads them back', () => {
		expect(templateField('ticket_received')).toBe('templates.ticket_received');
		expect(templateField('ticket_received', 'name')).toBe('templates.ticket_received.name');
		expect(templateField('arrived', 'params')).toBe('templates.arrived.params');
		expect(templateField('arrived', 'params', 2)).toBe('templates.arrived.params[2]');
		expect(parseTemplateField('templates.arrived.params[2]')).toEqual({ event: 'arrived', key: 'params', index: 2 });
		expect(parseTemplateField('templates.arrived.language')).toEqual({ event: 'arrived', key: 'language' });
		expect(parseTemplateField('templates.invoice_due')).toEqual({ event: 'invoice_due' });
		expect(parseTemplateField('templates.arrived.name[1]')).toBeNull();
		expect(parseTemplateField('templates')).toBeNull();
		expect(parseTemplateField('gateways[0].token')).toBeNull();
		for (const event of MESSAGE_EVENTS)
			for (const field of [templateField(event), templateField(event, 'name'), templateField(event, 'language'), templateField(event, 'params', MAX_TEMPLATE_PARAMS - 1)])
				expect(CHANNEL_FIELDS).toContain(field);
		// The templates come last, as on the page.
		expect(CHANNEL_FIELDS.indexOf('templates')).toBeGreaterThan(CHANNEL_FIELDS.indexOf('sender_name'));
	});

	it('starts from the saved channel: the phone number ID shown, no secrets, every event with its template or none', () => {
		const form = channelForm(channel);
		expect(form.gateways.map((g) => [g.kind, g.phone_number_id, g.token, g.app_secret])).toEqual([
			['cloud', '106540352242922', '', ''],
			['fonnte', '', '', '']
		]);
		expect(Object.keys(form.templates)).toEqual([...MESSAGE_EVENTS]);
		const received = form.templates.ticket_received;
		expect([received.on, received.name, received.language, received.params.map((p) => p.variable)]).toEqual([true, 'tiket_diterima', 'id', ['name', 'number']]);
		expect(new Set(received.params.map((p) => p.key)).size).toBe(2);
		expect(form.templates.resolved.params).toEqual([]);
		expect(form.templates.arrived).toEqual({ on: false, name: '', language: TEMPLATE_DEFAULT_LANGUAGE, params: [] });
		expect(templatedEvents(form.templates)).toEqual(['ticket_received', 'resolved']);
		expect(form.other_templates).toEqual({ invoice_due: { name: 'tagihan', language: 'id', params: ['amount'] } });
		expect(templateRows(undefined).other).toEqual({});
	});

	it('sends the Cloud API’s own fields only for it, its app secret only when typed, and the whole mapping', () => {
		const form = channelForm(channel);
		form.gateways[0]!.phone_number_id = ' 106540352242922 ';
		form.gateways[1]!.phone_number_id = 'typed while it was a Cloud API row';
		const body = channelInput(form);
		expect(body.gateways).toEqual([
			{ kind: 'cloud', base_url: null, phone_number_id: '106540352242922' },
			{ kind: 'fonnte', base_url: null }
		]);
		expect(body.templates).toEqual({
			invoice_due: { name: 'tagihan', language: 'id', params: ['amount'] },
			ticket_received: { name: 'tiket_diterima', language: 'id', params: ['name', 'number'] },
			resolved: { name: 'tiket_selesai', language: 'en_US', params: [] }
		});

		form.gateways[0]!.token = ' EAAG-new ';
		form.gateways[0]!.app_secret = ' 0123abcd ';
		form.gateways[0]!.phone_number_id = '';
		// A template switched off is not sent, though what was typed in it stays on screen.
		form.templates.resolved.on = false;
		// A new one: trimmed, its parameters in the order on screen (duplicates too: the server's params[i] is row i).
		const arrived = form.templates.arrived;
		arrived.on = true;
		arrived.name = ' teknisi_tiba ';
		arrived.language = ' en_US';
		arrived.params = [
			{ key: 1, variable: 'number' },
			{ key: 2, variable: 'name' },
			{ key: 3, variable: 'number' }
		];
		const again = channelInput(form);
		expect(again.gateways[0]).toEqual({ kind: 'cloud', base_url: null, token: 'EAAG-new', phone_number_id: null, app_secret: '0123abcd' });
		expect(Object.keys(again.templates ?? {}).sort()).toEqual(['arrived', 'invoice_due', 'ticket_received']);
		expect(again.templates?.arrived).toEqual({ name: 'teknisi_tiba', language: 'en_US', params: ['number', 'name', 'number'] });
		expect(form.templates.resolved.name).toBe('tiket_selesai');

		// No template at all: an empty mapping (the stored one is replaced by it).
		for (const event of MESSAGE_EVENTS) form.templates[event].on = false;
		expect(templatesInput(form.templates)).toEqual({});
	});

	it('puts each nested field error at its own input: gateway rows, template names, languages and each parameter', () => {
		const body = { templates: { ticket_received: { name: 'Tiket Diterima', language: 'id', params: ['name', 'technician'] } } };
		const problem = {
			type: '/problems/validation',
			title: 'Invalid',
			status: 422,
			errors: [
				{ field: 'gateways[0].phone_number_id', code: 'format', detail: 'the phone number ID Meta shows: digits' },
				{ field: 'gateways[0].app_secret', code: 'required', detail: 'give the app secret (it signs the Cloud API’s webhooks)' },
				{ field: 'gateways', code: 'duplicate', detail: 'at most one Cloud API gateway' },
				{ field: 'templates.ticket_received.name', code: 'format', detail: 'the template’s name at Meta: lower-case letters, digits and _' },
				{ field: 'templates.ticket_received.language', code: 'format', detail: 'a language code as Meta writes it, such as id or en_US' },
				{
					field: 'templates.ticket_received.params[1]',
					code: 'unknown',
					detail: 'ticket_received has no variable "technician"',
					params: { allowed: ['name', 'customer_number', 'number', 'isp'] }
				},
				{ field: 'templates.arrived.params', code: 'length', detail: 'at most 10 parameters' },
				{ field: 'templates.invoice_due', code: 'unknown', detail: 'no such event' }
			]
		};
		const text = (e: FieldError) => channelErrorText(e, sentParam(body, e.field));
		const result = formErrors(new ApiError('validation', 422, problem), CHANNEL_FIELDS, text);
		expect(result.fields).toEqual({
			'gateways[0].phone_number_id': id.wa_error_phone_number_id_format,
			'gateways[0].app_secret': id.wa_error_app_secret_required,
			gateways: id.wa_error_cloud_duplicate,
			'templates.ticket_received.name': id.wa_cloud_error_name,
			'templates.ticket_received.language': id.wa_cloud_error_language,
			'templates.ticket_received.params[1]': id.wa_cloud_error_param
				.replace('{variable}', `${id.wa_var_technician} (technician)`)
				.replace('{allowed}', [id.wa_var_name, id.wa_var_customer_number, id.wa_var_number, id.wa_var_isp].join(', ')),
			'templates.arrived.params': id.wa_cloud_error_params_max.replace('{max}', '10'),
			// An event this console does not know: at the section.
			templates: id.wa_cloud_error_event
		});
		expect(result.other).toEqual([]);
		expect(result.panel).toBe(false);
	});

	it('names a refused parameter from the server’s words when the form cannot, and words it all in English too', () => {
		const refused: FieldError = { field: 'templates.arrived.params[0]', code: 'unknown', detail: 'arrived has no variable "date"', params: { allowed: ['name', 'number'] } };
		expect(channelErrorText(refused)).toBe(id.wa_cloud_error_param.replace('{variable}', `${id.wa_var_date} (date)`).replace('{allowed}', `${id.wa_var_name}, ${id.wa_var_number}`));
		expect(channelErrorText({ ...refused, detail: 'no' })).toBe(id.wa_cloud_error_param_plain.replace('{allowed}', `${id.wa_var_name}, ${id.wa_var_number}`));
		expect(channelErrorText({ ...refused, detail: 'no', params: {} })).toBe(id.wa_cloud_error_param_none);
		locale = 'en';
		const text = (field: string, code: string): string => channelErrorText({ field, code, detail: 'x' });
		expect(text('gateways[1].phone_number_id', 'required')).toBe(en.wa_error_phone_number_id_required);
		expect(text('gateways[1].app_secret', 'format')).toBe(en.wa_error_app_secret_format);
		expect(text('gateways', 'duplicate')).toBe(en.wa_error_cloud_duplicate);
		expect(text('templates.resolved.name', 'format')).toBe(en.wa_cloud_error_name);
		expect(text('templates.resolved.language', 'format')).toBe(en.wa_cloud_error_language);
		expect(channelErrorText(refused, 'technician')).toBe(
			en.wa_cloud_error_param.replace('{variable}', `${en.wa_var_technician} (technician)`).replace('{allowed}', `${en.wa_var_name}, ${en.wa_var_number}`)
		);
	});

	it('finds what a refused parameter was in the body sent', () => {
		const body = { templates: { arrived: { name: 'x', language: 'id', params: ['name', 'date'] } } };
		expect(sentParam(body, 'templates.arrived.params[1]')).toBe('date');
		expect(sentParam(body, 'templates.arrived.params[5]')).toBeNull();
		expect(sentParam(body, 'templates.arrived.name')).toBeNull();
		expect(sentParam(body, 'templates.resolved.params[0]')).toBeNull();
		expect(sentParam(null, 'templates.arrived.params[0]')).toBeNull();
		expect(sentParam({ templates: null }, 'templates.arrived.params[0]')).toBeNull();
	});

	it('takes a message away from exactly the fields edited: a parameter, a moved one, a template switched off', () => {
		const form = channelForm(channel);
		const before = channelValues(form);
		expect(before['templates.ticket_received.params[1]']).toBe('number');
		expect(before['templates.ticket_received.params[2]']).toBeNull();
		expect(before['gateways[0].phone_number_id']).toBe('106540352242922');
		expect(before['gateways[1].phone_number_id']).toBeNull();
		const changed = (a: Record<string, unknown>, b: Record<string, unknown>) =>
			CHANNEL_FIELDS.filter((f) => JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null));

		form.templates.ticket_received.params[1]!.variable = 'isp';
		expect(changed(before, channelValues(form))).toEqual(['templates.ticket_received.params', 'templates.ticket_received.params[1]']);

		const second = channelValues(form);
		form.templates.ticket_received.params = moved(form.templates.ticket_received.params, 0, 1);
		expect(changed(second, channelValues(form))).toEqual([
			'templates.ticket_received.params',
			'templates.ticket_received.params[0]',
			'templates.ticket_received.params[1]'
		]);

		const third = channelValues(form);
		form.templates.ticket_received.on = false;
		expect(changed(third, channelValues(form))).toEqual([
			'templates',
			'templates.ticket_received',
			'templates.ticket_received.name',
			'templates.ticket_received.language',
			'templates.ticket_received.params',
			'templates.ticket_received.params[0]',
			'templates.ticket_received.params[1]'
		]);
		expect(channelValues(null)).toEqual({});
	});

	it('picks a new parameter not used yet, writes Meta’s slots, and knows who sends as text what has no template', () => {
		const params = [{ key: 1, variable: 'name' }];
		expect(nextParam(['name', 'number', 'isp'], params)).toBe('number');
		expect(nextParam(['name'], params)).toBe('name');
		expect(nextParam([], params)).toBeNull();
		expect(paramSlot(1)).toBe('{{1}}');
		expect(paramSlot(10)).toBe('{{10}}');
		expect(gatewayAfterCloud([{ kind: 'cloud' }, { kind: 'fonnte' }])).toBe('fonnte');
		expect(gatewayAfterCloud([{ kind: 'wablas' }, { kind: 'cloud' }, { kind: 'fonnte' }])).toBe('fonnte');
		// Last: nothing takes over, the message waits.
		expect(gatewayAfterCloud([{ kind: 'fonnte' }, { kind: 'cloud' }])).toBeNull();
		expect(gatewayAfterCloud([{ kind: 'fonnte' }])).toBeNull();
	});

	it('keeps a Cloud API row’s stored secrets at the same place only', () => {
		const rows = channelForm(channel).gateways;
		expect(rows.map((row, i) => tokenState(row, i, channel.gateways))).toEqual(['kept', 'kept']);
		expect(moved(rows, 0, 1).map((row, i) => tokenState(row, i, channel.gateways))).toEqual(['again', 'again']);
		expect(tokenState({ ...rows[1]!, kind: 'cloud' }, 1, channel.gateways)).toBe('again');
	});
});
