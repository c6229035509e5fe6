/**
 * Links to staff accounts that reach their person: an invitation to choose
 * a password, an admin's reset, a forgotten password. The server sends a
 * link by e-mail when the person has an address and that channel is on,
 * else by WhatsApp when they have a number and that channel is on; these
 * helpers say the same in the admin's words before and after. Pure
 * functions, unit-tested.
 */
import { m } from '$lib/paraglide/messages';
import { localPhone } from '$lib/registration';

/** The channels a link can go by, as the server names them in `sent_by`. */
export type LinkChannel = 'email' | 'whatsapp';

/** Whether each channel is on; null where the admin may not read the channels' set-up. */
export interface ChannelsOn {
	email: boolean | null;
	whatsapp: boolean | null;
}

export interface Contact {
	email?: string | null | undefined;
	phone?: string | null | undefined;
}

const filled = (value: string | null | undefined): value is string => !!value && value.trim() !== '';

/**
 * How a link would reach the person, as the server chooses: `email` or
 * `whatsapp`; `unknown` when it depends on a channel whose state is not
 * known here; null when nothing reaches them (no contact, or every channel
 * they could be reached by is off).
 */
export function linkRoute(person: Contact, on: ChannelsOn): LinkChannel | 'unknown' | null {
	if (filled(person.email)) {
		if (on.email === true) return 'email';
		if (on.email === null) return 'unknown';
	}
	if (filled(person.phone)) {
		if (on.whatsapp === true) return 'whatsapp';
		if (on.whatsapp === null) return 'unknown';
	}
	return null;
}

/** Whether "send it to the person" is the better first choice: something may reach them. */
export function sendByDefault(person: Contact, on: ChannelsOn): boolean {
	return linkRoute(person, on) !== null;
}

/** "lewat e-mail ke rina@isp.id" / "lewat WhatsApp ke 0812 3456 789", or just the channel without the address. */
export function sentByText(channel: string | null | undefined, person: Contact): string {
	if (channel === 'email') {
		return filled(person.email) ? m.link_by_email_to({ address: person.email.trim() }) : m.link_by_email();
	}
	if (channel === 'whatsapp') {
		return filled(person.phone) ? m.link_by_whatsapp_to({ phone: localPhone(person.phone.trim()) }) : m.link_by_whatsapp();
	}
	return '';
}

/**
 * What "send the link" will do for this person, said before the admin
 * chooses it: by which channel to where, or why it cannot.
 */
export function routeHint(person: Contact, on: ChannelsOn): string {
	const route = linkRoute(person, on);
	if (route === 'email') return m.link_route_email({ address: (person.email ?? '').trim() });
	if (route === 'whatsapp') return m.link_route_whatsapp({ phone: localPhone((person.phone ?? '').trim()) });
	if (route === 'unknown') return m.link_route_unknown();
	if (!filled(person.email) && !filled(person.phone)) return m.link_route_no_contact();
	return m.link_route_channels_off();
}

/** The login typed on the sign-in page, handed to "forgot password" (and back): trimmed, at most 254 characters. */
export function handedLogin(value: unknown): string {
	return typeof value === 'string' ? value.trim().slice(0, 254) : '';
}
