/**
 * Who goes where: roles, landing pages, which surfaces a role may open, and
 * the console menu by permission. Pure functions, unit-tested.
 */

export const ROLES = ['admin', 'supervisor', 'cs', 'technician', 'management', 'warehouse', 'customer'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work in the staff console (the storekeeper, `warehouse`, too: the inventory is there). */
export const STAFF_ROLES: readonly Role[] = ['admin', 'supervisor', 'cs', 'management', 'warehouse'];

/** Permission strings as the server sends them in `Me.permissions`. */
export const PERMISSIONS = [
	'profile.manage',
	'users.read',
	'users.manage',
	'audit.read',
	'teams.read',
	'teams.manage',
	'api_tokens.manage',
	'network.read',
	'network.manage',
	'customers.read',
	'customers.manage',
	'customers.erase',
	'demand.read',
	'data.import',
	'data.export',
	'tickets.read',
	'tickets.create',
	'tickets.manage',
	'tickets.work',
	'tickets.comment',
	'sla.manage',
	'outages.read',
	'outages.manage',
	'identity.read',
	'identity.manage',
	'messages.read',
	'messages.manage',
	'dispatch.read',
	'dispatch.manage',
	'dispatch.settings',
	'availability.own',
	'inventory.read',
	'inventory.manage',
	'inventory.approve',
	'inventory.own',
	'alerts.own',
	'jobs.approve'
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isStaff(role: string): boolean {
	return (STAFF_ROLES as readonly string[]).includes(role);
}

/** Where a role starts after signing in. */
export function landingPath(role: string): '/console' | '/tech' | '/account' {
	if (isStaff(role)) return '/console';
	if (role === 'technician') return '/tech';
	return '/account';
}

/** The profile page inside the role's own surface. */
export function profilePath(role: string): '/console/profile' | '/tech/profile' | '/account/profile' {
	if (isStaff(role)) return '/console/profile';
	if (role === 'technician') return '/tech/profile';
	return '/account/profile';
}

function underPath(path: string, prefix: string): boolean {
	return path === prefix || path.startsWith(`${prefix}/`);
}

/** Whether a role may open a page of the app (the server checks data access itself). */
export function canOpen(role: string, path: string): boolean {
	if (underPath(path, '/console')) return isStaff(role);
	if (underPath(path, '/tech')) return role === 'technician';
	if (underPath(path, '/account')) return role === 'customer';
	return true;
}

export type Surface = 'portal' | 'console' | 'tech';

/**
 * The surfaces shown in the top bar to someone with this role (null: signed
 * out): the portal for everyone, the console for staff, the technician app
 * for technicians. A surface the role cannot open is not offered.
 */
export function surfacesFor(role: string | null | undefined): Surface[] {
	const surfaces: Surface[] = ['portal'];
	if (role && isStaff(role)) surfaces.push('console');
	if (role === 'technician') surfaces.push('tech');
	return surfaces;
}

/**
 * A `next` target is accepted only as a path on this site: "/x", never
 * "//host", "/\\host" or an absolute URL, and never the sign-in page itself.
 */
export function safeNext(next: string | null | undefined): string | null {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
	let url: URL;
	try {
		url = new URL(next, 'http://netcrew.invalid');
	} catch {
		return null;
	}
	if (url.origin !== 'http://netcrew.invalid') return null;
	if (underPath(url.pathname, '/login') || underPath(url.pathname, '/reset-password') || underPath(url.pathname, '/forgot-password')) return null;
	return `${url.pathname}${url.search}${url.hash}`;
}

/** Where to go after signing in: the requested page if the role may open it, else its landing page. */
export function afterSignIn(role: string, next: string | null | undefined): string {
	const target = safeNext(next);
	if (target && target !== '/' && canOpen(role, new URL(target, 'http://x').pathname)) return target;
	return landingPath(role);
}

/** The sign-in page, remembering where the user was going. */
export function loginPath(next?: string | null): string {
	const target = safeNext(next);
	return target ? `/login?next=${encodeURIComponent(target)}` : '/login';
}

export function can(permissions: readonly string[] | null | undefined, permission: Permission): boolean {
	return !!permissions?.includes(permission);
}

export type ConsoleSection =
	| 'home'
	| 'tickets'
	| 'outages'
	| 'dispatch'
	| 'technicians'
	| 'reviews'
	| 'inventory'
	| 'messages'
	| 'customers'
	| 'map'
	| 'network'
	| 'demand'
	| 'catalogue'
	| 'transfer'
	| 'users'
	| 'teams'
	| 'api_tokens'
	| 'audit'
	| 'profile';

export interface ConsoleMenuItem {
	section: ConsoleSection;
	href: string;
	/** Null: everyone in the console may open it; a list: any one of them is enough. */
	permission: Permission | readonly Permission[] | null;
}

const CONSOLE_MENU: readonly ConsoleMenuItem[] = [
	{ section: 'home', href: '/console', permission: null },
	{ section: 'tickets', href: '/console/tickets', permission: 'tickets.read' },
	{ section: 'outages', href: '/console/outages', permission: 'outages.read' },
	{ section: 'dispatch', href: '/console/dispatch', permission: 'dispatch.read' },
	{ section: 'technicians', href: '/console/technicians', permission: 'dispatch.read' },
	{ section: 'reviews', href: '/console/jobs/review', permission: 'jobs.approve' },
	{ section: 'inventory', href: '/console/inventory', permission: 'inventory.read' },
	{ section: 'messages', href: '/console/messages', permission: 'messages.read' },
	{ section: 'customers', href: '/console/customers', permission: 'customers.read' },
	{ section: 'map', href: '/console/map', permission: 'network.read' },
	{ section: 'network', href: '/console/network', permission: 'network.read' },
	{ section: 'demand', href: '/console/demand', permission: 'demand.read' },
	{ section: 'catalogue', href: '/console/catalogue', permission: 'network.manage' },
	{ section: 'transfer', href: '/console/transfer', permission: ['data.import', 'data.export'] },
	{ section: 'users', href: '/console/users', permission: 'users.read' },
	{ section: 'teams', href: '/console/teams', permission: 'teams.read' },
	{ section: 'api_tokens', href: '/console/api-tokens', permission: 'api_tokens.manage' },
	{ section: 'audit', href: '/console/audit', permission: 'audit.read' },
	{ section: 'profile', href: '/console/profile', permission: null }
];

/** The console sidebar for someone with these permissions. */
export function consoleMenu(permissions: readonly string[] | null | undefined): ConsoleMenuItem[] {
	return CONSOLE_MENU.filter((item) => allows(permissions, item.permission));
}

/** Console pages that need more than their section does (creating and editing records). */
const CONSOLE_PAGE_RULES: readonly { path: RegExp; permission: Permission }[] = [
	{ path: /^\/console\/tickets\/new\/?$/, permission: 'tickets.create' },
	{ path: /^\/console\/outages\/new\/?$/, permission: 'outages.manage' },
	{ path: /^\/console\/messages\/(settings|templates|alerts|email)\/?$/, permission: 'messages.manage' },
	{ path: /^\/console\/technicians\/settings\/?$/, permission: 'dispatch.settings' },
	{ path: /^\/console\/customers\/new\/?$/, permission: 'customers.manage' },
	{ path: /^\/console\/customers\/[^/]+\/edit\/?$/, permission: 'customers.manage' },
	{ path: /^\/console\/users\/new\/?$/, permission: 'users.manage' }
];

function allows(permissions: readonly string[] | null | undefined, needed: ConsoleMenuItem['permission']): boolean {
	if (needed === null) return true;
	const list: readonly Permission[] = typeof needed === 'string' ? [needed] : needed;
	return list.some((p) => can(permissions, p));
}

/**
 * Whether someone with these permissions may open a console page: its
 * section's permission (as in the menu), and for a create or edit page the
 * permission to change that kind of record. Unknown console paths are left
 * to the 404 page.
 */
export function canOpenConsolePath(permissions: readonly string[] | null | undefined, path: string): boolean {
	let section: ConsoleMenuItem | null = null;
	for (const item of CONSOLE_MENU) {
		const match = item.href === '/console' ? path === '/console' || path === '/console/' : underPath(path, item.href);
		if (match && (!section || item.href.length > section.href.length)) section = item;
	}
	if (section && !allows(permissions, section.permission)) return false;
	return CONSOLE_PAGE_RULES.every((rule) => !rule.path.test(path) || can(permissions, rule.permission));
}

/** The menu item a console path belongs to (the longest matching prefix). */
export function activeSection(path: string, items: readonly ConsoleMenuItem[]): ConsoleSection | null {
	let best: ConsoleMenuItem | null = null;
	for (const item of items) {
		const match = item.href === '/console' ? path === '/console' : underPath(path, item.href);
		if (match && (!best || item.href.length > best.href.length)) best = item;
	}
	return best?.section ?? null;
}
