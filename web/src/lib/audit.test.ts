import { describe, expect, it } from 'vitest';
import { auditActorHref, auditRecordHref, auditRecordName } from './audit';

const entry = (entity: string, after: unknown, before: unknown = null, entity_id: string | null = 'abc') => ({
	entity,
	entity_id,
	after,
	before
});

describe('audit entries for people', () => {
	it('names the record from its values: name with number or code, else number, code, e-mail or login', () => {
		expect(auditRecordName(entry('customer', { name: 'Budi Santoso', customer_number: 'PLG-000123' }))).toBe('Budi Santoso (PLG-000123)');
		expect(auditRecordName(entry('odp', { code: 'ODP-BDG-01', name: 'ODP-BDG-01' }))).toBe('ODP-BDG-01');
		expect(auditRecordName(entry('user', { name: 'Rina', email: 'rina@example.id' }))).toBe('Rina');
		expect(auditRecordName(entry('user', { email: 'rina@example.id' }))).toBe('rina@example.id');
		expect(auditRecordName(entry('session', { login: '081234' }))).toBe('081234');
		expect(auditRecordName(entry('api_token', { scopes: ['users.read'] }))).toBeNull();
		expect(auditRecordName(entry('session', null))).toBeNull();
	});

	it('prefers the state after the change, falls back to the one before, and names catalogue entries in the language shown', () => {
		expect(auditRecordName(entry('customer', { name: 'Budi Baru' }, { name: 'Budi Lama' }))).toBe('Budi Baru');
		expect(auditRecordName(entry('customer', { name: null, phone: null }, { name: 'Budi', customer_number: 'PLG-1' }))).toBe('Budi (PLG-1)');
		const category = entry('problem_category', { code: 'no_signal', name_id: 'Tidak ada sinyal', name_en: 'No signal' });
		expect(auditRecordName(category, 'id')).toBe('Tidak ada sinyal (no_signal)');
		expect(auditRecordName(category, 'en')).toBe('No signal (no_signal)');
	});

	it('links records that have a page, and actors to their account', () => {
		expect(auditRecordHref(entry('customer', null))).toBe('/console/customers/abc');
		expect(auditRecordHref(entry('user', null))).toBe('/console/users/abc');
		expect(auditRecordHref(entry('odp', null))).toBe('/console/network/odps/abc');
		expect(auditRecordHref(entry('area', null))).toBeNull();
		expect(auditRecordHref(entry('channel', null, null, 'email'))).toBe('/console/messages/email');
		expect(auditRecordHref(entry('channel', null, null, 'whatsapp'))).toBe('/console/messages/settings');
		expect(auditRecordHref(entry('notification_route', null, null, 'staff_sla_breached/supervisor'))).toBe('/console/messages/alerts');
		expect(auditRecordHref(entry('customer', null, null, null))).toBeNull();
		expect(auditActorHref({ actor_id: 'u1' })).toBe('/console/users/u1');
		expect(auditActorHref({ actor_id: null })).toBeNull();
	});
});
