/**
 * Locale choice and persistence, free of Svelte and of the DOM so that it can
 * be unit-tested. Bahasa Indonesia is the default; English is the alternative.
 */

export const LOCALES = ['id', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'id';
export const STORAGE_KEY = 'netcrew.locale';

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Normalises a tag such as "en-US", "EN" or "id_ID" to a supported locale,
 * or returns null.
 */
export function normaliseLocale(tag: string | null | undefined): Locale | null {
	if (!tag) return null;
	const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
	// "in" is the legacy ISO 639 code for Indonesian, still sent by old Android.
	if (primary === 'in') return 'id';
	return isLocale(primary) ? primary : null;
}

/**
 * The locale to show: the user's stored choice if valid, else the server's
 * default, else Indonesian. The browser language is deliberately not used:
 * the product speaks Indonesian first.
 */
export function chooseLocale(
	stored: string | null | undefined,
	serverDefault?: string | null
): Locale {
	return normaliseLocale(stored) ?? normaliseLocale(serverDefault) ?? DEFAULT_LOCALE;
}

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** Reads the stored choice; storage may be missing or throw (private mode, disabled). */
export function readStoredLocale(storage: KeyValueStore | null | undefined): Locale | null {
	try {
		return normaliseLocale(storage?.getItem(STORAGE_KEY));
	} catch {
		return null;
	}
}

/** Persists the choice; returns false when it could not be saved. */
export function storeLocale(storage: KeyValueStore | null | undefined, locale: Locale): boolean {
	if (!storage) return false;
	try {
		storage.setItem(STORAGE_KEY, locale);
		return true;
	} catch {
		return false;
	}
}
