import { describe, expect, it } from 'vitest';
import { apiErrorFromResponse } from './api/problem';
import { fingerprint, firstErrorField, formErrors, matchField, withoutEdited } from './forms';
import id from './i18n/id.json';

const validation = (errors: { field: string; code?: string; detail: string }[]) =>
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

	it('has no field messages for no error, a network failure or a conflict; the latter two need the panel', () => {
		expect(formErrors(null, FIELDS)).toEqual({ fields: {}, other: [], panel: false });
		expect(formErrors(new TypeError('Failed to fetch'), FIELDS)).toEqual({ fields: {}, other: [], panel: true });
		expect(
			formErrors(apiErrorFromResponse({ status: 409 }, { type: '/problems/conflict', title: 'Conflict', status: 409 }), FIELDS)
		).toEqual({ fields: {}, other: [], panel: true });
	});

	it('shows the panel only for what no input shows', () => {
		expect(formErrors(validation([{ field: 'name', detail: 'x' }]), FIELDS).panel).toBe(false);
		expect(formErrors(validation([{ field: 'name', detail: 'x' }, { field: 'cursor', detail: 'y' }]), FIELDS).panel).toBe(true);
		// A validation problem without field errors (e.g. a malformed body) is not silent.
		expect(formErrors(validation([]), FIELDS).panel).toBe(true);
	});

	it('words messages by their code, in the current language, and says a repeated one once', () => {
		const errors = formErrors(
			validation([
				{ field: 'email', code: 'taken', detail: 'another account already uses this' },
				{ field: 'team_ids[0]', code: 'unknown', detail: 'one of these teams does not exist' },
				{ field: 'team_ids[1]', code: 'unknown', detail: 'one of these teams does not exist' }
			]),
			FIELDS
		);
		expect(errors.fields.email).toBe(id.field_error_taken_email);
		expect(errors.fields.team_ids).toBe(id.field_error_unknown);
		// A custom wording (the default is the shared code mapping).
		expect(formErrors(validation([{ field: 'name', code: 'required', detail: 'x' }]), FIELDS, (e) => `[${e.code}]`).fields.name).toBe(
			'[required]'
		);
	});

	it('tells edited fields by their values, objects and lists included, and drops only their messages', () => {
		const FIELDS_ = ['name', 'location', 'team_ids', 'missing'];
		const before = fingerprint({ name: 'Rina', location: { lat: -6.9, lng: 107.6 }, team_ids: ['a'] }, FIELDS_);
		expect(Object.keys(before)).toEqual(['name', 'location', 'team_ids']);
		const after = fingerprint({ name: 'Rina', location: { lat: -6.91, lng: 107.6 }, team_ids: ['a', 'b'] }, FIELDS_);
		expect(after.name).toBe(before.name);
		expect(after.location).not.toBe(before.location);
		expect(after.team_ids).not.toBe(before.team_ids);
		expect(fingerprint({ email: null }, ['email'])).toEqual(fingerprint({ email: undefined }, ['email']));

		const errors = formErrors(
			validation([
				{ field: 'name', detail: 'enter a name' },
				{ field: 'location.lat', detail: 'not a latitude' },
				{ field: 'cursor', detail: 'bad cursor' }
			]),
			FIELDS
		);
		const shown = withoutEdited(errors, (field) => after[field] !== before[field]);
		expect(shown.fields).toEqual({ name: 'enter a name' });
		expect(shown.other).toEqual(errors.other);
		expect(shown.panel).toBe(true);
	});
});
