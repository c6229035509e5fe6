import { describe, expect, it } from 'vitest';
import { eachLimited } from './outages';

describe('asking row by row', () => {
	it('does every item with no more than the limit at once, and a failure stops none', async () => {
		let running = 0;
		let most = 0;
		const done: number[] = [];
		await eachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
			running++;
			most = Math.max(most, running);
			await new Promise((r) => setTimeout(r, 5));
			running--;
			if (n === 4) throw new Error('no');
			done.push(n);
		});
		expect(most).toBe(3);
		expect(done.sort()).toEqual([1, 2, 3, 5, 6, 7]);
	});

	it('does nothing for nothing', async () => {
		let calls = 0;
		await eachLimited([], 4, async () => void calls++);
		expect(calls).toBe(0);
	});
});
