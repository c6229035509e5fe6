/** Translated names for values the server sends as codes. */
import type { CustomerStatus } from '$lib/api/types';
import { m } from '$lib/paraglide/messages';

const ROLE_NAMES: Record<string, () => string> = {
	admin: () => m.role_admin(),
	supervisor: () => m.role_supervisor(),
	cs: () => m.role_cs(),
	technician: () => m.role_technician(),
	management: () => m.role_management(),
	customer: () => m.role_customer()
};

export function roleName(role: string): string {
	return ROLE_NAMES[role]?.() ?? role;
}

const PERMISSION_NAMES: Record<string, () => string> = {
	'profile.manage': () => m.perm_profile_manage(),
	'users.read': () => m.perm_users_read(),
	'users.manage': () => m.perm_users_manage(),
	'audit.read': () => m.perm_audit_read(),
	'teams.read': () => m.perm_teams_read(),
	'teams.manage': () => m.perm_teams_manage(),
	'api_tokens.manage': () => m.perm_api_tokens_manage()
};

export function permissionName(permission: string): string {
	return PERMISSION_NAMES[permission]?.() ?? permission;
}

/**
 * One name per status of the API's `CustomerStatus` enum: a status the
 * server adds is a type error here until it has a name.
 */
const CUSTOMER_STATUS_NAMES: Record<CustomerStatus, () => string> = {
	prospect: () => m.customer_status_prospect(),
	active: () => m.customer_status_active(),
	suspended: () => m.customer_status_suspended(),
	terminated: () => m.customer_status_terminated()
};
/** The statuses, in lifecycle order. */
export const CUSTOMER_STATUSES = Object.keys(CUSTOMER_STATUS_NAMES) as readonly CustomerStatus[];
export function customerStatusName(status: string): string {
	return CUSTOMER_STATUS_NAMES[status as CustomerStatus]?.() ?? status;
}

/** ODP and ODC states: `full` is derived from the ports and cannot be set. */
export const PLANT_STATUSES = ['active', 'full', 'maintenance'] as const;
const PLANT_STATUS_NAMES: Record<string, () => string> = {
	active: () => m.plant_status_active(),
	full: () => m.plant_status_full(),
	maintenance: () => m.plant_status_maintenance()
};
export function plantStatusName(status: string): string {
	return PLANT_STATUS_NAMES[status]?.() ?? status;
}
/** Map colours of ODP states (also in the legend). */
export const PLANT_STATUS_COLORS: Record<string, string> = {
	active: '#16a34a',
	full: '#c62828',
	maintenance: '#d97706'
};

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const PRIORITY_NAMES: Record<string, () => string> = {
	low: () => m.priority_low(),
	normal: () => m.priority_normal(),
	high: () => m.priority_high(),
	urgent: () => m.priority_urgent()
};
export function priorityName(priority: string): string {
	return PRIORITY_NAMES[priority]?.() ?? priority;
}

export const DOC_ITEMS = [
	'photo_before',
	'photo_after',
	'ont_serial',
	'optical_power_dbm',
	'equipment_used',
	'speed_test',
	'customer_signature'
] as const;
const DOC_NAMES: Record<string, () => string> = {
	photo_before: () => m.doc_photo_before(),
	photo_after: () => m.doc_photo_after(),
	ont_serial: () => m.doc_ont_serial(),
	optical_power_dbm: () => m.doc_optical_power_dbm(),
	equipment_used: () => m.doc_equipment_used(),
	speed_test: () => m.doc_speed_test(),
	customer_signature: () => m.doc_customer_signature()
};
export function docName(item: string): string {
	return DOC_NAMES[item]?.() ?? item;
}

const SOURCE_NAMES: Record<string, () => string> = {
	staff: () => m.source_staff(),
	portal: () => m.source_portal(),
	import: () => m.source_import(),
	coverage_check: () => m.source_coverage_check(),
	registration: () => m.source_registration()
};
export function sourceName(source: string): string {
	return SOURCE_NAMES[source]?.() ?? source;
}

export function windowName(window: string | null | undefined): string {
	if (window === '08:00-12:00') return m.reg_window_morning();
	if (window === '13:00-17:00') return m.reg_window_afternoon();
	return window ?? '—';
}
