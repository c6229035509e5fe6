import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

describe('debounce', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('calls once with the last arguments after the pause', () => {
		const calls: string[] = [];
		const search = debounce((q: string) => calls.push(q), 300);
		search('b');
		search('bu');
		vi.advanceTimersByTime(299);
		search('bud');
		vi.advanceTimersByTime(299);
		expect(calls).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(calls).toEqual(['bud']);
	});

	it('can be cancelled or flushed', () => {
		const calls: string[] = [];
		const search = debounce((q: string) => calls.push(q), 300);
		search('x');
		search.cancel();
		vi.advanceTimersByTime(1000);
		expect(calls).toEqual([]);
		search('y');
		search.flush();
		expect(calls).toEqual(['y']);
		search.flush();
		expect(calls).toEqual(['y']);
	});
});
