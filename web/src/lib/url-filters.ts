/** List filters kept in the page address, so a filtered list can be shared and survives going back. */
import { goto } from '$app/navigation';
import { page } from '$app/state';

/** Writes the filters into the current address (empty ones are left out) without a new history entry. */
export function rememberFilters(filters: Record<string, string>): void {
	const url = new URL(page.url);
	for (const [key, value] of Object.entries(filters)) {
		if (value) url.searchParams.set(key, value);
		else url.searchParams.delete(key);
	}
	if (url.search !== page.url.search) void goto(url, { replaceState: true, keepFocus: true, noScroll: true });
}
