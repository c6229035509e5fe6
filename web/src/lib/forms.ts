/**
 * Server validation errors (`problem.errors[]`) mapped onto a form's fields,
 * so each message shows next to its input, in the user's language.
 */
import { toApiError, type FieldError } from '$lib/api/problem';
import { fieldErrorText } from '$lib/i18n/field-errors';

export interface FormErrors {
	/** Translated messages by form field name. */
	fields: Record<string, string>;
	/** Field errors that belong to no field of this form (shown with the form's error). */
	other: FieldError[];
	/**
	 * Whether the form should show an error panel: any failure except a
	 * validation problem whose every field error already shows at its input.
	 */
	panel: boolean;
}

/** The form field a server field name belongs to: `team_ids[2]` and `location.lat` map to their root. */
export function matchField(serverField: string, formFields: readonly string[]): string | null {
	if (formFields.includes(serverField)) return serverField;
	let best: string | null = null;
	for (const field of formFields) {
		const nested =
			serverField.startsWith(`${field}.`) || serverField.startsWith(`${field}[`) || serverField.startsWith(`${field}/`);
		if (nested && (!best || field.length > best.length)) best = field;
	}
	return best;
}

/** Splits an error's field messages into the form's fields and the rest. */
export function formErrors(
	error: unknown,
	formFields: readonly string[],
	text: (error: FieldError) => string = fieldErrorText
): FormErrors {
	const result: FormErrors = { fields: {}, other: [], panel: false };
	if (error === null || error === undefined) return result;
	const err = toApiError(error);
	for (const fieldError of err.fieldErrors) {
		const field = matchField(fieldError.field, formFields);
		if (!field) {
			result.other.push(fieldError);
			continue;
		}
		const message = text(fieldError);
		const previous = result.fields[field];
		// The same sentence twice (e.g. two unknown teams) is said once.
		if (previous === undefined) result.fields[field] = message;
		else if (!previous.split('; ').includes(message)) result.fields[field] = `${previous}; ${message}`;
	}
	result.panel = !(err.kind === 'validation' && result.other.length === 0 && Object.keys(result.fields).length > 0);
	return result;
}

/** The first form field with an error, in form order (to move focus to it). */
export function firstErrorField(errors: FormErrors, formFields: readonly string[]): string | null {
	return formFields.find((f) => errors.fields[f] !== undefined) ?? null;
}

/**
 * A form's values field by field, as text that changes exactly when the
 * value does (objects such as a location and lists such as team ids
 * included). Fields missing from `values` are left out.
 */
export function fingerprint(values: object, formFields: readonly string[]): Record<string, string> {
	const result: Record<string, string> = {};
	const byName = values as Readonly<Record<string, unknown>>;
	for (const field of formFields) {
		if (!(field in byName)) continue;
		result[field] = JSON.stringify(byName[field] ?? null) ?? 'null';
	}
	return result;
}

/**
 * The errors without the messages of fields edited since they were given:
 * once someone changes a field, its old message no longer describes it. The
 * panel stays as it was (what no input shows is not fixed by typing).
 */
export function withoutEdited(errors: FormErrors, edited: (field: string) => boolean): FormErrors {
	const fields: Record<string, string> = {};
	for (const [field, message] of Object.entries(errors.fields)) {
		if (!edited(field)) fields[field] = message;
	}
	return { ...errors, fields };
}
