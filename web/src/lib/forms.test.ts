import { describe, expect, it } from 'vitest';
import { apiErrorFromResponse } from './api/problem';
import { firstErrorField, formErrors, matchField } from './forms';

const validation = (errors: { field: string; detail: string }[]) =>
	apiErrorFromResponse(
		{ status: 422 },
		{ type: '/problems/validation', title: 'Invalid input', status: 422, detail: 'x', errors }
	);

describe('problem field errors in forms', () => {
	const FIELDS = ['name', 'email', 'team_ids', 'location'] as const;

	it('puts each message next to its field', () => {
		const errors = formErrors(
			validation([
				{ field: 'email', detail: 'is not an e-mail address' },
				{ field: 'name', detail: 'enter a name' }
			]),
			FIELDS
		);
		expect(errors.fields).toEqual({ email: 'is not an e-mail address', name: 'enter a name' });
		expect(errors.other).toEqual([]);
		expect(firstErrorField(errors, FIELDS)).toBe('name');
	});

	it('maps nested and indexed fields to their root and joins repeated ones', () => {
		expect(matchField('team_ids[1]', FIELDS)).toBe('team_ids');
		expect(matchField('location.lat', FIELDS)).toBe('location');
		expect(matchField('names', FIELDS)).toBeNull();
		const errors = formErrors(
			validation([
				{ field: 'team_ids[0]', detail: 'no such team' },
				{ field: 'team_ids[2]', detail: 'no such team either' }
			]),
			FIELDS
		);
		expect(errors.fields.team_ids).toBe('no such team; no such team either');
	});

	it('keeps errors for fields the form does not have', () => {
		const errors = formErrors(validation([{ field: 'cursor', detail: 'bad cursor' }]), FIELDS);
		expect(errors.fields).toEqual({});
		expect(errors.other).toEqual([{ field: 'cursor', detail: 'bad cursor' }]);
	});

	it('has nothing for no error, a network failure or a conflict', () => {
		expect(formErrors(null, FIELDS)).toEqual({ fields: {}, other: [] });
		expect(formErrors(new TypeError('Failed to fetch'), FIELDS)).toEqual({ fields: {}, other: [] });
		expect(
			formErrors(apiErrorFromResponse({ status: 409 }, { type: '/problems/conflict', title: 'Conflict', status: 409 }), FIELDS)
		).toEqual({ fields: {}, other: [] });
	});
});
