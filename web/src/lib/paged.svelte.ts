/**
 * A filtered, paginated list on screen: first page, "load more", a total,
 * and answers of superseded requests ignored (typing in a search box fires
 * many).
 */
import type { Page } from '$lib/api/types';

export class PagedList<T extends { id: string }> {
	items: T[] = $state.raw([]);
	total = $state(0);
	nextCursor: string | null = $state(null);
	loading = $state(true);
	loadingMore = $state(false);
	error: unknown = $state.raw(null);
	/** True once a first page has arrived. */
	loaded = $state(false);

	#fetch: (cursor: string | undefined) => Promise<Page<T>>;
	#generation = 0;

	constructor(fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
		this.#fetch = fetchPage;
	}

	async load(): Promise<void> {
		const mine = ++this.#generation;
		this.loading = true;
		this.error = null;
		try {
			const page = await this.#fetch(undefined);
			if (mine !== this.#generation) return;
			this.items = page.items;
			this.total = page.total;
			this.nextCursor = page.next_cursor ?? null;
			this.loaded = true;
		} catch (e) {
			if (mine === this.#generation) this.error = e;
		} finally {
			if (mine === this.#generation) this.loading = false;
		}
	}

	async loadMore(): Promise<void> {
		if (!this.nextCursor || this.loadingMore) return;
		const mine = this.#generation;
		this.loadingMore = true;
		try {
			const page = await this.#fetch(this.nextCursor);
			if (mine !== this.#generation) return;
			const seen = new Set(this.items.map((i) => i.id));
			this.items = [...this.items, ...page.items.filter((i) => !seen.has(i.id))];
			this.total = page.total;
			this.nextCursor = page.next_cursor ?? null;
		} catch (e) {
			if (mine === this.#generation) this.error = e;
		} finally {
			this.loadingMore = false;
		}
	}
}
