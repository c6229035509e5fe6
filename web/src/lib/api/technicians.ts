/**
 * Technicians as dispatch knows them: their profiles (with `If-Match`),
 * leave and sick days with their decision, the on-call rota (piket), and
 * the ISP's dispatch settings. (The ticket's assignment calls are not here.)
 */
import { ifMatch } from '$lib/tickets';
import { unwrap, unwrapEmpty, type ApiClient } from './client';
import { toApiError } from './problem';
import type { components } from './schema';
import type { Page } from './types';

type Schemas = components['schemas'];
export type TechnicianProfile = Schemas['TechnicianProfile'];
export type SkillLevel = Schemas['SkillLevel'];
export type LastPosition = Schemas['LastPosition'];
export type Employer = Schemas['Employer'];
export type Leave = Schemas['Leave'];
export type LeaveKind = Schemas['LeaveKind'];
export type LeaveStatus = Schemas['LeaveStatus'];
export type LeaveRequestInput = Schemas['LeaveRequestInput'];
export type LeaveDecided = Schemas['LeaveDecided'];
export type JobsChoice = Schemas['JobsChoice'];
export type OnCallTurn = Schemas['OnCallTurn'];
export type OnCallInput = Schemas['OnCallInput'];
export type DispatchSettings = Schemas['DispatchSettings'];
export type DispatchSettingsInput = Schemas['DispatchSettingsInput'];
export type DispatchMode = Schemas['DispatchMode'];
export type ScoreWeights = Schemas['ScoreWeights'];

/** One skill of a profile as the server takes it: the skill and a level from 1 to 5. */
export type SkillLevelInput = Schemas['SkillLevelInput'];

/** The body of `PUT /technicians/{id}/profile`, every part given. */
export interface TechnicianProfileBody {
	home: { lat: number; lng: number } | null;
	home_address: string;
	max_jobs_per_day: number;
	employer: Employer;
	partner_name: string;
	work_pattern: string[][];
	ramadan_pattern: string[][] | null;
	skills: SkillLevelInput[];
}

export function getProfile(client: ApiClient, id: string): Promise<TechnicianProfile> {
	return unwrap(client.GET('/api/v1/technicians/{id}/profile', { params: { path: { id } } }));
}

/** Saves a profile from the version read (`"0"` before its first save); a 412 means someone saved first. */
export function saveProfile(client: ApiClient, profile: Pick<TechnicianProfile, 'id' | 'version'>, body: TechnicianProfileBody): Promise<TechnicianProfile> {
	return unwrap(
		client.PUT('/api/v1/technicians/{id}/profile', {
			params: { path: { id: profile.id } },
			headers: { 'If-Match': ifMatch(profile.version) },
			body
		})
	);
}

export interface LeaveQuery {
	technician_id?: string | undefined;
	status?: LeaveStatus | undefined;
	/** Leave lasting until this day (`YYYY-MM-DD`) or later. */
	from?: string | undefined;
}

/** Leave and sick days, soonest first (a technician gets only their own). */
export function listLeave(client: ApiClient, query: LeaveQuery = {}): Promise<Page<Leave>> {
	return unwrap(
		client.GET('/api/v1/leave', {
			params: { query: { technician_id: query.technician_id || undefined, status: query.status || undefined, from: query.from || undefined } }
		})
	);
}

/** Asks for leave or reports sick days (409 when it overlaps other leave). */
export function requestLeave(client: ApiClient, technicianId: string, body: LeaveRequestInput): Promise<Leave> {
	return unwrap(client.POST('/api/v1/technicians/{id}/leave', { params: { path: { id: technicianId } }, body }));
}

/**
 * Approves or refuses leave from the version read. Approving leave over the
 * technician's assigned jobs without `jobs` is answered 409 naming them
 * (see `jobsChoiceNeeded`).
 */
export function decideLeave(
	client: ApiClient,
	leave: Pick<Leave, 'id' | 'version'>,
	body: { approve: boolean; note?: string; jobs?: JobsChoice }
): Promise<LeaveDecided> {
	return unwrap(
		client.POST('/api/v1/leave/{id}/decision', {
			params: { path: { id: leave.id } },
			headers: { 'If-Match': ifMatch(leave.version) },
			body
		})
	);
}

/** Withdraws leave that has not begun, from the version read. */
export function cancelLeave(client: ApiClient, leave: Pick<Leave, 'id' | 'version'>): Promise<Leave> {
	return unwrap(
		client.POST('/api/v1/leave/{id}/cancel', {
			params: { path: { id: leave.id } },
			headers: { 'If-Match': ifMatch(leave.version) }
		})
	);
}

