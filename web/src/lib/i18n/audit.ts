/**
 * Audit actions (`customer.update`, `auth.login`, ...) as phrases in the
 * user's language. A code this app does not know yet has no phrase: the page
 * shows the code itself.
 */
import { m } from '$lib/paraglide/messages';
import { eventName } from '$lib/messages';
import { roleName } from './labels';

const PHRASES: Record<string, () => string> = {
	'auth.login': () => m.audit_action_auth_login(),
	'auth.login_failed': () => m.audit_action_auth_login_failed(),
	'auth.login_throttled': () => m.audit_action_auth_login_throttled(),
	'auth.logout': () => m.audit_action_auth_logout(),
	'auth.code_sent': () => m.audit_action_auth_code_sent(),
	'session.end': () => m.audit_action_session_end(),
	'session.end_others': () => m.audit_action_session_end_others(),
	'user.create': () => m.audit_action_user_create(),
	'user.update': () => m.audit_action_user_update(),
	'user.update_profile': () => m.audit_action_user_update_profile(),
	'user.deactivate': () => m.audit_action_user_deactivate(),
	'user.force_password_reset': () => m.audit_action_user_force_password_reset(),
	'user.password_reset_requested': () => m.audit_action_user_password_reset_requested(),
	'user.reset_password': () => m.audit_action_user_reset_password(),
	'user.change_password': () => m.audit_action_user_change_password(),
	'user.end_sessions': () => m.audit_action_user_end_sessions(),
	'user.totp_enable': () => m.audit_action_user_totp_enable(),
	'user.totp_disable': () => m.audit_action_user_totp_disable(),
	'team.create': () => m.audit_action_team_create(),
	'team.update': () => m.audit_action_team_update(),
	'api_token.create': () => m.audit_action_api_token_create(),
	'api_token.revoke': () => m.audit_action_api_token_revoke(),
	'package.create': () => m.audit_action_package_create(),
	'package.update': () => m.audit_action_package_update(),
	'service_type.update': () => m.audit_action_service_type_update(),
	'problem_category.create': () => m.audit_action_problem_category_create(),
	'problem_category.update': () => m.audit_action_problem_category_update(),
	'skill.create': () => m.audit_action_skill_create(),
	'skill.update': () => m.audit_action_skill_update(),
	'area.create': () => m.audit_action_area_create(),
	'area.update': () => m.audit_action_area_update(),
	'odc.create': () => m.audit_action_odc_create(),
	'odc.update': () => m.audit_action_odc_update(),
	'odp.create': () => m.audit_action_odp_create(),
	'odp.update': () => m.audit_action_odp_update(),
	'customer.create': () => m.audit_action_customer_create(),
	'customer.update': () => m.audit_action_customer_update(),
	'customer.portal_invite': () => m.audit_action_customer_portal_invite(),
	'customer.personal_data_export': () => m.audit_action_customer_personal_data_export(),
	'customer.erase': () => m.audit_action_customer_erase(),
	'registration.create': () => m.audit_action_registration_create(),
	'ticket.create': () => m.audit_action_ticket_create(),
	'ticket.update': () => m.audit_action_ticket_update(),
	'ticket.transition': () => m.audit_action_ticket_transition(),
	'ticket.attach': () => m.audit_action_ticket_attach(),
	'area.calendar': () => m.audit_action_area_calendar(),
	'pause_reason.update': () => m.audit_action_pause_reason_update(),
	'sla_policy.put': () => m.audit_action_sla_policy_put(),
	'sla_policy.delete': () => m.audit_action_sla_policy_delete(),
	'holiday.import': () => m.audit_action_holiday_import(),
	'holiday.delete': () => m.audit_action_holiday_delete(),
	'identity.record': () => m.audit_action_identity_record(),
	'identity.view': () => m.audit_action_identity_view(),
	'identity.photo_removed': () => m.audit_action_identity_photo_removed(),
	'ticket.verify': () => m.audit_action_ticket_verify(),
	'ticket.unverify': () => m.audit_action_ticket_unverify(),
	'ticket.fee_paid': () => m.audit_action_ticket_fee_paid(),
	'ticket.fee_unpaid': () => m.audit_action_ticket_fee_unpaid(),
	'ticket.survey': () => m.audit_action_ticket_survey(),
	'ticket.crew_changed': () => m.crew_audit_changed(),
	'channel.update': () => m.audit_action_channel_update(),
	'message_template.update': () => m.audit_action_message_template_update(),
	'notification_route.update': () => m.audit_action_notification_route_update(),
	'message.send_again': () => m.audit_action_message_send_again(),
	'inbound.handled': () => m.audit_action_inbound_handled(),
	'ticket.visit_confirmed': () => m.audit_action_ticket_visit_confirmed(),
	'ticket.attachment_removed': () => m.audit_action_ticket_attachment_removed(),
	'dispatch.settings_changed': () => m.audit_action_dispatch_settings_changed(),
	'job_settings.update': () => m.audit_action_job_settings_update(),
	'day.check_in': () => m.audit_action_day_check_in(),
	'technician.profile_changed': () => m.audit_action_technician_profile_changed(),
	'technician.leave_requested': () => m.audit_action_technician_leave_requested(),
	'technician.leave_decided': () => m.audit_action_technician_leave_decided(),
	'technician.leave_cancelled': () => m.audit_action_technician_leave_cancelled(),
	'technician.on_call_added': () => m.audit_action_technician_on_call_added(),
	'technician.on_call_removed': () => m.audit_action_technician_on_call_removed(),
	'inventory.item_created': () => m.audit_action_inventory_item_created(),
	'inventory.item_changed': () => m.audit_action_inventory_item_changed(),
	'inventory.location_created': () => m.audit_action_inventory_location_created(),
	'inventory.movement': () => m.audit_action_inventory_movement(),
	'inventory.reorder_level': () => m.audit_action_inventory_reorder_level(),
	'inventory.material_requested': () => m.audit_action_inventory_material_requested(),
	'inventory.material_issued': () => m.audit_action_inventory_material_issued(),
	'inventory.material_rejected': () => m.audit_action_inventory_material_rejected(),
	'inventory.material_cancelled': () => m.audit_action_inventory_material_cancelled()
};

