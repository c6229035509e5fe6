import { describe, expect, it } from 'vitest';
import {
	chooseLocale,
	DEFAULT_LOCALE,
	normaliseLocale,
	readStoredLocale,
	STORAGE_KEY,
	storeLocale
} from './locale';

function memoryStorage(initial: Record<string, string> = {}) {
	const data = new Map(Object.entries(initial));
	return {
		data,
		getItem: (key: string) => data.get(key) ?? null,
		setItem: (key: string, value: string) => void data.set(key, value)
	};
}

const throwingStorage = {
	getItem: (): string | null => {
		throw new DOMException('denied', 'SecurityError');
	},
	setItem: (): void => {
		throw new DOMException('full', 'QuotaExceededError');
	}
};

describe('normaliseLocale', () => {
	it('accepts supported tags in any case or region', () => {
		expect(normaliseLocale('id')).toBe('id');
		expect(normaliseLocale('id-ID')).toBe('id');
		expect(normaliseLocale('EN')).toBe('en');
		expect(normaliseLocale('en_GB')).toBe('en');
		expect(normaliseLocale(' en-US ')).toBe('en');
	});

	it('maps the legacy Indonesian code "in" to "id"', () => {
		expect(normaliseLocale('in-ID')).toBe('id');
	});

	it('rejects everything else', () => {
		expect(normaliseLocale('jv')).toBeNull();
		expect(normaliseLocale('')).toBeNull();
		expect(normaliseLocale(null)).toBeNull();
		expect(normaliseLocale(undefined)).toBeNull();
	});
});

describe('chooseLocale', () => {
	it('defaults to Bahasa Indonesia', () => {
		expect(DEFAULT_LOCALE).toBe('id');
		expect(chooseLocale(null)).toBe('id');
		expect(chooseLocale('fr')).toBe('id');
	});

	it("prefers the user's stored choice over the server default", () => {
		expect(chooseLocale('en', 'id')).toBe('en');
		expect(chooseLocale('id', 'en')).toBe('id');
	});

	it('falls back to the server default when nothing valid is stored', () => {
		expect(chooseLocale(null, 'en')).toBe('en');
		expect(chooseLocale('xx', 'en-US')).toBe('en');
		expect(chooseLocale(null, 'de')).toBe('id');
	});
});

describe('persistence', () => {
	it('round-trips the choice under a namespaced key', () => {
		const storage = memoryStorage();
		expect(readStoredLocale(storage)).toBeNull();
		expect(storeLocale(storage, 'en')).toBe(true);
		expect(storage.data.get(STORAGE_KEY)).toBe('en');
		expect(readStoredLocale(storage)).toBe('en');
	});

	it('ignores a stored value that is not a supported locale', () => {
		expect(readStoredLocale(memoryStorage({ [STORAGE_KEY]: 'klingon' }))).toBeNull();
	});

	it('survives missing or failing storage', () => {
		expect(readStoredLocale(null)).toBeNull();
		expect(readStoredLocale(throwingStorage)).toBeNull();
		expect(storeLocale(null, 'en')).toBe(false);
		expect(storeLocale(throwingStorage, 'en')).toBe(false);
	});
});
