import { describe, expect, it } from 'vitest';
import {
	ApiError,
	apiErrorFromResponse,
	describeError,
	errorKind,
	parseProblem,
	toApiError,
	type ErrorMessages
} from './problem';

const messages: ErrorMessages = {
	network: 'network',
	bad_request: 'bad request',
	unauthorized: 'unauthorized',
	forbidden: 'forbidden',
	not_found: 'not found',
	conflict: 'conflict',
	validation: 'validation',
	rate_limited: 'rate limited',
	server: 'server',
	unknown: 'unknown'
};

describe('parseProblem', () => {
	it('reads an RFC 9457 problem', () => {
		expect(
			parseProblem({
				type: '/problems/not-found',
				title: 'Not found',
				status: 404,
				detail: 'No package with id 42'
			})
		).toEqual({
			type: '/problems/not-found',
			title: 'Not found',
			status: 404,
			detail: 'No package with id 42',
			instance: null,
			errors: null
		});
	});

	it('keeps well-formed field errors and drops malformed ones', () => {
		const problem = parseProblem({
			type: '/problems/validation',
			title: 'Invalid input',
			status: 422,
			errors: [{ field: 'limit', detail: 'must be at most 500' }, { field: 3 }, 'nonsense']
		});
		expect(problem?.errors).toEqual([{ field: 'limit', detail: 'must be at most 500' }]);
	});

	it('parses a problem that arrived as text', () => {
		const problem = parseProblem('{"title":"Conflict","status":409}');
		expect(problem?.title).toBe('Conflict');
		expect(problem?.type).toBe('about:blank');
	});

	it('uses the HTTP status when the body has none', () => {
		expect(parseProblem({ title: 'Oops' }, 503)?.status).toBe(503);
	});

	it('returns null for bodies that are not problems', () => {
		expect(parseProblem(undefined)).toBeNull();
		expect(parseProblem('<html>Bad Gateway</html>')).toBeNull();
		expect(parseProblem('{not json')).toBeNull();
		expect(parseProblem([1, 2])).toBeNull();
		expect(parseProblem({ items: [] })).toBeNull();
	});
});

describe('errorKind', () => {
	it('prefers the stable problem type', () => {
		expect(errorKind(400, '/problems/validation')).toBe('validation');
		expect(errorKind(400, '/problems/conflict')).toBe('conflict');
	});

	it('falls back to the status code', () => {
		expect(errorKind(0)).toBe('network');
		expect(errorKind(400)).toBe('bad_request');
		expect(errorKind(401)).toBe('unauthorized');
		expect(errorKind(403)).toBe('forbidden');
		expect(errorKind(404, 'about:blank')).toBe('not_found');
		expect(errorKind(412)).toBe('conflict');
		expect(errorKind(422)).toBe('validation');
		expect(errorKind(429)).toBe('rate_limited');
		expect(errorKind(502)).toBe('server');
		expect(errorKind(418)).toBe('unknown');
	});
});

describe('ApiError', () => {
	it('is built from a problem response', () => {
		const err = apiErrorFromResponse(
			{ status: 422 },
			{
				type: '/problems/validation',
				title: 'Invalid',
				status: 422,
				errors: [{ field: 'q', detail: 'too long' }]
			}
		);
		expect(err).toBeInstanceOf(ApiError);
		expect(err.kind).toBe('validation');
		expect(err.status).toBe(422);
		expect(err.fieldErrors).toEqual([{ field: 'q', detail: 'too long' }]);
	});

	it('is built from a non-problem response', () => {
		const err = apiErrorFromResponse({ status: 502 }, '<html>Bad Gateway</html>');
		expect(err.kind).toBe('server');
		expect(err.problem).toBeNull();
		expect(err.fieldErrors).toEqual([]);
	});

	it('wraps a network failure', () => {
		const cause = new TypeError('Failed to fetch');
		const err = toApiError(cause);
		expect(err.kind).toBe('network');
		expect(err.status).toBe(0);
		expect(err.cause).toBe(cause);
		expect(toApiError(err)).toBe(err);
	});
});

describe('field error params', () => {
	it('keeps the values a field error mentions, and drops params that are not an object', () => {
		const problem = parseProblem({
			type: '/problems/validation',
			title: 'Invalid input',
			status: 422,
			errors: [
				{ field: 'name', code: 'length', detail: 'at most 60 characters', params: { max: 60 } },
				{ field: 'notes', code: 'length', detail: 'too long', params: 'max 60' }
			]
		});
		expect(problem?.errors).toEqual([
			{ field: 'name', code: 'length', detail: 'at most 60 characters', params: { max: 60 } },
			{ field: 'notes', code: 'length', detail: 'too long' }
		]);
	});
});

describe('describeError', () => {
	it('shows the translated headline with the server detail below', () => {
		const err = apiErrorFromResponse(
			{ status: 404 },
			{ type: '/problems/not-found', title: 'Not Found', status: 404, detail: 'No such area' }
		);
		expect(describeError(err, messages)).toEqual({
			title: 'not found',
			detail: 'No such area',
			fields: [],
			status: 404
		});
	});

	it('tells a refusal in its own words only, never the server\'s English detail', () => {
		const err = apiErrorFromResponse(
			{ status: 403 },
			{ type: '/problems/forbidden', title: 'Forbidden', status: 403, detail: 'Your role (cs) may not do this (users.read)' }
		);
		expect(describeError(err, messages)).toEqual({ title: 'forbidden', detail: null, fields: [], status: 403 });
		// By status too, when the body is not a problem.
		expect(describeError(apiErrorFromResponse({ status: 403 }, { detail: 'nope' }), messages).detail).toBeNull();
	});

	it('omits an empty detail', () => {
		const err = apiErrorFromResponse({ status: 500 }, { title: 'Internal', status: 500, detail: '  ' });
		expect(describeError(err, messages).detail).toBeNull();
	});

	it('describes anything thrown as a network failure', () => {
		expect(describeError(new Error('boom'), messages)).toMatchObject({
			title: 'network',
			status: 0
		});
	});
});

describe('parseRetryAfter', () => {
	it('reads seconds and HTTP dates', async () => {
		const { parseRetryAfter } = await import('./problem');
		expect(parseRetryAfter('120')).toBe(120);
		expect(parseRetryAfter(null)).toBeNull();
		expect(parseRetryAfter('soon')).toBeNull();
		const now = Date.parse('2026-11-25T12:00:00Z');
		expect(parseRetryAfter('Wed, 25 Nov 2026 12:02:00 GMT', now)).toBe(120);
	});
});

describe('what a refusal allows instead', () => {
	it('keeps `allowed` when the server sends it, and only its strings', () => {
		expect(parseProblem({ type: '/problems/transition-not-allowed', title: 'Not possible now', status: 409, allowed: ['unassign', 3, 'keep'] })?.allowed).toEqual([
			'unassign',
			'keep'
		]);
		expect(parseProblem({ type: '/problems/conflict', title: 'Conflict', status: 409 })).not.toHaveProperty('allowed');
	});
});
