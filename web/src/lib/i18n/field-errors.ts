/**
 * Server field errors (`problem.errors[]`) in the user's language. The server
 * gives every error a stable `code` (`required`, `taken`, `phone`, ...) next
 * to an English `detail`; this is the one place that turns code (and, where
 * it helps, the field) into a translated sentence. `invalid` and codes this
 * app does not know yet fall back to the server's `detail`.
 */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/api/problem';
import { formatNumber } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';

/**
 * The name a field error is about, without its path: `location.lat` →
 * `location`, `team_ids[2]` → `team_ids`, `line 3: lat` (CSV import) → `lat`.
 */
export function fieldRoot(field: string): string {
	const name = field.replace(/^line\s+\d+\s*:\s*/i, '').trim();
	return name.split(/[.[/]/)[0] ?? name;
}

type Sentence = (error: FieldError) => string;

/**
 * Numbers the English detail carries ("enter 1 to 100 characters",
 * "between 100 and 50000 metres"): the limits are the same in every
 * language, so they are reused rather than repeated here.
 */
function limits(detail: string): { min?: number; max?: number } {
	const between = /\b(\d[\d,]*)\s+(?:to|and)\s+(\d[\d,]*)\b/.exec(detail);
	if (between) return { min: Number(between[1]!.replace(/,/g, '')), max: Number(between[2]!.replace(/,/g, '')) };
	const most = /\bat most\s+(\d[\d,]*)\b/.exec(detail);
	if (most) return { max: Number(most[1]!.replace(/,/g, '')) };
	return {};
}

const n = (value: number) => formatNumber(value, getLocale());

/** Fields chosen from a list rather than typed: "choose one" reads better than "required". */
const CHOSEN = new Set(['package_id', 'preferred_window', 'role', 'odc_id', 'area_id', 'status', 'default_priority', 'odp_id', 'odp_port']);

/** A sentence for a code on one particular field; checked before the code's general sentence. */
const BY_FIELD: Record<string, Record<string, () => string>> = {
	required: {
		login: () => m.login_required(),
		password: () => m.password_required(),
		location: () => m.field_error_required_location(),
		center: () => m.field_error_required_location(),
		preferred_date: () => m.field_error_required_date()
	},
	taken: {
		phone: () => m.field_error_taken_phone(),
		whatsapp: () => m.field_error_taken_phone(),
		email: () => m.field_error_taken_email(),
		code: () => m.field_error_taken_code(),
		name: () => m.field_error_taken_name()
	},
	choice: {
		odp_port: () => m.field_error_choice_port(),
		odp_id: () => m.field_error_choice_odp(),
		scopes: () => m.field_error_choice_scopes(),
		role: () => m.field_error_choice_role()
	},
	range: {
		to: () => m.field_error_range_to(),
		response_sla_minutes: () => m.field_error_range_sla(),
		resolution_sla_minutes: () => m.field_error_range_sla()
	},
	date_past: {
		preferred_date: () => m.field_error_date_tomorrow()
	}
};

const BY_CODE: Record<string, Sentence> = {
	required: (e) => (CHOSEN.has(fieldRoot(e.field)) ? m.field_error_required_choice() : m.field_error_required()),
	length: (e) => {
		const { min, max } = limits(e.detail);
		if (min !== undefined && max !== undefined) return m.field_error_length_between({ min: n(min), max: n(max) });
		if (max !== undefined) return m.field_error_length_max({ max: n(max) });
		return m.field_error_length();
	},
	range: (e) => {
		const { min, max } = limits(e.detail);
		return min !== undefined && max !== undefined && /\bbetween\b/.test(e.detail)
			? m.field_error_range_between({ min: n(min), max: n(max) })
			: m.field_error_range();
	},
	choice: () => m.field_error_choice(),
	phone: () => m.field_error_phone(),
	email: () => m.field_error_email(),
	taken: () => m.field_error_taken(),
	unknown: () => m.field_error_unknown(),
	location: () => m.field_error_location(),
	outside_area: () => m.field_error_outside_area(),
	not_on_sale: () => m.field_error_not_on_sale(),
	date_format: () => m.field_error_date_format(),
	date_past: () => m.field_error_date_past(),
	date_far: () => m.field_error_date_far(),
	port_range: () => m.field_error_port_range(),
	port_taken: () => m.field_error_port_taken(),
	in_use: () => m.field_error_in_use(),
	password_short: () => m.field_error_password_short(),
	password_long: () => m.field_error_password_long(),
	password_common: () => m.field_error_password_common(),
	password_login: () => m.field_error_password_login(),
	password_wrong: () => m.password_current_wrong(),
	password_reused: () => m.field_error_password_reused(),
	code_wrong: () => m.login_code_wrong(),
	token_expired: () => m.reset_token_invalid(),
	cursor: () => m.field_error_cursor(),
	encoding: () => m.field_error_encoding(),
	header: (e) => {
		const columns = /^expected\s+(\S+)$/.exec(e.detail.trim())?.[1];
		return columns ? m.field_error_header_columns({ columns: columns.replace(/,/g, ', ') }) : m.field_error_header();
	},
	format: () => m.field_error_format(),
	empty: () => m.field_error_empty(),
	type: () => m.field_error_type(),
	control_character: () => m.field_error_control_character(),
	id_version: () => m.field_error_id_version(),
	duplicate: (e) => {
		const line = /line\s+(\d+)/.exec(e.detail)?.[1];
		return line ? m.field_error_duplicate({ line }) : e.detail;
	}
};

/** The sentence to show for one field error, in the current language. */
export function fieldErrorText(error: FieldError): string {
	const code = error.code ?? 'invalid';
	const special = BY_FIELD[code]?.[fieldRoot(error.field)];
	if (special) return special();
	const general = BY_CODE[code];
	return general ? general(error) : error.detail;
}
