/**
 * A form's error messages as state: the server's field errors (and the
 * form's own checks) next to their inputs, each one gone as soon as its field
 * is edited, so a message never stays beside a value it no longer describes.
 * What was typed is never touched.
 */
import { untrack } from 'svelte';
import type { FieldError } from '$lib/api/problem';
import { fingerprint, formErrors, withoutEdited, type FormErrors } from './forms';

/** Messages found before sending, by form field, worded when shown (so they follow the language). */
export type LocalErrors = Partial<Record<string, () => string>>;

export interface FormErrorStateOptions {
	/** The form's fields, in form order. */
	fields: readonly string[];
	/**
	 * The current values by form field (read reactively). A field left out is
	 * never taken as edited, so its message stays until the next answer.
	 */
	values: () => object;
	/** The failure of the last submission (an `ApiError`, a network error, or null). */
	error: () => unknown;
	/** The form's own checks from the last submission. */
	local?: () => LocalErrors | null | undefined;
	/** How a server field error is worded (default: the shared code mapping). */
	text?: (error: FieldError) => string;
}

export class FormErrorState {
	readonly #options: FormErrorStateOptions;

	/**
	 * The values the current errors are about, taken the first time the errors
	 * are read after the error or the local checks changed: the template reads
	 * them in the update that shows a submission's outcome, before anyone can
	 * type. Plain fields: a record of the past, not state.
	 */
	#sentFor: readonly [unknown, unknown] | null = null;
	#sent: Record<string, string> = {};
	#now = $derived.by(() => fingerprint(this.#options.values(), this.#options.fields));

	#sentValues(): Record<string, string> {
		const error = this.#options.error();
		const local = this.#options.local?.();
		if (!this.#sentFor || this.#sentFor[0] !== error || this.#sentFor[1] !== local) {
			this.#sentFor = [error, local];
			this.#sent = untrack(() => fingerprint(this.#options.values(), this.#options.fields));
		}
		return this.#sent;
	}

	/** The errors to show: local checks first, then the server's, minus the fields edited since. */
	errors: FormErrors = $derived.by(() => {
		const server = formErrors(this.#options.error(), this.#options.fields, this.#options.text);
		const local = this.#options.local?.() ?? {};
		const fields = { ...server.fields };
		for (const [field, message] of Object.entries(local)) if (message) fields[field] = message();
		const sent = this.#sentValues();
		const now = this.#now;
		return withoutEdited({ ...server, fields }, (field) => now[field] !== sent[field]);
	});

	constructor(options: FormErrorStateOptions) {
		this.#options = options;
	}

	/** Whether a field's value changed since the errors were given. */
	edited(field: string): boolean {
		return this.#now[field] !== this.#sentValues()[field];
	}

	/** The message shown for a field, if any. */
	message(field: string): string | undefined {
		return this.errors.fields[field];
	}

	/** `aria-invalid` for a field's input. */
	invalid(field: string): 'true' | undefined {
		return this.errors.fields[field] ? 'true' : undefined;
	}

	/** `aria-describedby` for a field's input: its error, else its hint (when it has one). */
	describedBy(field: string, hint = false): string | undefined {
		return this.errors.fields[field] ? `${field}-error` : hint ? `${field}-hint` : undefined;
	}
}
