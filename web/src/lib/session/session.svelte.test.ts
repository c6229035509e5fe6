import { describe, expect, it } from 'vitest';
import { createApiClient } from '$lib/api/client';
import { ApiError } from '$lib/api/problem';
import { HINT_KEY, SessionStore } from './session.svelte';

const ME = {
	id: '018c0b8a-ff8c-7aff-8145-2d718f1099d3',
	name: 'Ayu Sopian',
	email: 'admin1@fibernusa.example',
	phone: null,
	role: 'admin',
	locale: 'en',
	team_ids: [] as string[],
	area_ids: [] as string[],
	customer_id: null,
	permissions: ['profile.manage', 'users.read'],
	csrf_token: 'csrf-1',
	session_expires_at: '2026-11-26T00:00:00Z',
	totp_enabled: false,
	totp_setup_required: false
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
	return new Response(JSON.stringify(body), {
		status,
		headers: {
			'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
			...headers
		}
	});
}

const unauthenticated = () =>
	json({ type: '/problems/unauthenticated', title: 'Sign-in required', status: 401, detail: 'Sign in first.' }, 401);

function memoryStorage() {
	const data = new Map<string, string>();
	return {
		data,
		getItem: (k: string) => data.get(k) ?? null,
		setItem: (k: string, v: string) => void data.set(k, v),
		removeItem: (k: string) => void data.delete(k)
	};
}

/** A store over a fake server; `routes` answers by "METHOD /path". */
function setup(routes: Record<string, (request: Request) => Response | Promise<Response>>) {
	const requests: Request[] = [];
	const storage = memoryStorage();
	const users: { how: string; me: typeof ME }[] = [];
	// The client reads the store's token and reports 401s to it, as in the app.
	let store: SessionStore;
	const client = createApiClient({
		baseUrl: 'http://netcrew.test',
		fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
			const request = new Request(input, init);
			requests.push(request);
			const key = `${request.method} ${new URL(request.url).pathname}`;
			const handler = routes[key];
			return handler ? handler(request) : json({ title: 'Not found', status: 404 }, 404);
		},
		csrfToken: () => store.csrfToken,
		onUnauthenticated: () => store.expired()
	});
	store = new SessionStore(() => client, {
		storage: () => storage,
		onUser: (me, how) => users.push({ how, me: me as typeof ME })
	});
	return { store, requests, storage, users };
}

