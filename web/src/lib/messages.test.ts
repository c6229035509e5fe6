import { readFileSync } from 'node:fs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { ApiError, type FieldError } from '$lib/api/problem';
import type { WhatsAppChannel } from '$lib/api/messages';
import { canOpenConsolePath, consoleMenu } from '$lib/session/access';
import { formErrors } from '$lib/forms';
import {
	canSendAgain,
	CHANNEL_FIELDS,
	channelErrorText,
	channelForm,
	channelInput,
	eventName,
	eventWhen,
	gatewayField,
	inFlight,
	insertAt,
	isClockTime,
	isMessageEvent,
	MESSAGE_EVENTS,
	MESSAGE_STATUSES,
	messageStatusName,
	moved,
	openTicketHref,
	parseGatewayField,
	showsError,
	statusBadge,
	templateErrorText,
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
		sender_name: 'FiberNusa'
	};

	it('names the fields of a gateway row as the server does, and reads them back', () => {
		expect(gatewayField(1, 'base_url')).toBe('gateways[1].base_url');
		expect(parseGatewayField('gateways[1].base_url')).toEqual({ index: 1, key: 'base_url' });
		expect(parseGatewayField('gateways[0].token')).toEqual({ index: 0, key: 'token' });
		expect(parseGatewayField('gateways[12].kind')).toEqual({ index: 12, key: 'kind' });
		expect(parseGatewayField('gateways[1].colour')).toBeNull();
		expect(parseGatewayField('gateways')).toBeNull();
		expect(parseGatewayField('daily_limit')).toBeNull();
		for (let i = 0; i < 3; i++) for (const key of ['kind', 'base_url', 'token']) expect(CHANNEL_FIELDS).toContain(`gateways[${i}].${key}`);
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
			sender_name: 'FiberNusa'
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
		const added: GatewayRow = { key: 99, kind: 'fonnte', base_url: '', token: '', from: null };
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

describe('who sees the messages', () => {
	const cs = ['profile.manage', 'tickets.read', 'tickets.create', 'messages.read'];
	const admin = [...cs, 'messages.manage'];

	it('offers the log and the inbox to those who read messages, the set-up and wording only to those who manage them', () => {
		expect(consoleMenu(cs).map((i) => i.section)).toContain('messages');
		expect(consoleMenu(['profile.manage', 'tickets.read']).map((i) => i.section)).not.toContain('messages');
		for (const path of ['/console/messages', '/console/messages/inbox']) expect(canOpenConsolePath(cs, path), path).toBe(true);
		for (const path of ['/console/messages/settings', '/console/messages/templates/']) {
			expect(canOpenConsolePath(cs, path), path).toBe(false);
			expect(canOpenConsolePath(admin, path), path).toBe(true);
		}
		expect(canOpenConsolePath(['profile.manage'], '/console/messages/inbox')).toBe(false);
	});
});
