import { describe, expect, it } from 'vitest';
import {
	PERMISSIONS,
	activeSection,
	afterSignIn,
	can,
	canOpen,
	canOpenConsolePath,
	consoleMenu,
	isStaff,
	landingPath,
	loginPath,
	profilePath,
	ROLES,
	safeNext,
	surfacesFor
} from './access';

describe('landing page by role', () => {
	it('sends staff to the console, technicians to /tech, customers to /account', () => {
		expect(landingPath('admin')).toBe('/console');
		expect(landingPath('supervisor')).toBe('/console');
		expect(landingPath('cs')).toBe('/console');
		expect(landingPath('management')).toBe('/console');
		expect(landingPath('warehouse')).toBe('/console');
		expect(landingPath('technician')).toBe('/tech');
		expect(landingPath('customer')).toBe('/account');
	});

	it('treats an unknown role like a customer (least access)', () => {
		expect(landingPath('intern')).toBe('/account');
		expect(isStaff('intern')).toBe(false);
	});

	it('puts the profile inside each surface', () => {
		expect(profilePath('cs')).toBe('/console/profile');
		expect(profilePath('technician')).toBe('/tech/profile');
		expect(profilePath('customer')).toBe('/account/profile');
	});

	it('lets every role open its own landing page', () => {
		for (const role of ROLES) expect(canOpen(role, landingPath(role)), role).toBe(true);
		expect(canOpen('technician', '/console/users')).toBe(false);
		expect(canOpen('admin', '/tech')).toBe(false);
		expect(canOpen('customer', '/console')).toBe(false);
		expect(canOpen('customer', '/profile')).toBe(true);
		expect(canOpen('technician', '/consoles')).toBe(true);
	});
});

describe('next after sign-in', () => {
	it('accepts only local paths', () => {
		expect(safeNext('/console/users?q=budi')).toBe('/console/users?q=budi');
		expect(safeNext('//evil.example/x')).toBeNull();
		expect(safeNext('/\\evil.example')).toBeNull();
		expect(safeNext('https://evil.example/')).toBeNull();
		expect(safeNext('javascript:alert(1)')).toBeNull();
		expect(safeNext('')).toBeNull();
		expect(safeNext(null)).toBeNull();
		expect(safeNext('/login?next=/console')).toBeNull();
		expect(safeNext('/forgot-password')).toBeNull();
	});

	it('goes to the requested page when the role may open it, else to the landing page', () => {
		expect(afterSignIn('admin', '/console/audit')).toBe('/console/audit');
		expect(afterSignIn('technician', '/console/audit')).toBe('/tech');
		expect(afterSignIn('technician', '/tech/profile')).toBe('/tech/profile');
		expect(afterSignIn('customer', null)).toBe('/account');
		expect(afterSignIn('admin', '/')).toBe('/console');
		expect(afterSignIn('admin', 'https://evil.example/')).toBe('/console');
	});

	it('builds the sign-in link with the page to return to', () => {
		expect(loginPath('/console/users?role=cs')).toBe('/login?next=%2Fconsole%2Fusers%3Frole%3Dcs');
		expect(loginPath(null)).toBe('/login');
		expect(loginPath('//evil')).toBe('/login');
	});
});

