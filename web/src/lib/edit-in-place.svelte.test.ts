import { describe, expect, it, vi } from 'vitest';
import { apiErrorFromResponse } from './api/problem';
import { EditInPlace } from './edit-in-place.svelte';
import id from './i18n/id.json';

interface Item {
	id: string;
	code: string;
	name: string;
}

const validation = (errors: { field: string; code: string; detail: string }[]) =>
	apiErrorFromResponse({ status: 422 }, { type: '/problems/validation', title: 'Invalid input', status: 422, detail: 'x', errors });

function setup(save: (values: { code: string; name: string }, item: Item | null) => Promise<Item>) {
	const reloads: number[] = [];
	const editor = new EditInPlace<Item, { code: string; name: string }>({
		fields: ['code', 'name'],
		values: (item) => (item ? { code: item.code, name: item.name } : { code: '', name: '' }),
		check: (v) => ({ code: v.code.includes(' ') ? () => 'no spaces' : undefined }),
		save,
		name: (saved) => saved.name,
		afterSave: () => reloads.push(1)
	});
	return { editor, reloads };
}

const row: Item = { id: 'a1', code: 'FO', name: 'Fiber optik' };

describe('edit in place', () => {
	it('opens empty for a new record, filled for a row, and closes on cancel', async () => {
		const { editor } = setup(async () => row);
		expect(editor.isOpen).toBe(false);
		await editor.open('new');
		expect(editor.creating).toBe(true);
		expect(editor.record).toBeNull();
		expect(editor.values).toEqual({ code: '', name: '' });
		await editor.open(row);
		expect(editor.creating).toBe(false);
		expect(editor.record).toBe(row);
		expect(editor.values).toEqual({ code: 'FO', name: 'Fiber optik' });
		editor.cancel();
		expect(editor.isOpen).toBe(false);
	});

	it('creates or changes, says what was saved, closes and reloads the list', async () => {
		const save = vi.fn(async (values: { code: string; name: string }, item: Item | null) => ({ id: item?.id ?? 'new', ...values }));
		const { editor, reloads } = setup(save);
		await editor.open('new');
		editor.values.code = 'SPL';
		editor.values.name = 'Splicing';
		const event = new Event('submit', { cancelable: true });
		await editor.submit(event);
		expect(event.defaultPrevented).toBe(true);
		expect(save).toHaveBeenLastCalledWith({ code: 'SPL', name: 'Splicing' }, null);
		expect(editor.saved).toBe('Splicing');
		expect(editor.isOpen).toBe(false);
		expect(reloads).toHaveLength(1);

		await editor.open(row);
		expect(editor.saved).toBeNull();
		editor.values.name = 'Fiber optik (FTTH)';
		await editor.submit();
		expect(save).toHaveBeenLastCalledWith({ code: 'FO', name: 'Fiber optik (FTTH)' }, row);
		expect(editor.saved).toBe('Fiber optik (FTTH)');
	});

	it('keeps the form and what was typed on a refusal, with each message by its field until that field is edited', async () => {
		let answer: unknown = validation([
			{ field: 'code', code: 'taken', detail: 'already used' },
			{ field: 'name', code: 'required', detail: 'enter a name' }
		]);
		const { editor, reloads } = setup(async () => {
			throw answer;
		});
		await editor.open('new');
		editor.values.code = 'FO';
		await editor.submit();
		expect(editor.isOpen).toBe(true);
		expect(editor.values).toEqual({ code: 'FO', name: '' });
		expect(editor.errors.fields).toEqual({ code: id.field_error_taken_code, name: id.field_error_required });
		expect(editor.errors.panel).toBe(false);
		expect(editor.invalid('code')).toBe('true');
		expect(reloads).toHaveLength(0);

		// The name is typed: its message goes, the code's stays.
		editor.values.name = 'Fiber';
		expect(editor.errors.fields).toEqual({ code: id.field_error_taken_code });
		expect(editor.invalid('name')).toBeUndefined();
		expect(editor.describedBy('code')).toBe('code-error');
		expect(editor.describedBy('name', true)).toBe('name-hint');

		// Sent again unchanged: the server's new answer shows again.
		answer = validation([{ field: 'code', code: 'taken', detail: 'already used' }]);
		await editor.submit();
		expect(editor.errors.fields).toEqual({ code: id.field_error_taken_code });
		editor.values.code = 'FO2';
		expect(editor.errors.fields).toEqual({});
		expect(editor.errors.panel).toBe(false);
	});

	it('checks before sending, and the check message also goes once its field is edited', async () => {
		const save = vi.fn(async () => row);
		const { editor } = setup(save);
		await editor.open('new');
		editor.values.code = 'F O';
		await editor.submit();
		expect(save).not.toHaveBeenCalled();
		expect(editor.errors.fields).toEqual({ code: 'no spaces' });
		editor.values.code = 'FO';
		expect(editor.errors.fields).toEqual({});
		await editor.submit();
		expect(save).toHaveBeenCalledOnce();
	});

	it('shows a failure no field explains in the panel, and opening again forgets it', async () => {
		const { editor } = setup(async () => {
			throw new TypeError('Failed to fetch');
		});
		await editor.open(row);
		await editor.submit();
		expect(editor.errors.panel).toBe(true);
		expect(editor.busy).toBe(false);
		await editor.open(row);
		expect(editor.error).toBeNull();
		expect(editor.errors.panel).toBe(false);
	});
});
