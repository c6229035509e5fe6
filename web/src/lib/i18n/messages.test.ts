import { describe, expect, it } from 'vitest';
import en from './en.json';
import id from './id.json';

type Catalogue = Record<string, string>;

/** Variables used in a message, e.g. "{version}". */
function placeholders(text: string): string[] {
	return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
}

const catalogues: Record<string, Catalogue> = { id, en };
const keys = (c: Catalogue) => Object.keys(c).filter((k) => k !== '$schema');

describe('message catalogues', () => {
	it('have the same keys in Indonesian and English', () => {
		expect(keys(en).sort()).toEqual(keys(id).sort());
	});

	it.each(Object.entries(catalogues))('%s has no empty message', (_, catalogue) => {
		for (const key of keys(catalogue)) expect(catalogue[key]?.trim(), key).toBeTruthy();
	});

	it('use the same variables in both languages', () => {
		for (const key of keys(id)) {
			expect(placeholders((en as Catalogue)[key] ?? ''), key).toEqual(
				placeholders((id as Catalogue)[key] ?? '')
			);
		}
	});

	it('use keys that Paraglide can turn into functions', () => {
		for (const key of keys(id)) expect(key).toMatch(/^[a-z][a-z0-9_]*$/);
	});
});
