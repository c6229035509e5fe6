/**
 * The active UI locale as Svelte state, wired into Paraglide.
 *
 * Paraglide's message functions call `getLocale()`; overwriting it with a
 * reader of `$state` makes every `m.something()` in a template reactive, so
 * switching language re-renders in place (no page reload) and keeps
 * in-flight data. The choice is persisted in localStorage and mirrored on
 * `<html lang>`.
 */
import { overwriteGetLocale, overwriteSetLocale } from '$lib/paraglide/runtime';
import { chooseLocale, readStoredLocale, storeLocale, type Locale } from './locale';

function browserStorage(): Storage | null {
	try {
		return typeof window === 'undefined' ? null : window.localStorage;
	} catch {
		// Accessing localStorage throws when storage is blocked.
		return null;
	}
}

let current = $state<Locale>(chooseLocale(readStoredLocale(browserStorage())));
/** True once the user picked a language (here or earlier); server defaults then no longer apply. */
let chosenByUser = readStoredLocale(browserStorage()) !== null;

function applyToDocument(locale: Locale): void {
	if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

overwriteGetLocale(() => current);
overwriteSetLocale((locale) => setLocale(locale));
applyToDocument(current);

export function getLocale(): Locale {
	return current;
}

/** Switches the UI language and remembers the choice. */
export function setLocale(locale: Locale): void {
	current = locale;
	chosenByUser = true;
	storeLocale(browserStorage(), locale);
	applyToDocument(locale);
}

/**
 * Applies the server's configured default language, unless the user has
 * already chosen one.
 */
export function applyServerDefault(serverDefault: string | null | undefined): void {
	if (chosenByUser) return;
	const locale = chooseLocale(null, serverDefault);
	if (locale !== current) {
		current = locale;
		applyToDocument(locale);
	}
}
