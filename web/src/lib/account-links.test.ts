import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { handedLogin, linkRoute, routeHint, sendByDefault, sentByText, type ChannelsOn } from './account-links';
import en from './i18n/en.json';
import id from './i18n/id.json';

type Locale = 'id' | 'en';
let locale: Locale = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

const both: ChannelsOn = { email: true, whatsapp: true };
const unknown: ChannelsOn = { email: null, whatsapp: null };
const rina = { email: 'rina@fibernusa.example', phone: '+6281234567890' };

describe('how a link reaches its person', () => {
	it('goes by e-mail first, else WhatsApp, as the server chooses', () => {
		expect(linkRoute(rina, both)).toBe('email');
		expect(linkRoute(rina, { email: false, whatsapp: true })).toBe('whatsapp');
		expect(linkRoute({ phone: rina.phone }, both)).toBe('whatsapp');
		expect(linkRoute({ email: rina.email }, { email: false, whatsapp: true })).toBeNull();
		expect(linkRoute({ email: ' ', phone: null }, both)).toBeNull();
		expect(linkRoute(rina, { email: false, whatsapp: false })).toBeNull();
	});

	it('cannot tell where a channel state is not known', () => {
		expect(linkRoute(rina, unknown)).toBe('unknown');
		expect(linkRoute({ phone: rina.phone }, { email: true, whatsapp: null })).toBe('unknown');
		expect(linkRoute({}, unknown)).toBeNull();
	});

	it('offers sending first whenever something may reach the person', () => {
		expect(sendByDefault(rina, both)).toBe(true);
		expect(sendByDefault(rina, unknown)).toBe(true);
		expect(sendByDefault({}, both)).toBe(false);
		expect(sendByDefault(rina, { email: false, whatsapp: false })).toBe(false);
	});

	it('says how it went and where, in both languages', () => {
		expect(sentByText('email', rina)).toBe('lewat e-mail ke rina@fibernusa.example');
		expect(sentByText('whatsapp', rina)).toBe('lewat WhatsApp ke 0812 3456 7890');
		expect(sentByText('email', {})).toBe(id.link_by_email);
		expect(sentByText(null, rina)).toBe('');
		locale = 'en';
		expect(sentByText('whatsapp', {})).toBe(en.link_by_whatsapp);
		expect(sentByText('email', rina)).toBe('by e-mail to rina@fibernusa.example');
	});

	it('says before sending what will happen, or why it cannot', () => {
		expect(routeHint(rina, both)).toBe('Dikirim lewat e-mail ke rina@fibernusa.example.');
		expect(routeHint(rina, { email: false, whatsapp: true })).toBe('Dikirim lewat WhatsApp ke 0812 3456 7890.');
		expect(routeHint(rina, unknown)).toBe(id.link_route_unknown);
		expect(routeHint({}, both)).toBe(id.link_route_no_contact);
		expect(routeHint(rina, { email: false, whatsapp: false })).toBe(id.link_route_channels_off);
	});
});

describe('the login handed between sign-in and "forgot password"', () => {
	it('is text, trimmed and bounded', () => {
		expect(handedLogin(' rina@fibernusa.example ')).toBe('rina@fibernusa.example');
		expect(handedLogin(undefined)).toBe('');
		expect(handedLogin(42)).toBe('');
		expect(handedLogin('x'.repeat(300))).toHaveLength(254);
	});
});
