/**
 * Server field errors (`problem.errors[]`) in the user's language. The server
 * gives every error a stable `code` (`required`, `taken`, `phone`, ...) next
 * to an English `detail`; this is the one place that turns code (and, where
 * it helps, the field) into a translated sentence, with the values the
 * server sends in `params` (`max`, `allowed`, `package`, ...; read from the
 * English detail when a server sends none). `invalid` and codes this app does
 * not know yet fall back to the server's `detail`.
 */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/api/problem';
import { formatNumber } from '$lib/format';
import { getLocale } from '$lib/paraglide/runtime';
import { bookingDayName, isWindow, windowHours } from '$lib/booking';
import { CUSTOMER_STATUSES, customerStatusName, PLANT_STATUSES, plantStatusName } from './labels';

/**
 * The name a field error is about, without its path: `location.lat` →
 * `location`, `team_ids[2]` → `team_ids`, `line 3: lat` (CSV import) → `lat`.
 */
export function fieldRoot(field: string): string {
	const name = field.replace(/^line\s+\d+\s*:\s*/i, '').trim();
	return name.split(/[.[/]/)[0] ?? name;
}

type Sentence = (error: FieldError) => string;

/** A value the server sent along (`params`), as text; numbers too. */
function param(error: FieldError, key: string): string | undefined {
	const value = error.params?.[key];
	if (typeof value === 'string' && value !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

function numberParam(error: FieldError, key: string): number | undefined {
	const value = error.params?.[key];
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	return undefined;
}

/**
 * Numbers the English detail carries ("enter 1 to 100 characters",
 * "between 100 and 50000 metres"), for servers that send no `params`: the
 * limits are the same in every language, so they are reused rather than
 * repeated here.
 */
function limitsFromDetail(detail: string): { min?: number; max?: number } {
	const between = /\b(\d[\d,]*)\s+(?:to|and)\s+(\d[\d,]*)\b/.exec(detail);
	if (between) return { min: Number(between[1]!.replace(/,/g, '')), max: Number(between[2]!.replace(/,/g, '')) };
	const most = /\bat most\s+(\d[\d,]*)\b/.exec(detail);
	if (most) return { max: Number(most[1]!.replace(/,/g, '')) };
	return {};
}

/** The limits of a length or range error: from `params` when sent, else from the detail. */
function limits(error: FieldError): { min?: number; max?: number } {
	const max = numberParam(error, 'max');
	if (max !== undefined) {
		const min = numberParam(error, 'min');
		return min === undefined ? { ...limitsFromDetail(error.detail), max } : { min, max };
	}
	return limitsFromDetail(error.detail);
}

/** The first quoted value of an English detail (`no area with code "BDG"`), when no `params` says it. */
function quoted(detail: string): string | undefined {
	return /"([^"]*)"/.exec(detail)?.[1];
}

const n = (value: number) => formatNumber(value, getLocale());

/**
 * The values a choice allows, as they must be written, each with its name
 * where it has one: "prospect (Prospek), active (Aktif), ...".
 */
function allowedList(allowed: readonly unknown[]): string {
	const statuses: readonly string[] = CUSTOMER_STATUSES;
	const plant: readonly string[] = PLANT_STATUSES;
	return allowed
		.map((value) => {
			const text = String(value);
			const name = statuses.includes(text) ? customerStatusName(text) : plant.includes(text) ? plantStatusName(text) : text;
			return name !== text ? `${text} (${name})` : text;
		})
		.join(', ');
}

/** Fields chosen from a list rather than typed: "choose one" reads better than "required". */
const CHOSEN = new Set([
	'package_id',
	'preferred_window',
	'appointment_window',
	'role',
	'odc_id',
	'area_id',
	'status',
	'default_priority',
	'odp_id',
	'odp_port',
	'element_id',
	'kind',
	'technician_id',
	'pause_reason',
	'remote_reason',
	'item_id',
	'from_location_id',
	'to_location_id',
	'from_technician_id',
	'to_technician_id',
	'unit',
	'terms'
]);

/** Columns of CSV files (and fields) that hold numbers. */
const NUMBERS = new Set(['lat', 'lng', 'radius_m', 'port_count', 'odp_port', 'download_mbps', 'upload_mbps', 'monthly_price_idr']);

/** A sentence for a code on one particular field; checked before the code's general sentence. */
const BY_FIELD: Record<string, Record<string, Sentence>> = {
	required: {
		login: () => m.login_required(),
		password: () => m.password_required(),
		location: () => m.field_error_required_location(),
		center: () => m.field_error_required_location(),
		preferred_date: () => m.field_error_required_date(),
		customer_id: () => m.field_error_required_customer(),
		reason: () => m.field_error_required_reason(),
		// The identity form sends the NIK, the KTP photo or both: nothing at all is refused on `nik`.
		nik: () => m.identity_nothing(),
		place_confirmed: () => m.field_error_confirm_place(),
		package_confirmed: () => m.field_error_confirm_package(),
		// Stock: a serial-numbered item moves unit by unit; an installation is on a ticket.
		serial: () => m.field_error_required_serial(),
		ticket_id: () => m.field_error_required_ticket()
	},
	length: {
		nik: () => m.field_error_nik_length()
	},
	// The KTP photo: `type` and `empty` mean a file here, not a JSON value or a CSV without lines.
	type: {
		photo: () => m.field_error_photo_type()
	},
	empty: {
		photo: () => m.field_error_photo_empty()
	},
	// A technician's skills: each once.
	duplicate: {
		skills: () => m.field_error_skill_duplicate()
	},
	inactive: {
		technician_id: () => m.field_error_inactive_technician(),
		item_id: () => m.field_error_inactive_item()
	},
	taken: {
		phone: (e) => {
			const who = param(e, 'customer_number');
			return who ? m.field_error_taken_phone_by({ customer_number: who }) : m.field_error_taken_phone();
		},
		whatsapp: (e) => {
			const who = param(e, 'customer_number');
			return who ? m.field_error_taken_phone_by({ customer_number: who }) : m.field_error_taken_phone();
		},
		pppoe_username: (e) => {
			const who = param(e, 'customer_number');
			return who ? m.field_error_taken_pppoe_by({ customer_number: who }) : m.field_error_taken_pppoe();
		},
		billing_id: (e) => {
			const who = param(e, 'customer_number');
			return who ? m.field_error_taken_billing_by({ customer_number: who }) : m.field_error_taken_billing();
		},
		odp_port: (e) => {
			const who = param(e, 'customer_number');
			return who ? m.field_error_taken_port_by({ customer_number: who }) : m.field_error_port_taken();
		},
		email: () => m.field_error_taken_email(),
		code: () => m.field_error_taken_code(),
		name: () => m.field_error_taken_name(),
		serial: (e) => {
			const serial = param(e, 'serial');
			return serial ? m.field_error_taken_serial_named({ serial }) : m.field_error_taken_serial();
		},
		mac: () => m.field_error_taken_mac()
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
	},
	// CSV columns name records by their name or code: say which one is unknown, not "reload and choose again".
	unknown: {
		skills: () => m.field_error_skill_retired(),
		package: (e) => {
			const name = param(e, 'package') ?? quoted(e.detail);
			return name ? m.field_error_unknown_package({ package: name }) : m.field_error_unknown_package_line();
		},
		area_code: (e) => {
			const code = param(e, 'area') ?? quoted(e.detail);
			return code ? m.field_error_unknown_area_code({ code }) : m.field_error_unknown_code();
		},
		odc_code: (e) => {
			const code = param(e, 'odc') ?? quoted(e.detail);
			return code ? m.field_error_unknown_odc_code({ code }) : m.field_error_unknown_code();
		},
		odp_code: (e) => {
			const code = param(e, 'odp') ?? quoted(e.detail);
			return code ? m.field_error_unknown_odp_code({ code }) : m.field_error_unknown_code();
		},
		// A unit named by its serial number, a technician's own stock by their id.
		serial: () => m.field_error_unknown_serial(),
		from_technician_id: () => m.field_error_unknown_technician(),
		to_technician_id: () => m.field_error_unknown_technician()
	},
	not_on_sale: {
		package: (e) => {
			const name = param(e, 'package');
			return name ? m.field_error_not_on_sale_package({ package: name }) : m.field_error_not_on_sale_line();
		}
	},
	format: {
		file: () => m.field_error_header(),
		customer_number: (e) => m.field_error_format_customer_number({ example: param(e, 'example') ?? 'PLG-0000123' }),
		rt: (e) => m.field_error_format_rt_rw({ part: 'RT', max: n(numberParam(e, 'max') ?? 999) }),
		rw: (e) => m.field_error_format_rt_rw({ part: 'RW', max: n(numberParam(e, 'max') ?? 999) }),
		pppoe_username: () => m.field_error_format_reference(),
		billing_id: () => m.field_error_format_reference(),
		mac: () => m.field_error_format_mac(),
		code: () => m.field_error_format_code(),
		routing_url: () => m.field_error_format_routing_url()
	}
};

const BY_CODE: Record<string, Sentence> = {
	required: (e) => (CHOSEN.has(fieldRoot(e.field)) ? m.field_error_required_choice() : m.field_error_required()),
	length: (e) => {
		const { min, max } = limits(e);
		if (min !== undefined && max !== undefined) return m.field_error_length_between({ min: n(min), max: n(max) });
		if (max !== undefined) return m.field_error_length_max({ max: n(max) });
		return m.field_error_length();
	},
	range: (e) => {
		const { min, max } = limits(e);
		const between = numberParam(e, 'min') !== undefined || /\bbetween\b/.test(e.detail);
		return min !== undefined && max !== undefined && between
			? m.field_error_range_between({ min: n(min), max: n(max) })
			: m.field_error_range();
	},
	choice: (e) => {
		const allowed = e.params?.allowed;
		return Array.isArray(allowed) && allowed.length > 0
			? m.field_error_choice_allowed({ allowed: allowedList(allowed) })
			: m.field_error_choice();
	},
	phone: () => m.field_error_phone(),
	email: () => m.field_error_email(),
	taken: () => m.field_error_taken(),
	unknown: () => m.field_error_unknown(),
	location: () => m.field_error_location(),
	outside_area: () => m.field_error_outside_area(),
	not_on_sale: (e) => {
		const name = param(e, 'package');
		return name ? m.field_error_not_on_sale_package({ package: name }) : m.field_error_not_on_sale();
	},
	date_format: () => m.field_error_date_format(),
	date_past: () => m.field_error_date_past(),
	date_far: (e) => {
		const days = numberParam(e, 'days');
		return days !== undefined ? m.field_error_date_far_days({ days: n(days) }) : m.field_error_date_far();
	},
	port_range: () => m.field_error_port_range(),
	port_taken: (e) => {
		const [port, odp, who] = [param(e, 'port'), param(e, 'odp'), param(e, 'customer_number')];
		return port && odp && who ? m.field_error_port_taken_by({ port, odp, customer_number: who }) : m.field_error_port_taken();
	},
	in_use: () => m.field_error_in_use(),
	erased: () => m.field_error_erased(),
	connected: () => m.field_error_connected(),
	forbidden: () => m.field_error_forbidden(),
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
	format: (e) => {
		// A whole line that cannot be read comes as the field "line 3" (no column).
		if (/^line\s+\d+\s*$/i.test(e.field.trim())) return m.field_error_format();
		const root = fieldRoot(e.field);
		if (NUMBERS.has(root) || /\bis not a number\b/.test(e.detail)) {
			const value = param(e, 'value') ?? quoted(e.detail);
			return value !== undefined ? m.field_error_format_number({ value }) : m.field_error_format_number_plain();
		}
		const max = numberParam(e, 'max');
		if (max !== undefined) return m.field_error_format_max({ max: n(max) });
		return m.field_error_format_value();
	},
	empty: () => m.field_error_empty(),
	type: () => m.field_error_type(),
	province: () => m.field_error_nik_province(),
	birth_date: () => m.field_error_nik_birth_date(),
	serial: () => m.field_error_nik_serial(),
	type_mismatch: () => m.field_error_type_mismatch(),
	too_large: () => m.field_error_too_large(),
	unreadable: () => m.field_error_unreadable(),
	control_character: () => m.field_error_control_character(),
	id_version: () => m.field_error_id_version(),
	duplicate: (e) => {
		const line = param(e, 'line') ?? /line\s+(\d+)/.exec(e.detail)?.[1];
		return line ? m.field_error_duplicate({ line }) : m.field_error_duplicate_item();
	},
	span_format: () => m.field_error_span_format(),
	span_order: () => m.field_error_span_order(),
	span_overlap: () => m.field_error_span_overlap(),
	order: () => m.field_error_order(),
	inactive: () => m.field_error_inactive(),
	point: () => m.field_error_point(),
	lead: () => m.field_error_crew_lead(),
	too_many: (e) => {
		const max = param(e, 'max');
		return max ? m.field_error_too_many_max({ max }) : m.field_error_too_many();
	},
	window_past: () => m.field_error_window_past(),
	// Stock movements.
	movement_places: () => m.field_error_movement_places(),
	serial_one: () => m.field_error_serial_one(),
	not_serial: () => m.field_error_not_serial(),
	other_item: () => m.field_error_other_item(),
	other_customer: () => m.field_error_other_customer(),
	unassigned: () => m.field_error_unassigned(),
	// A request issued with fewer serial numbers than a line asks for, or with ones no line asked for.
	too_few: (e) => {
		const needed = param(e, 'needed');
		const item = param(e, 'item');
		return needed && item ? m.field_error_too_few_serials({ needed, item }) : m.field_error_too_few();
	},
	not_asked: () => m.field_error_not_asked(),
	// A link to an account that neither e-mail nor WhatsApp would carry to its person (nothing was done).
	unreachable: () => m.field_error_unreachable(),
	// A full window: the next one with room when the server found one ("Kamis, 3 Des, 08.00–12.00").
	window_full: (e) => {
		const date = param(e, 'next_date');
		const window = param(e, 'next_window');
		if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !isWindow(window)) return m.field_error_window_full();
		const locale = getLocale();
		return m.field_error_window_full_next({ day: bookingDayName(date, locale), window: windowHours(window, locale) });
	}
};

/** The sentence to show for one field error, in the current language. */
export function fieldErrorText(error: FieldError): string {
	const code = error.code ?? 'invalid';
	const special = BY_FIELD[code]?.[fieldRoot(error.field)];
	if (special) return special(error);
	const general = BY_CODE[code];
	return general ? general(error) : error.detail;
}