describe('console menu by permission', () => {
	const admin = ['profile.manage', 'users.read', 'users.manage', 'audit.read', 'teams.read', 'teams.manage', 'api_tokens.manage'];

	it('shows an admin every section', () => {
		expect(consoleMenu(admin).map((i) => i.section)).toEqual([
			'home',
			'users',
			'teams',
			'api_tokens',
			'audit',
			'profile'
		]);
	});

	it('shows a supervisor users and teams but not tokens or the audit log', () => {
		expect(consoleMenu(['profile.manage', 'users.read', 'teams.read']).map((i) => i.section)).toEqual([
			'home',
			'users',
			'teams',
			'profile'
		]);
	});

	it('shows customer service only what needs no permission beyond teams', () => {
		expect(consoleMenu(['profile.manage', 'teams.read']).map((i) => i.section)).toEqual(['home', 'teams', 'profile']);
		expect(consoleMenu(undefined).map((i) => i.section)).toEqual(['home', 'profile']);
	});

	it('shows the review queue to those who approve jobs, after the technicians', () => {
		expect(consoleMenu(['profile.manage', 'dispatch.read', 'jobs.approve']).map((i) => i.section)).toEqual(['home', 'dispatch', 'technicians', 'reviews', 'profile']);
		expect(consoleMenu(['profile.manage', 'dispatch.read']).map((i) => i.section)).not.toContain('reviews');
		expect(canOpenConsolePath(['jobs.approve'], '/console/jobs/review')).toBe(true);
		expect(canOpenConsolePath(['dispatch.read'], '/console/jobs/review')).toBe(false);
		expect(activeSection('/console/jobs/review', consoleMenu(['jobs.approve']))).toBe('reviews');
	});

	it('adds network, customer and data sections by permission', () => {
		const full = [
			...admin,
			'network.read',
			'network.manage',
			'customers.read',
			'customers.manage',
			'demand.read',
			'data.import',
			'data.export'
		];
		expect(consoleMenu(full).map((i) => i.section)).toEqual([
			'home',
			'customers',
			'map',
			'network',
			'demand',
			'catalogue',
			'transfer',
			'users',
			'teams',
			'api_tokens',
			'audit',
			'profile'
		]);
		// Customer service: customers and the network to read, no catalogue, no data transfer.
		expect(
			consoleMenu(['profile.manage', 'teams.read', 'network.read', 'customers.read', 'customers.manage']).map(
				(i) => i.section
			)
		).toEqual(['home', 'customers', 'map', 'network', 'teams', 'profile']);
		// Management exports without importing.
		expect(consoleMenu(['data.export']).map((i) => i.section)).toContain('transfer');
		expect(consoleMenu(['data.import']).map((i) => i.section)).toContain('transfer');
		const items = consoleMenu(full);
		expect(activeSection('/console/network/odps/1', items)).toBe('network');
		expect(activeSection('/console/customers/new', items)).toBe('customers');
	});

	it('lists each permission once (a token form offers them as choices)', () => {
		expect(new Set(PERMISSIONS).size).toBe(PERMISSIONS.length);
	});

	it('offers tickets to every role that reads them; only those who open tickets get the new-ticket page', () => {
		const management = ['profile.manage', 'tickets.read'];
		const cs = ['profile.manage', 'tickets.read', 'tickets.create', 'tickets.manage'];
		expect(consoleMenu(management).map((i) => i.section)).toEqual(['home', 'tickets', 'profile']);
		expect(consoleMenu(['profile.manage']).map((i) => i.section)).not.toContain('tickets');
		expect(canOpenConsolePath(management, '/console/tickets')).toBe(true);
		expect(canOpenConsolePath(management, '/console/tickets/0190')).toBe(true);
		expect(canOpenConsolePath(management, '/console/tickets/new')).toBe(false);
		expect(canOpenConsolePath(cs, '/console/tickets/new')).toBe(true);
		expect(canOpenConsolePath(['profile.manage'], '/console/tickets')).toBe(false);
		expect(activeSection('/console/tickets/new', consoleMenu(cs))).toBe('tickets');
	});

	it('offers outages to those who read them; only those who manage them get the declaration page', () => {
		const cs = ['profile.manage', 'tickets.read', 'outages.read'];
		const supervisor = [...cs, 'outages.manage'];
		expect(consoleMenu(cs).map((i) => i.section)).toEqual(['home', 'tickets', 'outages', 'profile']);
		expect(consoleMenu(['profile.manage', 'tickets.read']).map((i) => i.section)).not.toContain('outages');
		expect(canOpenConsolePath(cs, '/console/outages')).toBe(true);
		expect(canOpenConsolePath(cs, '/console/outages/0190')).toBe(true);
		expect(canOpenConsolePath(cs, '/console/outages/new')).toBe(false);
		expect(canOpenConsolePath(supervisor, '/console/outages/new')).toBe(true);
		expect(canOpenConsolePath(['profile.manage', 'tickets.read'], '/console/outages/0190')).toBe(false);
		expect(activeSection('/console/outages/new', consoleMenu(supervisor))).toBe('outages');
		expect(activeSection('/console/outages/0190', consoleMenu(supervisor))).toBe('outages');
	});

	it('marks the section of nested pages', () => {
		const items = consoleMenu(admin);
		expect(activeSection('/console', items)).toBe('home');
		expect(activeSection('/console/users/123', items)).toBe('users');
		expect(activeSection('/console/api-tokens', items)).toBe('api_tokens');
		expect(activeSection('/console/usersx', items)).toBeNull();
	});

	it('checks single permissions', () => {
		expect(can(admin, 'users.manage')).toBe(true);
		expect(can(['users.read'], 'users.manage')).toBe(false);
		expect(can(null, 'users.read')).toBe(false);
	});
});

