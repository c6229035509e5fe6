/**
 * Named ticket-list filters a person keeps on this device (localStorage):
 * "Gangguan P1 Coblong" is one click away tomorrow. Each is the list's
 * address query; reading is forgiving, since storage may hold anything.
 */
export interface SavedFilter {
	name: string;
	/** The list's query string without `?` (`status=new&priority=urgent`). */
	query: string;
}

export const MAX_SAVED = 20;
export const MAX_NAME = 60;

type Reader = Pick<Storage, 'getItem'>;
type Writer = Pick<Storage, 'setItem'>;

/** The saved filters under `key`; nothing (never an error) when storage is empty, blocked or garbled. */
export function readSaved(storage: Reader | null | undefined, key: string): SavedFilter[] {
	let raw: string | null = null;
	try {
		raw = storage?.getItem(key) ?? null;
	} catch {
		return [];
	}
	if (!raw) return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		return [];
	}
	if (!Array.isArray(parsed)) return [];
	const out: SavedFilter[] = [];
	for (const item of parsed) {
		if (item && typeof item === 'object' && typeof item.name === 'string' && typeof item.query === 'string') {
			const name = item.name.trim();
			if (name && !out.some((s) => sameName(s.name, name))) out.push({ name, query: item.query });
		}
	}
	return out.slice(0, MAX_SAVED);
}

/** Writes the list; false when storage refuses (private mode, full). */
export function writeSaved(storage: Writer | null | undefined, key: string, list: readonly SavedFilter[]): boolean {
	try {
		storage?.setItem(key, JSON.stringify(list));
		return !!storage;
	} catch {
		return false;
	}
}

function sameName(a: string, b: string): boolean {
	return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

/** The list with `name` saved as `query`: a filter of the same name is replaced in place, a new one goes last. */
export function withSaved(list: readonly SavedFilter[], name: string, query: string): SavedFilter[] {
	const clean = name.trim().slice(0, MAX_NAME);
	if (!clean) return [...list];
	const at = list.findIndex((s) => sameName(s.name, clean));
	if (at >= 0) return list.map((s, i) => (i === at ? { name: clean, query } : s));
	return [...list, { name: clean, query }].slice(-MAX_SAVED);
}

export function withoutSaved(list: readonly SavedFilter[], name: string): SavedFilter[] {
	return list.filter((s) => !sameName(s.name, name));
}

/** A query string of the filters that are set, keys in a fixed order, so equal filters compare equal. */
export function filterQuery(filters: Record<string, string>): string {
	const params = new URLSearchParams();
	for (const key of Object.keys(filters).sort()) {
		const value = filters[key]?.trim();
		if (value) params.set(key, value);
	}
	return params.toString();
}
