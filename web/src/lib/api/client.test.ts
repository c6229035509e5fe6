import { describe, expect, it } from 'vitest';
import {
	collectPages,
	createApiClient,
	getSystemInfo,
	listActivePackages,
	listAreas,
	unwrap
} from './client';
import { ApiError } from './problem';
import { countLabel, type Page } from './types';

type Handler = (url: URL, request: Request) => Response | Promise<Response>;

function json(body: unknown, status = 200, type = 'application/json'): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}

/** An API client whose fetch is answered by `handler`, recording requested URLs. */
function clientWith(handler: Handler) {
	const requests: URL[] = [];
	const client = createApiClient({
		baseUrl: 'http://netcrew.test',
		fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
			const request = new Request(input, init);
			const url = new URL(request.url);
			requests.push(url);
			return handler(url, request);
		}
	});
	return { client, requests };
}

const pkg = (n: number, active = true) => ({
	id: `00000000-0000-7000-8000-00000000000${n}`,
	name: `Home ${n * 10}`,
	download_mbps: n * 10,
	upload_mbps: n * 10,
	monthly_price_idr: n * 100000,
	active,
	description: null
});

describe('collectPages', () => {
	it('follows next_cursor to the end', async () => {
		const pages: Record<string, Page<number>> = {
			start: { items: [1, 2], next_cursor: 'b', total: 5 },
			b: { items: [3, 4], next_cursor: 'c', total: 5 },
			c: { items: [5], next_cursor: null, total: 5 }
		};
		const seen: (string | undefined)[] = [];
		const result = await collectPages(async (cursor) => {
			seen.push(cursor);
			return pages[cursor ?? 'start']!;
		});
		expect(result).toEqual({ items: [1, 2, 3, 4, 5], total: 5, totalExact: true, truncated: false });
		expect(seen).toEqual([undefined, 'b', 'c']);
	});

	it('passes on a total that is only a lower bound', async () => {
		const result = await collectPages(async () => ({ items: [1], next_cursor: null, total: 10000, total_exact: false }));
		expect(result.totalExact).toBe(false);
		expect(countLabel(result.total, result.totalExact)).toBe('10000+');
		expect(countLabel(12, true)).toBe('12');
		expect(countLabel(12, undefined)).toBe('12');
	});

	it('stops at maxPages and says so', async () => {
		let n = 0;
		const result = await collectPages(async () => ({ items: [n], next_cursor: `c${++n}`, total: 99 }), 3);
		expect(result.items).toEqual([0, 1, 2]);
		expect(result.truncated).toBe(true);
	});

	it('stops when the server repeats a cursor or sends an empty page', async () => {
		const repeat = await collectPages(async () => ({ items: [1], next_cursor: 'same', total: 1 }));
		expect(repeat.items).toEqual([1, 1]);
		const empty = await collectPages(async () => ({ items: [], next_cursor: 'x', total: 0 }));
		expect(empty).toEqual({ items: [], total: 0, totalExact: true, truncated: false });
	});
});

describe('API calls', () => {
	it('lists active packages, asking the server to filter', async () => {
		const { client, requests } = clientWith(() =>
			json({ items: [pkg(1), pkg(2, false), pkg(3)], next_cursor: null, total: 3 })
		);
		const packages = await listActivePackages(client);
		expect(packages.map((p) => p.name)).toEqual(['Home 10', 'Home 30']);
		expect(requests[0]?.pathname).toBe('/api/v1/packages');
		expect(requests[0]?.searchParams.get('active')).toBe('true');
		expect(requests[0]?.searchParams.get('limit')).toBe('100');
	});

	it('lists areas across pages', async () => {
		const area = (code: string) => ({
			id: code,
			code,
			name: code,
			city: 'Bandung',
			center: { lat: -6.9, lng: 107.6 },
			radius_m: 2500
		});
		const { client, requests } = clientWith((url) =>
			url.searchParams.get('cursor') === 'p2'
				? json({ items: [area('B')], next_cursor: null, total: 2 })
				: json({ items: [area('A')], next_cursor: 'p2', total: 2 })
		);
		const areas = await listAreas(client);
		expect(areas.map((a) => a.code)).toEqual(['A', 'B']);
		expect(requests.map((r) => r.searchParams.get('cursor'))).toEqual([null, 'p2']);
	});

	it('reads the system information', async () => {
		const { client } = clientWith(() =>
			json({ name: 'NetCrew', version: '0.1.0', default_locale: 'id', time_zone: 'Asia/Jakarta' })
		);
		await expect(getSystemInfo(client)).resolves.toMatchObject({ version: '0.1.0' });
	});

	it('turns a problem+json answer into an ApiError', async () => {
		const { client } = clientWith(() =>
			json(
				{
					type: '/problems/validation',
					title: 'Invalid query',
					status: 422,
					detail: 'limit must be between 1 and 500',
					errors: [{ field: 'limit', detail: 'must be at most 500' }]
				},
				422,
				'application/problem+json'
			)
		);
		const error = await listAreas(client).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ApiError);
		expect(error).toMatchObject({ kind: 'validation', status: 422 });
		expect((error as ApiError).fieldErrors).toHaveLength(1);
	});

	it('turns a non-JSON failure into an ApiError', async () => {
		const { client } = clientWith(
			() => new Response('upstream down', { status: 503, headers: { 'content-type': 'text/plain' } })
		);
		await expect(getSystemInfo(client)).rejects.toMatchObject({ kind: 'server', status: 503 });
	});

	it('turns a network failure into an ApiError', async () => {
		const { client } = clientWith(() => {
			throw new TypeError('fetch failed');
		});
		await expect(getSystemInfo(client)).rejects.toMatchObject({ kind: 'network', status: 0 });
	});

	it('unwrap passes data through', async () => {
		const response = json({ ok: true });
		await expect(unwrap(Promise.resolve({ data: { ok: true }, response }))).resolves.toEqual({
			ok: true
		});
	});
});

describe('session-aware client', () => {
	it('sends the CSRF token on writes only, and reports 401 outside sign-in', async () => {
		const seen: Request[] = [];
		let unauthenticated = 0;
		const client = createApiClient({
			baseUrl: 'http://netcrew.test',
			fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
				const request = new Request(input, init);
				seen.push(request);
				return json({ type: '/problems/unauthenticated', title: 'x', status: 401 }, 401, 'application/problem+json');
			},
			csrfToken: () => 'tok',
			onUnauthenticated: () => unauthenticated++
		});
		await client.GET('/api/v1/me');
		await client.PATCH('/api/v1/me', { body: { locale: 'en' } });
		await client.POST('/api/v1/auth/login', { body: { login: 'a', password: 'b' } });
		expect(seen.map((r) => r.headers.get('X-CSRF-Token'))).toEqual([null, 'tok', 'tok']);
		// The wrong-password 401 of the sign-in form is not an expired session.
		expect(unauthenticated).toBe(2);
	});

	it('keeps Retry-After on the error', async () => {
		const { client } = clientWith(
			() =>
				new Response(JSON.stringify({ type: '/problems/too-many-requests', title: 'x', status: 429 }), {
					status: 429,
					headers: { 'content-type': 'application/problem+json', 'retry-after': '120' }
				})
		);
		const error = await getSystemInfo(client).catch((e: unknown) => e);
		expect(error).toMatchObject({ kind: 'rate_limited', retryAfter: 120 });
	});
});
