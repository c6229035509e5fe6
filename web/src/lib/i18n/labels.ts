/** Translated names for values the server sends as codes. */
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