describe('SessionStore', () => {
	it('restores the session from /me and keeps the CSRF token in memory', async () => {
		const { store, storage, users } = setup({ 'GET /api/v1/me': () => json(ME) });
		expect(store.status).toBe('unknown');
		const me = await store.ensure();
		expect(me?.name).toBe('Ayu Sopian');
		expect(store.status).toBe('signed_in');
		expect(store.csrfToken).toBe('csrf-1');
		expect(storage.data.get(HINT_KEY)).toBe('1');
		expect(users).toEqual([{ how: 'restore', me: ME }]);
	});

	it('is signed out on 401 and forgets the hint', async () => {
		const { store, storage } = setup({ 'GET /api/v1/me': unauthenticated });
		storage.setItem(HINT_KEY, '1');
		expect(await store.ensure()).toBeNull();
		expect(store.status).toBe('signed_out');
		expect(storage.data.has(HINT_KEY)).toBe(false);
		// Known now: no second request.
		expect(await store.ensure()).toBeNull();
	});

	it('asks the server once for concurrent callers', async () => {
		const { store, requests } = setup({ 'GET /api/v1/me': () => json(ME) });
		const [a, b] = await Promise.all([store.ensure(), store.ensure()]);
		expect(a).toEqual(b);
		expect(requests).toHaveLength(1);
	});

	it('throws network failures and stays unknown so a retry asks again', async () => {
		let up = false;
		const { store, requests } = setup({
			'GET /api/v1/me': () => {
				if (!up) throw new TypeError('Failed to fetch');
				return json(ME);
			}
		});
		await expect(store.ensure()).rejects.toMatchObject({ kind: 'network' });
		expect(store.status).toBe('unknown');
		up = true;
		expect((await store.ensure())?.id).toBe(ME.id);
		expect(requests).toHaveLength(2);
	});

	it('skips /me on public pages when this browser never signed in', async () => {
		const { store, requests, storage } = setup({ 'GET /api/v1/me': () => json(ME) });
		await store.restoreIfHinted();
		expect(requests).toHaveLength(0);
		expect(store.status).toBe('unknown');
		storage.setItem(HINT_KEY, '1');
		await store.restoreIfHinted();
		expect(store.status).toBe('signed_in');
	});

	it('signs in, sends the CSRF token on writes only, and signs out', async () => {
		const { store, requests, users, storage } = setup({
			'POST /api/v1/auth/login': () => json(ME),
			'GET /api/v1/me/sessions': () => json({ items: [], next_cursor: null, total: 0 }),
			'POST /api/v1/auth/logout': () => new Response(null, { status: 204 })
		});
		const me = await store.signIn('admin1@fibernusa.example', 'secret');
		expect(me.role).toBe('admin');
		expect(users.map((u) => u.how)).toEqual(['sign_in']);
		const login = requests[0]!;
		expect(await login.clone().json()).toEqual({ login: 'admin1@fibernusa.example', password: 'secret' });
		// No token yet at sign-in.
		expect(login.headers.get('X-CSRF-Token')).toBeNull();

		await store.signOut();
		const logout = requests.at(-1)!;
		expect(logout.headers.get('X-CSRF-Token')).toBe('csrf-1');
		expect(store.status).toBe('signed_out');
		expect(store.me).toBeNull();
		expect(storage.data.has(HINT_KEY)).toBe(false);
	});

	it('keeps the wrong-password answer as an ApiError and stays signed out', async () => {
		const { store } = setup({
			'POST /api/v1/auth/login': () =>
				json({ type: '/problems/invalid-credentials', title: 'Sign-in failed', status: 401, detail: 'Login or password is wrong.' }, 401)
		});
		const error = await store.signIn('x', 'y').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).type).toBe('/problems/invalid-credentials');
		expect(store.status).toBe('unknown');
	});

	it('reads Retry-After when sign-in is throttled', async () => {
		const { store } = setup({
			'POST /api/v1/auth/login': () =>
				json(
					{ type: '/problems/too-many-requests', title: 'Too many attempts', status: 429, detail: 'Try again in 14 minutes.' },
					429,
					{ 'Retry-After': '812' }
				)
		});
		const error = (await store.signIn('x', 'y').catch((e: unknown) => e)) as ApiError;
		expect(error.kind).toBe('rate_limited');
		expect(error.retryAfter).toBe(812);
	});

	it('signs a customer in with a WhatsApp code; a wrong code is a sign-in failure, not an ended session', async () => {
		const customer = { ...ME, role: 'customer', locale: 'id', phone: '+6281234567890', email: null, customer_id: 'c1' };
		let right = false;
		const { store, requests, users, storage } = setup({
			'GET /api/v1/me': () => json(ME),
			'POST /api/v1/auth/code/sign-in': () =>
				right
					? json(customer)
					: json({ type: '/problems/invalid-credentials', title: 'Sign-in failed', status: 401, detail: 'The code is wrong.' }, 401)
		});
		// Signed in as someone else on this browser: a wrong code does not sign them out.
		await store.ensure();
		const error = (await store.signInWithCode('0812 3456 7890', '000000').catch((e: unknown) => e)) as ApiError;
		expect(error).toBeInstanceOf(ApiError);
		expect(error.type).toBe('/problems/invalid-credentials');
		expect(store.status).toBe('signed_in');
		expect(store.me?.role).toBe('admin');
		right = true;
		const me = await store.signInWithCode('0812 3456 7890', '123456');
		expect(me.role).toBe('customer');
		expect(store.me?.role).toBe('customer');
		expect(users.map((u) => u.how)).toEqual(['restore', 'sign_in']);
		expect(await requests.at(-1)!.clone().json()).toEqual({ phone: '0812 3456 7890', code: '123456' });
		expect(storage.data.get(HINT_KEY)).toBe('1');
	});

	it('notices a session that ended on the server (401 on any call)', async () => {
		const { store } = setup({
			'GET /api/v1/me': () => json(ME),
			'GET /api/v1/me/sessions': unauthenticated
		});
		await store.ensure();
		expect(store.status).toBe('signed_in');
		// Any 401 through the shared client ends the session in the store.
		const client = createApiClient({
			baseUrl: 'http://netcrew.test',
			fetch: async () => unauthenticated(),
			onUnauthenticated: () => store.expired()
		});
		await client.GET('/api/v1/me/sessions');
		expect(store.status).toBe('signed_out');
		expect(store.csrfToken).toBeNull();
	});

	it('treats signing out of an already-ended session as done', async () => {
		const { store } = setup({
			'GET /api/v1/me': () => json(ME),
			'POST /api/v1/auth/logout': unauthenticated
		});
		await store.ensure();
		await store.signOut();
		expect(store.status).toBe('signed_out');
	});
});
