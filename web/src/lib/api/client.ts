import createClient from 'openapi-fetch';
import { apiErrorFromResponse, toApiError } from './problem';
import type { paths } from './schema';
import type { Customer, Odc, Odp, Page, PlantStatus, ServiceArea, ServicePackage, SystemInfo, Team } from './types';

export type ApiClient = ReturnType<typeof createClient<paths>>;

export const CSRF_HEADER = 'X-CSRF-Token';

/** Methods that change nothing and so need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Requests whose 401 means "wrong login", not "your session is gone". */
const SIGN_IN_PATHS = new Set(['/api/v1/auth/login', '/api/v1/auth/password-reset', '/api/v1/auth/code/sign-in']);

export interface ApiClientOptions {
	baseUrl?: string;
	fetch?: typeof fetch;
	/** The session's CSRF token, sent with every write. */
	csrfToken?: () => string | null | undefined;
	/** Called when the server answers 401 to a request made while signed in. */
	onUnauthenticated?: () => void;
	/** Called when the server refuses a request until a second factor is set up (403 `/problems/totp-setup-required`). */
	onTotpSetupRequired?: () => void;
}

export const TOTP_SETUP_REQUIRED = '/problems/totp-setup-required';

/**
 * A typed client for the NetCrew API. The server and the web app share an
 * origin, so the base URL is empty in the browser.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
	const client = createClient<paths>({
		baseUrl: options.baseUrl ?? '',
		fetch: options.fetch,
		credentials: 'same-origin',
		headers: { Accept: 'application/json, application/problem+json' }
	});
	const { csrfToken, onUnauthenticated, onTotpSetupRequired } = options;
	if (csrfToken || onUnauthenticated || onTotpSetupRequired) {
		client.use({
			onRequest({ request }) {
				const token = csrfToken?.();
				if (token && !SAFE_METHODS.has(request.method.toUpperCase())) {
					request.headers.set(CSRF_HEADER, token);
				}
				return request;
			},
			onResponse({ response, schemaPath }) {
				if (response.status === 401 && !SIGN_IN_PATHS.has(schemaPath)) onUnauthenticated?.();
				if (response.status === 403 && onTotpSetupRequired) {
					response
						.clone()
						.json()
						.then((body: unknown) => {
							if ((body as { type?: unknown } | null)?.type === TOTP_SETUP_REQUIRED) onTotpSetupRequired();
						})
						.catch(() => undefined);
				}
				return undefined;
			}
		});
	}
	return client;
}

interface FetchResult<T> {
	data?: T;
	error?: unknown;
	response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError
 * (network failure, problem+json, or any other non-2xx answer).
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
	let result: FetchResult<T>;
	try {
		result = await call;
	} catch (error) {
		throw toApiError(error);
	}
	if (!result.response.ok || result.data === undefined) {
		throw apiErrorFromResponse(result.response, result.error);
	}
	return result.data;
}

/** Like `unwrap`, for calls that answer without a body (204). */
export async function unwrapEmpty(call: Promise<FetchResult<unknown>>): Promise<void> {
	let result: FetchResult<unknown>;
	try {
		result = await call;
	} catch (error) {
		throw toApiError(error);
	}
	if (!result.response.ok) throw apiErrorFromResponse(result.response, result.error);
}

/**
 * Follows `next_cursor` until the list ends or `maxPages` pages were read.
 * `truncated` tells whether items were left unread.
 */
export async function collectPages<T>(
	fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
	maxPages = 10
): Promise<{ items: T[]; total: number; totalExact: boolean; truncated: boolean }> {
	const items: T[] = [];
	let cursor: string | undefined;
	let total = 0;
	let totalExact = true;
	for (let page = 0; page < maxPages; page++) {
		const result = await fetchPage(cursor);
		items.push(...result.items);
		total = result.total;
		totalExact = result.total_exact !== false;
		const next = result.next_cursor ?? undefined;
		// Guard against a server that repeats a cursor or sends an empty page.
		if (!next || next === cursor || result.items.length === 0) {
			return { items, total, totalExact, truncated: false };
		}
		cursor = next;
	}
	return { items, total, totalExact, truncated: true };
}

const PAGE_SIZE = 100;

export async function listActivePackages(client: ApiClient): Promise<ServicePackage[]> {
	const { items } = await collectPages((cursor) =>
		unwrap(
			client.GET('/api/v1/packages', {
				params: { query: { active: true, limit: PAGE_SIZE, cursor } }
			})
		)
	);
	// The filter is also applied here so a server ignoring ?active shows no retired package.
	return items.filter((p) => p.active);
}

export async function listAreas(client: ApiClient): Promise<ServiceArea[]> {
	const { items } = await collectPages((cursor) =>
		unwrap(client.GET('/api/v1/areas', { params: { query: { limit: PAGE_SIZE, cursor } } }))
	);
	return items;
}

export function getSystemInfo(client: ApiClient): Promise<SystemInfo> {
	return unwrap(client.GET('/api/v1/system'));
}

/** The client for public calls (no session needed). */
export const api = createApiClient();

/** Every team (teams.read), by name. */
export async function listTeams(client: ApiClient): Promise<Team[]> {
	const { items } = await collectPages((cursor) =>
		unwrap(client.GET('/api/v1/teams', { params: { query: { limit: PAGE_SIZE, cursor } } }))
	);
	return items;
}

/** Every package, retired ones too (the catalogue and staff forms). */
export async function listAllPackages(client: ApiClient): Promise<ServicePackage[]> {
	const { items } = await collectPages((cursor) =>
		unwrap(client.GET('/api/v1/packages', { params: { query: { limit: PAGE_SIZE, cursor } } }))
	);
	return items;
}

/** Every ODC (network.read), optionally of one area. */
export async function listOdcs(client: ApiClient, areaId?: string): Promise<Odc[]> {
	const { items } = await collectPages((cursor) =>
		unwrap(
			client.GET('/api/v1/odcs', {
				params: { query: { limit: 500, cursor, area_id: areaId || undefined } }
			})
		)
	);
	return items;
}

/** ODPs (network.read), up to `maxPages` pages of 500. */
export async function listOdps(
	client: ApiClient,
	filter: { area_id?: string; odc_id?: string; status?: PlantStatus; q?: string } = {},
	maxPages = 10
): Promise<{ items: Odp[]; total: number; totalExact: boolean; truncated: boolean }> {
	return collectPages(
		(cursor) =>
			unwrap(client.GET('/api/v1/odps', { params: { query: { ...filter, limit: 500, cursor } } })),
		maxPages
	);
}

/** Customers of one area (customers.read), for maps; at most `maxPages` pages of 500. */
export async function listCustomersOfArea(
	client: ApiClient,
	areaId: string,
	maxPages = 4
): Promise<{ items: Customer[]; total: number; totalExact: boolean; truncated: boolean }> {
	return collectPages(
		(cursor) =>
			unwrap(
				client.GET('/api/v1/customers', {
					params: { query: { area_id: areaId, limit: 500, cursor } }
				})
			),
		maxPages
	);
}
