/**
 * The signed-in user (`GET /api/v1/me`) as Svelte state, and the CSRF token
 * every write must carry. The session itself is an HttpOnly cookie the app
 * never sees; this store only knows what `/me` said.
 *
 * A small hint in localStorage ("there was a session") lets public pages skip
 * the `/me` request for visitors who never signed in; pages that need a
 * session always ask the server.
 */
import { ApiError } from '$lib/api/problem';
import { unwrap, unwrapEmpty, type ApiClient } from '$lib/api/client';
import type { Me } from '$lib/api/types';

export type SessionStatus = 'unknown' | 'loading' | 'signed_in' | 'signed_out';

export const HINT_KEY = 'netcrew.session';

type HintStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface SessionOptions {
	/** Where the "was signed in" hint is kept; null disables it. */
	storage?: () => HintStorage | null;
	/** Called whenever a user is known: after sign-in or on restoring the session. */
	onUser?: (me: Me, how: 'sign_in' | 'restore') => void;
}

export class SessionStore {
	status: SessionStatus = $state('unknown');
	me: Me | null = $state.raw(null);

	#client: () => ApiClient;
	#options: SessionOptions;
	#pending: Promise<Me | null> | null = null;
	#generation = 0;

	constructor(client: () => ApiClient, options: SessionOptions = {}) {
		this.#client = client;
		this.#options = options;
	}

	get csrfToken(): string | null {
		return this.me?.csrf_token ?? null;
	}

	get permissions(): readonly string[] {
		return this.me?.permissions ?? [];
	}

	#hint(): boolean {
		try {
			return this.#options.storage?.()?.getItem(HINT_KEY) === '1';
		} catch {
			return false;
		}
	}

	#setHint(on: boolean): void {
		try {
			const storage = this.#options.storage?.();
			if (on) storage?.setItem(HINT_KEY, '1');
			else storage?.removeItem(HINT_KEY);
		} catch {
			// Storage blocked: the hint is only an optimisation.
		}
	}

	#signedIn(me: Me, how: 'sign_in' | 'restore'): void {
		this.me = me;
		this.status = 'signed_in';
		this.#setHint(true);
		this.#options.onUser?.(me, how);
	}

	#signedOut(): void {
		this.me = null;
		this.status = 'signed_out';
		this.#setHint(false);
	}

	/**
	 * The signed-in user, asking the server once (concurrent callers share the
	 * request). Null when signed out. Network and server failures are thrown.
	 */
	ensure(): Promise<Me | null> {
		if (this.status === 'signed_in') return Promise.resolve(this.me);
		if (this.status === 'signed_out') return Promise.resolve(null);
		return this.refresh();
	}

	/** Re-reads `/me` (e.g. on app start). */
	refresh(): Promise<Me | null> {
		if (this.#pending) return this.#pending;
		const generation = ++this.#generation;
		if (this.status === 'unknown') this.status = 'loading';
		const pending = this.#fetchMe(generation).finally(() => {
			if (this.#pending === pending) this.#pending = null;
		});
		this.#pending = pending;
		return pending;
	}

	async #fetchMe(generation: number): Promise<Me | null> {
		try {
			const me = await unwrap(this.#client().GET('/api/v1/me'));
			if (generation === this.#generation) this.#signedIn(me, 'restore');
			return me;
		} catch (error) {
			if (error instanceof ApiError && error.status === 401) {
				if (generation === this.#generation) this.#signedOut();
				return null;
			}
			if (generation === this.#generation && this.status === 'loading') this.status = 'unknown';
			throw error;
		}
	}

	/**
	 * For public pages: restores the session only if this browser had one,
	 * so anonymous visitors cause no `/me` request. Errors are swallowed.
	 */
	async restoreIfHinted(): Promise<void> {
		if (this.status !== 'unknown' || !this.#hint()) return;
		await this.refresh().catch(() => undefined);
	}

	/**
	 * Signs in; throws the ApiError (invalid credentials, throttled, validation,
	 * or `/problems/totp-required` when the account needs its second factor:
	 * then call again with `totp_code` or `recovery_code`).
	 */
	async signIn(
		login: string,
		password: string,
		secondFactor: { totp_code?: string; recovery_code?: string } = {}
	): Promise<Me> {
		++this.#generation;
		this.#pending = null;
		const me = await unwrap(
			this.#client().POST('/api/v1/auth/login', {
				body: {
					login,
					password,
					...(secondFactor.totp_code ? { totp_code: secondFactor.totp_code } : {}),
					...(secondFactor.recovery_code ? { recovery_code: secondFactor.recovery_code } : {})
				}
			})
		);
		this.#signedIn(me, 'sign_in');
		return me;
	}

	/**
	 * Signs a customer in with the one-time code sent by WhatsApp to `phone`
	 * (`POST /api/v1/auth/code` asked for it); throws the ApiError (401 for a
	 * wrong, used or expired code, 422, 429).
	 */
	async signInWithCode(phone: string, code: string): Promise<Me> {
		++this.#generation;
		this.#pending = null;
		const me = await unwrap(this.#client().POST('/api/v1/auth/code/sign-in', { body: { phone, code } }));
		this.#signedIn(me, 'sign_in');
		return me;
	}

	/** Signs out on the server (a session that already ended is fine) and forgets the user. */
	async signOut(): Promise<void> {
		++this.#generation;
		try {
			await unwrapEmpty(this.#client().POST('/api/v1/auth/logout'));
		} catch (error) {
			if (!(error instanceof ApiError && error.status === 401)) throw error;
		} finally {
			this.#pending = null;
		}
		this.#signedOut();
	}

	/** The server said the session is gone (401 on any call). */
	expired(): void {
		if (this.status === 'signed_out') return;
		++this.#generation;
		this.#pending = null;
		this.#signedOut();
	}

	/** A fresh `Me` from `PATCH /me`. */
	update(me: Me): void {
		this.me = me;
		this.status = 'signed_in';
	}
}
