/**
 * CSV import results as one table of bad lines. A dry run answers 200 with
 * an ImportReport whose `errors` are `{line, field, code, detail}`; a real import
 * with bad lines answers a 422 problem whose `errors[].field` reads
 * `"line 3: lat"` (or `"header"` when the header row is wrong). Both end up
 * as the same rows here.
 */
import { toApiError, type FieldError } from '$lib/api/problem';
import type { ImportReport } from '$lib/api/types';

export const IMPORT_KINDS = ['areas', 'odcs', 'odps', 'packages', 'customers'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Customer columns a file may leave out (the address parts and the references other systems know). */
export const OPTIONAL_CUSTOMER_COLUMNS = ['rt', 'rw', 'kelurahan', 'kecamatan', 'city', 'pppoe_username', 'billing_id'] as const;

export interface ReportRow {
	/** Line of the file (the header is line 1); null when the problem is not tied to a line. */
	line: number | null;
	field: string;
	detail: string;
}

const LINE_FIELD = /^line\s+(\d+)\s*(?::\s*(.*))?$/i;

function byLine(a: ReportRow, b: ReportRow): number {
	return (a.line ?? 0) - (b.line ?? 0);
}

/** The bad lines of a report, in file order; `text` words each error (the page passes the translated sentence of its code). */
export function reportRows(
	report: { errors: readonly (Omit<ImportReport['errors'][number], 'params'> & { params?: unknown })[] },
	text: (error: FieldError) => string = (e) => e.detail
): ReportRow[] {
	return report.errors
		.map((e) => {
			const error: FieldError = { field: e.field, code: e.code, detail: e.detail };
			if (e.params && typeof e.params === 'object' && !Array.isArray(e.params)) error.params = e.params as Record<string, unknown>;
			return { line: e.line, field: e.field, detail: text(error) };
		})
		.sort(byLine);
}

/**
 * The bad lines of a refused import (a 422 problem), in file order; empty for
 * other errors. `text` words each error (the page passes the translated
 * sentence of its code; bad values of a line come as `invalid` with the
 * server's detail).
 */
export function problemRows(error: unknown, text: (error: FieldError) => string = (e) => e.detail): ReportRow[] {
	const err = toApiError(error);
	if (err.kind !== 'validation') return [];
	return err.fieldErrors
		.map((e) => {
			const match = LINE_FIELD.exec(e.field.trim());
			return match
				? { line: Number(match[1]), field: match[2] ?? '', detail: text(e) }
				: { line: e.field === 'header' ? 1 : null, field: e.field, detail: text(e) };
		})
		.sort(byLine);
}

/** How many distinct lines are bad. */
export function badLineCount(rows: readonly ReportRow[]): number {
	return new Set(rows.map((r) => r.line ?? -1)).size;
}

/** Reads a chosen file as text, dropping a UTF-8 byte-order mark (exports carry one). */
export async function readCsvFile(file: Blob): Promise<string> {
	const text = await file.text();
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The file name from a `Content-Disposition` header, or a fallback. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
	const match = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
	const name = match?.[1] ? decodeURIComponent(match[1]).trim() : '';
	return name && !/[\\/]/.test(name) ? name : fallback;
}