/**
 * When approving leave was refused because the technician has jobs on those
 * days: the server's sentence, the ticket numbers it names, and the choices
 * it takes. Null for any other failure.
 */
export function jobsChoiceNeeded(error: unknown): { detail: string; tickets: string[]; allowed: JobsChoice[] } | null {
	const e = toApiError(error);
	if (e.status !== 409) return null;
	const allowed = (e.problem?.allowed ?? []).filter((a): a is JobsChoice => a === 'unassign' || a === 'keep');
	if (allowed.length === 0) return null;
	const detail = e.problem?.detail ?? '';
	// Ticket numbers such as TRB-2026-000011, each once.
	const tickets = [...new Set(detail.match(/\b[A-Z]{2,5}-\d{4}-\d{3,}\b/g) ?? [])];
	return { detail, tickets, allowed };
}

/** The on-call rota between two days (`YYYY-MM-DD`, at most 92 days apart). */
export function listOnCall(client: ApiClient, from: string, to: string): Promise<Page<OnCallTurn>> {
	return unwrap(client.GET('/api/v1/on-call', { params: { query: { from, to } } }));
}

export function addOnCall(client: ApiClient, body: OnCallInput): Promise<OnCallTurn> {
	return unwrap(client.POST('/api/v1/on-call', { body }));
}

export function removeOnCall(client: ApiClient, id: string): Promise<void> {
	return unwrapEmpty(client.DELETE('/api/v1/on-call/{id}', { params: { path: { id } } }));
}

export function getDispatchSettings(client: ApiClient): Promise<DispatchSettings> {
	return unwrap(client.GET('/api/v1/dispatch/settings'));
}

/** Saves the settings from the version read (admins only). */
export function saveDispatchSettings(client: ApiClient, version: number, body: DispatchSettingsInput): Promise<DispatchSettings> {
	return unwrap(client.PUT('/api/v1/dispatch/settings', { headers: { 'If-Match': ifMatch(version) }, body }));
}

/** A technician in the console's list. */
export interface TechnicianRow {
	id: string;
	name: string;
	phone: string | null;
	/** Team names. */
	teams: string[];
	area_ids: string[];
	/** Open tickets held now; null where the reader cannot see them. */
	open_tickets: number | null;
}

/**
 * The technicians of the console's list. Those who assign (`tickets.manage`)
 * get the assignable technicians with their open tickets; others who read
 * users (management) get the active technician accounts, teams named from
 * `teamNames`.
 */
export async function listTechnicianRows(
	client: ApiClient,
	how: { assigns: boolean; teamNames: ReadonlyMap<string, string> },
	filter: { q?: string | undefined; area_id?: string | undefined },
	cursor?: string
): Promise<Page<TechnicianRow>> {
	if (how.assigns) {
		const page = await unwrap(
			client.GET('/api/v1/technicians', { params: { query: { q: filter.q || undefined, area_id: filter.area_id || undefined } } })
		);
		return {
			...page,
			items: page.items.map((t) => ({ id: t.id, name: t.name, phone: t.phone ?? null, teams: t.teams, area_ids: t.area_ids, open_tickets: t.open_tickets }))
		};
	}
	const page = await unwrap(
		client.GET('/api/v1/users', {
			params: { query: { role: 'technician', status: 'active', q: filter.q || undefined, area_id: filter.area_id || undefined, limit: 100, cursor } }
		})
	);
	return {
		...page,
		items: page.items.map((u) => ({
			id: u.id,
			name: u.name,
			phone: u.phone ?? null,
			teams: u.team_ids.map((id) => how.teamNames.get(id)).filter((n): n is string => !!n),
			area_ids: u.area_ids,
			open_tickets: null
		}))
	};
}

/**
 * Technicians to choose from (forms and filters), by name: the assignable
 * ones for those who assign, else the active technician accounts.
 */
export async function technicianChoices(client: ApiClient, assigns: boolean): Promise<{ id: string; name: string }[]> {
	if (assigns) {
		const page = await unwrap(client.GET('/api/v1/technicians'));
		return page.items.map((t) => ({ id: t.id, name: t.name })).sort((a, b) => a.name.localeCompare(b.name));
	}
	const page = await unwrap(client.GET('/api/v1/users', { params: { query: { role: 'technician', status: 'active', limit: 500 } } }));
	return page.items.map((u) => ({ id: u.id, name: u.name })).sort((a, b) => a.name.localeCompare(b.name));
}
