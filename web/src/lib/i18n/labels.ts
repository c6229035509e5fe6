/** Translated names for values the server sends as codes. */
import type { CustomerStatus, OutageElement, OutageStatus, RemoteReason, SlaState, TicketKind, TicketSource, TicketStatus } from '$lib/api/types';
import { m } from '$lib/paraglide/messages';

const ROLE_NAMES: Record<string, () => string> = {
	admin: () => m.role_admin(),
	supervisor: () => m.role_supervisor(),
	cs: () => m.role_cs(),
	technician: () => m.role_technician(),
	management: () => m.role_management(),
	warehouse: () => m.role_warehouse(),
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

/** One name per ticket status of the API's enum, in lifecycle order. */
const TICKET_STATUS_NAMES: Record<TicketStatus, () => string> = {
	new: () => m.ticket_status_new(),
	assigned: () => m.ticket_status_assigned(),
	accepted: () => m.ticket_status_accepted(),
	en_route: () => m.ticket_status_en_route(),
	on_site: () => m.ticket_status_on_site(),
	pending: () => m.ticket_status_pending(),
	resolved: () => m.ticket_status_resolved(),
	closed: () => m.ticket_status_closed(),
	cancelled: () => m.ticket_status_cancelled(),
	reopened: () => m.ticket_status_reopened()
};
export const TICKET_STATUSES = Object.keys(TICKET_STATUS_NAMES) as readonly TicketStatus[];
export function ticketStatusName(status: string): string {
	return TICKET_STATUS_NAMES[status as TicketStatus]?.() ?? status;
}

/** The button that moves a ticket to a status ("Terima", "Berangkat", ...). */
const TICKET_MOVE_NAMES: Record<TicketStatus, () => string> = {
	new: () => m.ticket_move_new(),
	assigned: () => m.ticket_move_assigned(),
	accepted: () => m.ticket_move_accepted(),
	en_route: () => m.ticket_move_en_route(),
	on_site: () => m.ticket_move_on_site(),
	pending: () => m.ticket_move_pending(),
	resolved: () => m.ticket_move_resolved(),
	closed: () => m.ticket_move_closed(),
	cancelled: () => m.ticket_move_cancelled(),
	reopened: () => m.ticket_move_reopened()
};
export function ticketMoveName(to: string): string {
	return TICKET_MOVE_NAMES[to as TicketStatus]?.() ?? to;
}

const TICKET_KIND_NAMES: Record<TicketKind, () => string> = {
	installation: () => m.ticket_kind_installation(),
	repair: () => m.ticket_kind_repair(),
	upgrade: () => m.ticket_kind_upgrade(),
	relocation: () => m.ticket_kind_relocation(),
	dismantle: () => m.ticket_kind_dismantle()
};
export const TICKET_KINDS = Object.keys(TICKET_KIND_NAMES) as readonly TicketKind[];
export function ticketKindName(kind: string): string {
	return TICKET_KIND_NAMES[kind as TicketKind]?.() ?? kind;
}

const TICKET_SOURCE_NAMES: Record<TicketSource, () => string> = {
	phone: () => m.ticket_source_phone(),
	whatsapp: () => m.ticket_source_whatsapp(),
	portal: () => m.ticket_source_portal(),
	api: () => m.ticket_source_api(),
	system: () => m.ticket_source_system()
};
export const TICKET_SOURCES = Object.keys(TICKET_SOURCE_NAMES) as readonly TicketSource[];
/** What staff choose when they open a ticket (the portal, API and system open their own). */
export const STAFF_TICKET_SOURCES: readonly TicketSource[] = ['phone', 'whatsapp'];
export function ticketSourceName(source: string): string {
	return TICKET_SOURCE_NAMES[source as TicketSource]?.() ?? source;
}

const SLA_STATE_NAMES: Record<SlaState, () => string> = {
	on_track: () => m.sla_on_track(),
	at_risk: () => m.sla_at_risk(),
	breached: () => m.sla_breached()
};
export const SLA_STATES = Object.keys(SLA_STATE_NAMES) as readonly SlaState[];
export function slaStateName(state: string): string {
	return SLA_STATE_NAMES[state as SlaState]?.() ?? state;
}

/** The pause reasons the server knows (`pause_reasons` codes). */
const PAUSE_REASON_NAMES: Record<string, () => string> = {
	waiting_customer: () => m.pause_waiting_customer(),
	customer_absent: () => m.pause_customer_absent(),
	customer_reschedule: () => m.pause_customer_reschedule(),
	access_permit: () => m.pause_access_permit(),
	weather: () => m.pause_weather(),
	parts: () => m.pause_parts(),
	outage: () => m.pause_outage()
};
export const PAUSE_REASONS = Object.keys(PAUSE_REASON_NAMES);
export function pauseReasonName(code: string): string {
	return PAUSE_REASON_NAMES[code]?.() ?? code;
}

const REMOTE_REASON_NAMES: Record<RemoteReason, () => string> = {
	isolir: () => m.remote_isolir(),
	wifi_settings: () => m.remote_wifi_settings(),
	ont_restarted: () => m.remote_ont_restarted(),
	customer_side: () => m.remote_customer_side(),
	no_fault: () => m.remote_no_fault()
};
export const REMOTE_REASONS = Object.keys(REMOTE_REASON_NAMES) as readonly RemoteReason[];
export function remoteReasonName(code: string): string {
	return REMOTE_REASON_NAMES[code as RemoteReason]?.() ?? code;
}

/** One name per element an outage can sit on (the API's `OutageElement`), in the order the form offers them. */
const OUTAGE_ELEMENT_NAMES: Record<OutageElement, () => string> = {
	odp: () => m.outage_element_odp(),
	odc: () => m.outage_element_odc(),
	area: () => m.outage_element_area()
};
export const OUTAGE_ELEMENTS = Object.keys(OUTAGE_ELEMENT_NAMES) as readonly OutageElement[];
export function outageElementName(kind: string): string {
	return OUTAGE_ELEMENT_NAMES[kind as OutageElement]?.() ?? kind;
}

/** One name per outage status (the API's `OutageStatus`). */
const OUTAGE_STATUS_NAMES: Record<OutageStatus, () => string> = {
	open: () => m.outage_status_open(),
	resolved: () => m.outage_status_resolved()
};
export const OUTAGE_STATUSES = Object.keys(OUTAGE_STATUS_NAMES) as readonly OutageStatus[];
export function outageStatusName(status: string): string {
	return OUTAGE_STATUS_NAMES[status as OutageStatus]?.() ?? status;
}
