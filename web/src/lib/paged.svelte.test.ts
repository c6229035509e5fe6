import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FilteredList } from './paged.svelte';

type Row = { id: string };

describe('a filtered list page', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	function setup() {
		const fetches: (string | undefined)[] = [];
		const remembered: number[] = [];
		const list = new FilteredList<Row>(
			async (cursor) => {
				fetches.push(cursor);
				return cursor
					? { items: [{ id: 'b' }, { id: 'a' }], total: 2, next_cursor: null }
					: { items: [{ id: 'a' }], total: 2, next_cursor: 'next' };
			},
			{ beforeReload: () => remembered.push(fetches.length) }
		);
		return { list, fetches, remembered };
	}

	it('loads once on start, without remembering filters', async () => {
		const { list, fetches, remembered } = setup();
		const stop = list.start();
		await vi.runAllTimersAsync();
		expect(fetches).toEqual([undefined]);
		expect(remembered).toEqual([]);
		expect(list.items.map((r) => r.id)).toEqual(['a']);
		stop();
	});

	it('searches once typing pauses; a filter change or Enter reloads at once', async () => {
		const { list, fetches, remembered } = setup();
		list.typed();
		list.typed();
		list.typed();
		expect(fetches).toEqual([]);
		await vi.advanceTimersByTimeAsync(300);
		expect(fetches).toEqual([undefined]);
		expect(remembered).toEqual([0]);

		list.typed();
		list.changed();
		await vi.advanceTimersByTimeAsync(1000);
		expect(fetches).toHaveLength(2);

		list.typed();
		const event = new Event('submit', { cancelable: true });
		list.submit(event);
		expect(event.defaultPrevented).toBe(true);
		await vi.runAllTimersAsync();
		expect(fetches).toHaveLength(3);
	});

	it('drops a pending search when the page closes, and loads more without duplicates', async () => {
		const { list, fetches } = setup();
		const stop = list.start();
		await vi.runAllTimersAsync();
		list.typed();
		stop();
		await vi.advanceTimersByTimeAsync(1000);
		expect(fetches).toEqual([undefined]);
		await list.loadMore();
		expect(fetches).toEqual([undefined, 'next']);
		expect(list.items.map((r) => r.id)).toEqual(['a', 'b']);
		expect(list.nextCursor).toBeNull();
	});
});