/** The permissions each role has (docs/permissions.md). */
const ROLE_PERMISSIONS: Record<string, string[]> = {
	cs: ['profile.manage', 'teams.read', 'network.read', 'customers.read', 'customers.manage'],
	supervisor: ['profile.manage', 'users.read', 'teams.read', 'network.read', 'customers.read', 'customers.manage', 'demand.read'],
	management: ['profile.manage', 'users.read', 'audit.read', 'teams.read', 'network.read', 'customers.read', 'demand.read', 'data.export'],
	warehouse: ['profile.manage', 'teams.read', 'network.read', 'tickets.read', 'inventory.read', 'inventory.manage']
};

describe('surfaces in the top bar', () => {
	it('offers each role only the surfaces it can open', () => {
		expect(surfacesFor(null)).toEqual(['portal']);
		expect(surfacesFor('customer')).toEqual(['portal']);
		expect(surfacesFor('technician')).toEqual(['portal', 'tech']);
		for (const role of ['admin', 'supervisor', 'cs', 'management', 'warehouse']) expect(surfacesFor(role), role).toEqual(['portal', 'console']);
		expect(surfacesFor('intern')).toEqual(['portal']);
		for (const role of ROLES) {
			const paths = { portal: '/', console: '/console', tech: '/tech' };
			for (const surface of surfacesFor(role)) expect(canOpen(role, paths[surface]), `${role} ${surface}`).toBe(true);
		}
	});
});

