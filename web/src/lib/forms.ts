/**
 * Server validation errors (`problem.errors[].field`) mapped onto a form's
 * fields, so each message shows next to its input.
 */
import { toApiError, type FieldError } from '$lib/api/problem';

export interface FormErrors {
	/** Messages by form field name. */
	fields: Record<string, string>;
	/** Field errors that belong to no field of this form (shown with the form's error). */
	other: FieldError[];
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
export function formErrors(error: unknown, formFields: readonly string[]): FormErrors {
	const result: FormErrors = { fields: {}, other: [] };
	if (error === null || error === undefined) return result;
	for (const fieldError of toApiError(error).fieldErrors) {
		const field = matchField(fieldError.field, formFields);
		if (!field) {
			result.other.push(fieldError);
		} else {
			const previous = result.fields[field];
			result.fields[field] = previous ? `${previous}; ${fieldError.detail}` : fieldError.detail;
		}
	}
	return result;
}

/** The first form field with an error, in form order (to move focus to it). */
export function firstErrorField(errors: FormErrors, formFields: readonly string[]): string | null {
	return formFields.find((f) => errors.fields[f] !== undefined) ?? null;
}
