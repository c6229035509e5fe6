import { describe, expect, it } from 'vitest';
import { CUSTOMER_SORTS, readSort, sortParam } from './list-sort';

describe('list orders', () => {
	it('reads an order from the address, the default for anything unknown', () => {
		expect(readSort('name', CUSTOMER_SORTS)).toBe('name');
		expect(readSort('newest', CUSTOMER_SORTS)).toBe('newest');
		expect(readSort(null, CUSTOMER_SORTS)).toBe('number');
		expect(readSort('NAME', CUSTOMER_SORTS)).toBe('number');
		expect(readSort('oldest', CUSTOMER_SORTS)).toBe('number');
	});

	it('leaves the default order out of requests and addresses', () => {
		expect(sortParam('number', CUSTOMER_SORTS)).toBeUndefined();
		expect(sortParam('newest', CUSTOMER_SORTS)).toBe('newest');
	});
});