/** What a CSV import was of (the entry's entity is the kind: `areas`, `customers`, ...). */
const IMPORT_KINDS: Record<string, () => string> = {
	areas: () => m.transfer_kind_areas(),
	odcs: () => m.transfer_kind_odcs(),
	odps: () => m.transfer_kind_odps(),
	packages: () => m.transfer_kind_packages(),
	customers: () => m.transfer_kind_customers()
};

/** Every action code with a phrase (`import` included). */
export const AUDIT_ACTIONS: readonly string[] = [...Object.keys(PHRASES), 'import'];

/** A channel's set-up changed: which channel (the entry's `entity_id`), when it says. */
const CHANNEL_PHRASES: Record<string, () => string> = {
	whatsapp: () => m.audit_action_channel_update(),
	email: () => m.audit_action_channel_update_email()
};

/** A staff alert's channels changed for a role (the entry's `entity_id`, `staff_sla_breached/supervisor`): which, in words. */
function routePhrase(entityId: string | null): string | null {
	const match = /^(staff_[a-z_]+)\/([a-z_]+)$/.exec(entityId ?? '');
	if (!match) return null;
	return m.audit_action_notification_route_update_for({ event: eventName(match[1]!), role: roleName(match[2]!) });
}

/**
 * The action in the user's language, or null for a code this app does not
 * know. `entity` is the entry's kind of record (an import's kind of file),
 * `entityId` its record (the channel whose set-up changed).
 */
export function auditActionText(action: string, entity = '', entityId: string | null = null): string | null {
	if (action === 'import') return m.audit_action_import({ kind: IMPORT_KINDS[entity]?.() ?? entity });
	if (action === 'channel.update') return (entityId ? CHANNEL_PHRASES[entityId]?.() : undefined) ?? m.audit_action_channel_update_any();
	if (action === 'notification_route.update') return routePhrase(entityId) ?? m.audit_action_notification_route_update();
	return PHRASES[action]?.() ?? null;
}
