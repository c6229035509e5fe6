import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { PERMISSIONS } from '$lib/session/access';
import { AUDIT_ACTIONS, auditActionText } from './audit';
import en from './en.json';
import id from './id.json';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'id'));

const crates = fileURLToPath(new URL('../../../../crates', import.meta.url));

function rustFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) return name === 'target' ? [] : rustFiles(full);
		return name.endsWith('.rs') ? [full] : [];
	});
}

/** The kinds of record the server writes audit entries about (the part of an action before the dot). */
const ENTITIES = ['auth', 'session', 'user', 'team', 'api_token', 'package', 'service_type', 'problem_category', 'skill', 'area', 'odc', 'odp', 'customer', 'registration', 'channel', 'message_template', 'notification_route', 'message', 'inbound', 'dispatch', 'technician', 'inventory', 'job_settings'];

/** Permission names look like actions (`dispatch.read`) but are none. */
const NOT_ACTIONS: ReadonlySet<string> = new Set(PERMISSIONS);

/**
 * The names of the live events the server publishes (`feed::publish(db,
 * "technician.availability", ...)`): they look like actions too, but go to
 * the event stream (`/api/v1/events`), not to the audit log.
 */
function liveEventNames(files: readonly string[]): Set<string> {
	const names = new Set<string>();
	const publish = /feed::publish\(\s*[^,()]+,\s*"([a-z_]+\.[a-z_]+)"/g;
	for (const file of files) for (const match of readFileSync(file, 'utf8').matchAll(publish)) names.add(match[1]!);
	return names;
}

/**
 * Every action code the server's source writes: string literals of the form
 * `entity.verb` (limit scopes such as `scope: "registration.attempt"` and
 * live event names are not actions).
 */
function serverActions(): { actions: string[]; liveEvents: Set<string> } {
	const files = rustFiles(crates);
	const liveEvents = liveEventNames(files);
	const found = new Set<string>();
	const literal = new RegExp(`(scope:\\s*)?"((?:${ENTITIES.join('|')})\\.[a-z_]+)"`, 'g');
	for (const file of files) {
		for (const match of readFileSync(file, 'utf8').matchAll(literal)) {
			const name = match[2]!;
			// File names in tests ("odp.jpg") are not actions.
			if (!match[1] && !NOT_ACTIONS.has(name) && !liveEvents.has(name) && !/\.(jpe?g|png|webp|gif|heic|pdf|csv|txt)$/.test(name)) found.add(name);
		}
	}
	return { actions: [...found].sort(), liveEvents };
}

describe('audit actions in the user language', () => {
	it('has a phrase in both languages for every action the server writes', () => {
		const { actions, liveEvents } = serverActions();
		// The scan still finds the server's actions (a moved source tree would find none), and tells live events apart.
		expect(actions).toEqual(expect.arrayContaining(['auth.login', 'customer.update', 'user.create', 'session.end', 'technician.leave_decided', 'inventory.movement']));
		expect([...liveEvents]).toEqual(expect.arrayContaining(['technician.availability', 'ticket.moved']));
		expect(actions).not.toContain('technician.availability');
		const missing = actions.filter((a) => !AUDIT_ACTIONS.includes(a));
		expect(missing, 'actions without a phrase (add audit_action_* keys and a line in i18n/audit.ts)').toEqual([]);
		for (const action of actions) {
			for (const lang of ['id', 'en'] as const) {
				locale = lang;
				const phrase = auditActionText(action);
				expect(phrase, `${action} (${lang})`).toBeTruthy();
				expect(phrase).not.toContain(action);
			}
		}
		locale = 'id';
	});

	it('words known actions and leaves unknown codes to be shown as they are', () => {
		locale = 'id';
		expect(auditActionText('customer.update')).toBe(id.audit_action_customer_update);
		expect(auditActionText('import', 'odcs')).toBe(id.audit_action_import.replace('{kind}', id.transfer_kind_odcs));
		expect(auditActionText('ticket.reopen')).toBeNull();
		expect(auditActionText('ticket.crew_changed')).toBe(id.crew_audit_changed);
		locale = 'en';
		expect(auditActionText('auth.login')).toBe(en.audit_action_auth_login);
		expect(auditActionText('ticket.crew_changed')).toBe(en.crew_audit_changed);
		expect(auditActionText('import', 'mystery')).toBe(en.audit_action_import.replace('{kind}', 'mystery'));
		locale = 'id';
	});

	it('says which channel\'s set-up changed, and who asked for a forgotten-password link', () => {
		locale = 'id';
		expect(auditActionText('channel.update', 'channel', 'whatsapp')).toBe(id.audit_action_channel_update);
		expect(auditActionText('channel.update', 'channel', 'email')).toBe(id.audit_action_channel_update_email);
		expect(auditActionText('channel.update')).toBe(id.audit_action_channel_update_any);
		expect(auditActionText('channel.update', 'channel', 'pigeon')).toBe(id.audit_action_channel_update_any);
		expect(auditActionText('user.password_reset_requested', 'user')).toBe(id.audit_action_user_password_reset_requested);
		locale = 'en';
		expect(auditActionText('channel.update', 'channel', 'email')).toBe(en.audit_action_channel_update_email);
		locale = 'id';
	});

	it('says which staff alert\'s channels changed, and for which role', () => {
		locale = 'id';
		expect(auditActionText('notification_route.update', 'notification_route', 'staff_sla_breached/supervisor')).toBe(
			id.audit_action_notification_route_update_for.replace('{event}', id.wa_event_staff_sla_breached).replace('{role}', id.role_supervisor)
		);
		expect(auditActionText('notification_route.update', 'notification_route', null)).toBe(id.audit_action_notification_route_update);
		expect(auditActionText('notification_route.update', 'notification_route', 'nonsense')).toBe(id.audit_action_notification_route_update);
		locale = 'en';
		expect(auditActionText('notification_route.update', 'notification_route', 'staff_ticket_assigned/technician')).toBe(
			en.audit_action_notification_route_update_for.replace('{event}', en.wa_event_staff_ticket_assigned).replace('{role}', en.role_technician)
		);
		locale = 'id';
	});
});
