/**
 * Editing a list's records in a form above the list (the catalogue and the
 * network pages): open it empty ("new") or filled from a row, save (create or
 * change), show the server's errors by the fields, say what was saved and
 * reload the list; cancel closes it. What was typed stays on a failure.
 */
import { tick } from 'svelte';
import { FormErrorState, type LocalErrors } from './forms.svelte';
import type { FormErrors } from './forms';

export interface EditInPlaceOptions<T, V, R> {
	/** The form's fields (as the server names them), in form order. */
	fields: readonly string[];
	/** The form's values for a record, or for a new one (`null`). */
	values: (item: T | null) => V;
	/**
	 * The values by form field, for telling which field was edited (default:
	 * the values as they are, when their names are the fields').
	 */
	byField?: (values: V) => object;
	/** Checks before sending: messages by field; any stops the save. */
	check?: (values: V) => LocalErrors;
	/** Sends the form: a create for `null`, else a change of `item`. */
	save: (values: V, item: T | null) => Promise<R>;
	/** The name the "saved" notice gives the record. */
	name: (saved: R) => string;
	/** After a save (reloads the list). */
	afterSave?: () => unknown;
	/** The id of the input to focus when the form opens. */
	focus?: (item: T | null) => string;
	/** The id of the form, scrolled to when it opens. */
	formId?: string;
}

export class EditInPlace<T, V extends object, R = T> {
	/** The record being edited, `'new'` for a new one, `null` when the form is closed. */
	editing: T | 'new' | null = $state.raw(null);
	values: V = $state() as V;
	busy = $state(false);
	error: unknown = $state.raw(null);
	local: LocalErrors = $state.raw({});
	/** The name of the record saved last (for the notice), until the form opens again. */
	saved: string | null = $state(null);

	readonly #options: EditInPlaceOptions<T, V, R>;
	readonly #form: FormErrorState;

	constructor(options: EditInPlaceOptions<T, V, R>) {
		this.#options = options;
		this.values = options.values(null);
		this.#form = new FormErrorState({
			fields: options.fields,
			values: () => (options.byField ? options.byField(this.values) : this.values),
			error: () => this.error,
			local: () => this.local
		});
	}

	/** The messages to show, without those of fields edited since. */
	get errors(): FormErrors {
		return this.#form.errors;
	}

	get isOpen(): boolean {
		return this.editing !== null;
	}

	get creating(): boolean {
		return this.editing === 'new';
	}

	/** The record being edited (null when new or closed). */
	get record(): T | null {
		return this.editing === null || this.editing === 'new' ? null : this.editing;
	}

	invalid(field: string): 'true' | undefined {
		return this.#form.invalid(field);
	}

	describedBy(field: string, hint = false): string | undefined {
		return this.#form.describedBy(field, hint);
	}

	/** Opens the form for a record, or empty for a new one. */
	open = async (item: T | 'new'): Promise<void> => {
		this.editing = item;
		this.error = null;
		this.local = {};
		this.saved = null;
		this.values = this.#options.values(item === 'new' ? null : item);
		await tick();
		if (typeof document === 'undefined') return;
		if (this.#options.formId) document.getElementById(this.#options.formId)?.scrollIntoView({ block: 'start' });
		const focus = this.#options.focus?.(item === 'new' ? null : item);
		if (focus) document.getElementById(focus)?.focus();
	};

	cancel = (): void => {
		this.editing = null;
	};

	/** The form's submit handler. */
	submit = async (event?: Event): Promise<void> => {
		event?.preventDefault();
		const editing = this.editing;
		if (editing === null || this.busy) return;
		const local = this.#options.check?.(this.values) ?? {};
		this.local = local;
		if (Object.values(local).some(Boolean)) return;
		this.busy = true;
		this.error = null;
		try {
			const saved = await this.#options.save(this.values, editing === 'new' ? null : editing);
			this.saved = this.#options.name(saved);
			this.editing = null;
			await this.#options.afterSave?.();
		} catch (e) {
			this.error = e;
		} finally {
			this.busy = false;
		}
	};
}