describe('console pages by permission', () => {
	it('lets customer service open customers, the map and the network, not users, the audit log, the catalogue or imports', () => {
		const cs = ROLE_PERMISSIONS.cs;
		for (const path of ['/console', '/console/customers', '/console/customers/new', '/console/customers/abc/edit', '/console/map', '/console/network/odps', '/console/teams', '/console/profile']) {
			expect(canOpenConsolePath(cs, path), path).toBe(true);
		}
		for (const path of ['/console/users', '/console/users/abc', '/console/audit', '/console/catalogue/packages', '/console/transfer', '/console/api-tokens', '/console/demand']) {
			expect(canOpenConsolePath(cs, path), path).toBe(false);
		}
	});

	it('needs the right to change records for the create and edit pages', () => {
		const management = ROLE_PERMISSIONS.management;
		expect(canOpenConsolePath(management, '/console/customers')).toBe(true);
		expect(canOpenConsolePath(management, '/console/customers/abc')).toBe(true);
		expect(canOpenConsolePath(management, '/console/customers/new')).toBe(false);
		expect(canOpenConsolePath(management, '/console/customers/abc/edit')).toBe(false);
		expect(canOpenConsolePath(management, '/console/users/new')).toBe(false);
		expect(canOpenConsolePath(management, '/console/transfer')).toBe(true);
		expect(canOpenConsolePath(ROLE_PERMISSIONS.supervisor, '/console/users')).toBe(true);
		expect(canOpenConsolePath(ROLE_PERMISSIONS.supervisor, '/console/users/new')).toBe(false);
	});

	it('gives the storekeeper the inventory and their profile, never the customers', () => {
		const warehouse = ROLE_PERMISSIONS.warehouse;
		const sections = consoleMenu(warehouse).map((i) => i.section);
		expect(sections).toContain('inventory');
		expect(sections).toContain('profile');
		expect(sections).not.toContain('customers');
		expect(sections).not.toContain('dispatch');
		expect(sections).not.toContain('users');
		expect(consoleMenu(warehouse).find((i) => i.section === 'inventory')?.href).toBe('/console/inventory');
		for (const path of ['/console', '/console/inventory', '/console/inventory/items', '/console/profile']) expect(canOpenConsolePath(warehouse, path), path).toBe(true);
		for (const path of ['/console/customers', '/console/customers/abc', '/console/dispatch', '/console/users', '/console/audit']) expect(canOpenConsolePath(warehouse, path), path).toBe(false);
		expect(activeSection('/console/inventory/movements/new', consoleMenu(warehouse))).toBe('inventory');
		// Inventory is for those who read it: not customer service.
		expect(consoleMenu(ROLE_PERMISSIONS.cs).map((i) => i.section)).not.toContain('inventory');
		expect(isStaff('warehouse')).toBe(true);
		expect(canOpen('warehouse', '/console/inventory')).toBe(true);
		expect(canOpen('warehouse', '/tech')).toBe(false);
	});

	it('agrees with the menu: every item shown can be opened', () => {
		for (const permissions of Object.values(ROLE_PERMISSIONS)) {
			for (const item of consoleMenu(permissions)) expect(canOpenConsolePath(permissions, item.href), item.href).toBe(true);
		}
	});
});

describe('the technicians section', () => {
	const cs = ['profile.manage', 'tickets.read', 'dispatch.read'];
	const supervisor = [...cs, 'dispatch.manage'];
	const admin = [...supervisor, 'dispatch.settings'];

	it('is offered to those who read dispatch, after outages', () => {
		expect(consoleMenu(cs).map((i) => i.section)).toEqual(['home', 'tickets', 'dispatch', 'technicians', 'profile']);
		expect(consoleMenu(['profile.manage', 'tickets.read', 'outages.read', 'dispatch.read', 'messages.read']).map((i) => i.section)).toEqual([
			'home',
			'tickets',
			'outages',
			'dispatch',
			'technicians',
			'messages',
			'profile'
		]);
		expect(consoleMenu(['profile.manage', 'tickets.read']).map((i) => i.section)).not.toContain('technicians');
		expect(activeSection('/console/technicians/0190/x', consoleMenu(cs))).toBe('technicians');
	});

	it('opens leave and the rota to every reader, the dispatch settings to admins only', () => {
		for (const path of ['/console/technicians', '/console/technicians/0190', '/console/technicians/leave', '/console/technicians/on-call']) {
			expect(canOpenConsolePath(cs, path), path).toBe(true);
		}
		expect(canOpenConsolePath(['profile.manage'], '/console/technicians/leave')).toBe(false);
		expect(canOpenConsolePath(supervisor, '/console/technicians/settings')).toBe(false);
		expect(canOpenConsolePath(admin, '/console/technicians/settings')).toBe(true);
	});
});

describe('the dispatch board', () => {
	it('is offered to those who read dispatch, before the technicians, and opens for them only', () => {
		const management = ['profile.manage', 'tickets.read', 'dispatch.read'];
		expect(consoleMenu(management).map((i) => i.section)).toContain('dispatch');
		expect(consoleMenu(['profile.manage', 'tickets.read']).map((i) => i.section)).not.toContain('dispatch');
		expect(canOpenConsolePath(management, '/console/dispatch')).toBe(true);
		expect(canOpenConsolePath(['profile.manage', 'tickets.read', 'tickets.manage'], '/console/dispatch')).toBe(false);
		expect(activeSection('/console/dispatch', consoleMenu(management))).toBe('dispatch');
	});
});
