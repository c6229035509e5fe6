import { describe, expect, it } from 'vitest';
import { ApiError } from './api/problem';
import { RequestKey } from './request-key';

function keys() {
	let n = 0;
	return new RequestKey(() => `k${++n}`);
}

describe('Idempotency-Key of a form', () => {
	it('reuses the key for the same body, takes a new one for another', () => {
		const key = keys();
		expect(key.for('{"a":1}')).toBe('k1');
		expect(key.for('{"a":1}')).toBe('k1');
		expect(key.for('{"a":2}')).toBe('k2');
		expect(key.for('{"a":1}')).toBe('k3');
	});

	it('keeps the key after no answer (network, server failure), so a retry is answered once', () => {
		const key = keys();
		key.for('{}');
		key.failed(new TypeError('Failed to fetch'));
		expect(key.for('{}')).toBe('k1');
		key.failed(new ApiError('server', 503, null));
		expect(key.for('{}')).toBe('k1');
	});

	it('takes a new key after a refusal, so the next try is judged afresh', () => {
		const key = keys();
		key.for('{}');
		key.failed(new ApiError('conflict', 409, null));
		expect(key.for('{}')).toBe('k2');
		key.failed(new ApiError('validation', 422, null));
		expect(key.for('{}')).toBe('k3');
	});
});
