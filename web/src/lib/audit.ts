/**
 * An audit entry for people: the record it is about, by name, and where that
 * record's page is. The action's wording is in `i18n/audit.ts`.
 */
import type { AuditEvent } from '$lib/api/types';

/** What an entry says about its record (the values before and after are free-form JSON). */
interface Snapshot {
	entity: string;
	entity_id?: string | null;
	before?: unknown;
	after?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * The record's name as its before/after values give it: a name (in the
 * user's language for catalogue entries), with its number or code when it has
 * both ("Budi Santoso (PLG-000123)"), else the number, code, e-mail address or
 * login. The state after the change is preferred (an erased customer's name
 * is only in the state before).
 */
export function auditRecordName(event: Snapshot, locale: 'id' | 'en' = 'id'): string | null {
	for (const state of [event.after, event.before]) {
		if (!isRecord(state)) continue;
		const name = (locale === 'en' ? text(state.name_en) : text(state.name_id)) ?? text(state.name) ?? text(state.name_id);
		const code = text(state.customer_number) ?? text(state.code) ?? text(state.number);
		if (name && code && name !== code) return `${name} (${code})`;
		const found = name ?? code ?? text(state.email) ?? text(state.login);
		if (found) return found;
	}
	return null;
}

/** Records that have a page of their own in the console. */
const RECORD_PAGES: Record<string, (id: string) => string> = {
	customer: (id) => `/console/customers/${id}`,
	user: (id) => `/console/users/${id}`,
	odp: (id) => `/console/network/odps/${id}`,
	ticket: (id) => `/console/tickets/${id}`,
	// A channel's set-up: its settings page.
	channel: (id) => (id === 'email' ? '/console/messages/email' : '/console/messages/settings'),
	// A staff alert's channels for a role: the table of them.
	notification_route: () => '/console/messages/alerts'
};

/** The console page of the record an entry is about, when it has one. */
export function auditRecordHref(event: Snapshot): string | null {
	const page = RECORD_PAGES[event.entity];
	return page && event.entity_id ? page(encodeURIComponent(event.entity_id)) : null;
}

/** The actor's page (every actor is an account). */
export function auditActorHref(event: Pick<AuditEvent, 'actor_id'>): string | null {
	return event.actor_id ? `/console/users/${encodeURIComponent(event.actor_id)}` : null;
}
