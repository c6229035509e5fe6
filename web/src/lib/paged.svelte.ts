/**
 * A filtered, paginated list on screen: first page, "load more", a total,
 * and answers of superseded requests ignored (typing in a search box fires
 * many).
 */
import type { Page } from '$lib/api/types';
import { debounce } from '$lib/debounce';

export class PagedList<T extends { id: string }> {
	items: T[] = $state.raw([]);
	total = $state(0);
	/** False when `total` is a lower bound. */
	totalExact = $state(true);
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
			this.totalExact = page.total_exact !== false;
			this.nextCursor = page.next_cursor ?? null;
			this.loaded = true;
		} catch (e) {
			if (mine === this.#generation) this.error = e;
		} finally {
			if (mine === this.#generation) this.loading = false;
		}
	}

	/**
	 * Reloads the first page quietly, for live updates: no loading state, the
	 * rows on screen stay until the answer comes, and a failure keeps them.
	 * Pages loaded beyond the first are dropped.
	 */
	async refresh(): Promise<void> {
		if (!this.loaded || this.loading) return this.load();
		const mine = ++this.#generation;
		try {
			const page = await this.#fetch(undefined);
			if (mine !== this.#generation) return;
			this.items = page.items;
			this.total = page.total;
			this.totalExact = page.total_exact !== false;
			this.nextCursor = page.next_cursor ?? null;
		} catch {
			/* keep what is shown; the next change or a reload tries again */
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
			this.totalExact = page.total_exact !== false;
			this.nextCursor = page.next_cursor ?? null;
		} catch (e) {
			if (mine === this.#generation) this.error = e;
		} finally {
			this.loadingMore = false;
		}
	}
}

/**
 * A `PagedList` behind a search box and filters, as the console's list pages
 * have it: typing reloads once it pauses, a changed filter (or Enter) at once.
 */
export class FilteredList<T extends { id: string }> extends PagedList<T> {
	#search: ReturnType<typeof debounce<[]>>;
	#beforeReload: () => void;

	/** `beforeReload` runs before every reload the filters cause (e.g. to put them in the address). */
	constructor(
		fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
		options: { beforeReload?: () => void; delayMs?: number } = {}
	) {
		super(fetchPage);
		this.#beforeReload = options.beforeReload ?? (() => undefined);
		this.#search = debounce(() => this.#reload(), options.delayMs ?? 300);
	}

	#reload(): void {
		this.#beforeReload();
		void this.load();
	}

	/** The search text changed: reload when typing pauses. */
	typed = (): void => this.#search();

	/** A filter changed: reload now, dropping a pending search. */
	changed = (): void => {
		this.#search.cancel();
		this.#reload();
	};

	/** The search form was sent (Enter): run a pending search now. */
	submit = (event?: Event): void => {
		event?.preventDefault();
		this.#search.flush();
	};

	/** Loads the first page; the returned function (for `onMount`) drops a pending search. */
	start = (): (() => void) => {
		void this.load();
		return () => this.#search.cancel();
	};
}
