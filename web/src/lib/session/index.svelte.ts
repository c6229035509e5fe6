/** The app's one session and the API client that carries its CSRF token. */
import { createApiClient } from '$lib/api/client';
import { setLocale } from '$lib/i18n/locale.svelte';
import { normaliseLocale } from '$lib/i18n/locale';
import { SessionStore } from './session.svelte';
import { offline } from '$lib/offline/sync.svelte';

function localStorageOrNull(): Storage | null {
	try {
		return typeof window === 'undefined' ? null : window.localStorage;
	} catch {
		return null;
	}
}

export const session = new SessionStore(() => authApi, {
	storage: localStorageOrNull,
	// The account's language wins over the device's.
	onUser(me) {
		const locale = normaliseLocale(me.locale);
		if (locale) setLocale(locale);
	}
});

/**
 * The client for everything done as the signed-in user. For a technician it
 * works without network: reads kept on the phone, actions queued
 * (`$lib/offline`).
 */
export const authApi = createApiClient({
	fetch: (request, init) => offline.fetch(request, init),
	csrfToken: () => session.csrfToken,
	onUnauthenticated: () => session.expired(),
	// Re-reading /me sets `totp_setup_required`; the console then leads to the profile.
	onTotpSetupRequired: () => void session.refresh().catch(() => undefined)
});

offline.configure({ csrf: () => session.csrfToken });
