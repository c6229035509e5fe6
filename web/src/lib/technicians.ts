/**
 * Technicians as the console edits them, as plain functions: times typed
 * the way people write them ("8.30" → "08:30"), the weekly working pattern
 * as rows (Monday first; a Friday gap is the Friday prayer) with the
 * server's own checks and its field names (`work_pattern.4.1`), skills with
 * a level, the profile form and its body, what changed when someone else
 * saved first, how old a last known position is, leave (cuti) and sick days
 * in words and order, the on-call rota by day and the dispatch settings
 * form. Unit-tested.
 */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/api/problem';
import type { Skill } from '$lib/api/types';
import type {
	DispatchMode,
	DispatchSettings,
	DispatchSettingsInput,
	Employer,
	Leave,
	LeaveKind,
	LeaveStatus,
	OnCallTurn,
	SkillLevel,
	SkillLevelInput,
	TechnicianProfile,
	TechnicianProfileBody
} from '$lib/api/technicians';
import { addDays } from '$lib/dates';
import { fieldErrorText } from '$lib/i18n/field-errors';
import { shortDuration, type DurationWords } from '$lib/tickets';

/**
 * Durations in words, as `i18n/tickets.ts` has them (not imported from
 * there: that file words leave notifications with the helpers below).
 */
const durationWords: DurationWords = {
	minutes: (p) => m.duration_minutes(p),
	hours: (p) => m.duration_hours(p),
	days: (p) => m.duration_days(p)
};

// ----------------------------------------------------------------------
// Times and spans

export const DAY_MINUTES = 1440;

/**
 * A time as people type it, written `HH:MM`: "8" → "08:00", "8.30",
 * "8:30", "830" and "0830" → "08:30", "24" → "24:00". Text that is no time
 * comes back trimmed, for the checks to refuse.
 */
export function normalizeTime(text: string): string {
	const t = text.trim();
	let match = /^(\d{1,2})(?:[.:](\d{2}))?$/.exec(t);
	if (!match) match = /^(\d{1,2})(\d{2})$/.exec(t);
	if (!match) return t;
	const h = Number(match[1]);
	const min = Number(match[2] ?? '0');
	if (h > 24 || min > 59) return t;
	return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** Minutes since midnight of `HH:MM` (00:00 to 24:00), else null. */
export function timeMinutes(text: string): number | null {
	const match = /^(\d{2}):(\d{2})$/.exec(text.trim());
	if (!match) return null;
	const h = Number(match[1]);
	const min = Number(match[2]);
	if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
	return h * 60 + min;
}

/** 510 → "08:30". */
export function minutesText(minutes: number): string {
	const h = Math.floor(minutes / 60);
	return `${String(h).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export interface Span {
	start: string;
	end: string;
}

/** "08:00-12:00" → { start: "08:00", end: "12:00" }; null without a dash. */
export function parseSpan(text: string): Span | null {
	const dash = text.indexOf('-');
	if (dash < 0) return null;
	return { start: text.slice(0, dash).trim(), end: text.slice(dash + 1).trim() };
}

/** The span as the server takes it, times normalised: "8-12" → "08:00-12:00". */
export function spanText(span: Span): string {
	return `${normalizeTime(span.start)}-${normalizeTime(span.end)}`;
}

/** Why the server would refuse a span (`span_format`, `span_order`), or null. */
export function spanProblem(span: Span): 'span_format' | 'span_order' | null {
	const start = timeMinutes(normalizeTime(span.start));
	const end = timeMinutes(normalizeTime(span.end));
	if (start === null || end === null || start === DAY_MINUTES) return 'span_format';
	if (end <= start) return 'span_order';
	return null;
}

/** Start and end in minutes of a span the server would take, else null. */
function spanMinutes(span: Span): { start: number; end: number } | null {
	if (spanProblem(span)) return null;
	return { start: timeMinutes(normalizeTime(span.start))!, end: timeMinutes(normalizeTime(span.end))! };
}

// ----------------------------------------------------------------------
// The weekly pattern as rows

/** One working span on screen; `key` stays with the row while others come and go. */
export interface SpanRow extends Span {
	key: number;
}

/** Seven days of rows, Monday first. */
export type WeekRows = SpanRow[][];

export const PATTERNS = ['work_pattern', 'ramadan_pattern'] as const;
export type PatternName = (typeof PATTERNS)[number];

/** A day takes at most this many spans on screen. */
export const MAX_SPANS_PER_DAY = 6;

/**
 * The usual field shift: Monday to Thursday 08:00–12:00 and 13:00–17:00,
 * Friday 08:00–11:30 and 13:00–17:00 (the Friday prayer), Saturday
 * 08:00–12:00, Sunday off (the server's default).
 */
export const STANDARD_WEEK: readonly (readonly string[])[] = [
	['08:00-12:00', '13:00-17:00'],
	['08:00-12:00', '13:00-17:00'],
	['08:00-12:00', '13:00-17:00'],
	['08:00-12:00', '13:00-17:00'],
	['08:00-11:30', '13:00-17:00'],
	['08:00-12:00'],
	[]
];

/** Shorter Ramadan hours (the server's default for them). */
export const RAMADAN_WEEK: readonly (readonly string[])[] = [
	['08:00-12:00', '12:30-15:30'],
	['08:00-12:00', '12:30-15:30'],
	['08:00-12:00', '12:30-15:30'],
	['08:00-12:00', '12:30-15:30'],
	['08:00-11:30', '13:00-15:30'],
	['08:00-12:00'],
	[]
];

let rowKeys = 0;
/** A fresh row key. */
export function nextRowKey(): number {
	return ++rowKeys;
}

/** Rows for a pattern as the server sends it (always seven days; a day missing is a day off). */
export function weekRows(pattern: readonly (readonly string[])[] | null | undefined): WeekRows {
	return Array.from({ length: 7 }, (_, d) =>
		(pattern?.[d] ?? []).map((text) => {
			const span = parseSpan(text) ?? { start: text, end: '' };
			return { key: nextRowKey(), start: span.start, end: span.end };
		})
	);
}

/** A row nobody filled in: left out of what is sent. */
export function isBlank(row: Span): boolean {
	return !row.start.trim() && !row.end.trim();
}

/** The rows of a day that are sent, in order (their index is the server's). */
function sentRows(day: readonly SpanRow[]): SpanRow[] {
	return day.filter((r) => !isBlank(r));
}

/** The pattern as the server takes it: seven lists of `HH:MM-HH:MM`, blank rows left out. */
export function weekPattern(rows: WeekRows): string[][] {
	return Array.from({ length: 7 }, (_, d) => sentRows(rows[d] ?? []).map(spanText));
}

/** `work_pattern.4.1`: the second span sent for Friday. */
export function spanField(pattern: PatternName, day: number, index: number): string {
	return `${pattern}.${day}.${index}`;
}

/**
 * What the server would refuse in a pattern, under its field names: a span
 * that is no `HH:MM-HH:MM` or ends before it starts (`work_pattern.4.1`),
 * or spans of a day that overlap (`work_pattern.4`).
 */
export function checkWeek(rows: WeekRows, pattern: PatternName): FieldError[] {
	const errors: FieldError[] = [];
	for (let d = 0; d < 7; d++) {
		const day = sentRows(rows[d] ?? []);
		let readable = true;
		day.forEach((row, i) => {
			const problem = spanProblem(row);
			if (problem) {
				readable = false;
				errors.push({
					field: spanField(pattern, d, i),
					code: problem,
					detail: problem === 'span_format' ? 'a time span as HH:MM-HH:MM' : 'the end must be after the start'
				});
			}
		});
		if (!readable) continue;
		const spans = day.map((r) => spanMinutes(r)!).sort((a, b) => a.start - b.start);
		if (spans.some((s, i) => i > 0 && s.start < spans[i - 1]!.end)) {
			errors.push({ field: `${pattern}.${d}`, code: 'span_overlap', detail: 'spans of one day must not overlap' });
		}
	}
	return errors;
}

/** A sensible next span for a day: the morning when empty, else from an hour after the last one ends. */
export function suggestSpan(day: readonly Span[]): Span {
	const ends = day.map((r) => spanMinutes(r)?.end).filter((e): e is number => e !== undefined);
	if (ends.length === 0) return { start: '08:00', end: '12:00' };
	const last = Math.max(...ends);
	if (last >= DAY_MINUTES - 60) return { start: '', end: '' };
	const start = last + 60;
	return { start: minutesText(start), end: minutesText(Math.min(start + 240, DAY_MINUTES)) };
}

/** Working minutes of a day (spans the server would take). */
export function dayMinutes(day: readonly Span[]): number {
	return day.reduce((sum, row) => {
		const span = spanMinutes(row);
		return sum + (span ? span.end - span.start : 0);
	}, 0);
}

/** Working time in hours and minutes, never days: "40 jam", "7 jam 30 menit". */
export function hoursText(minutes: number): string {
	const total = Math.max(0, Math.round(minutes));
	const h = Math.floor(total / 60);
	const rest = total % 60;
	if (h === 0) return durationWords.minutes({ count: rest });
	if (rest === 0) return durationWords.hours({ count: h });
	return `${durationWords.hours({ count: h })} ${durationWords.minutes({ count: rest })}`;
}

/** Working minutes of a week. */
export function weekMinutes(rows: WeekRows): number {
	return rows.reduce((sum, day) => sum + dayMinutes(day), 0);
}

/** The breaks of a day: gaps between its spans, in order. */
export function dayGaps(day: readonly Span[]): Span[] {
	const spans = day
		.map((r) => spanMinutes(r))
		.filter((s): s is { start: number; end: number } => s !== null)
		.sort((a, b) => a.start - b.start);
	const gaps: Span[] = [];
	for (let i = 1; i < spans.length; i++) {
		const from = spans[i - 1]!.end;
		const to = spans[i]!.start;
		if (to > from) gaps.push({ start: minutesText(from), end: minutesText(to) });
	}
	return gaps;
}

/** Friday, Monday first. */
export const FRIDAY = 4;

/**
 * How a Friday stands against the Friday prayer (around 12:00–12:30): a
 * break over that time (`break`, with the gap), work straight through it
 * (`through`), or no work around it at all (`none`).
 */
export function fridayPrayer(day: readonly Span[]): { kind: 'break'; gap: Span } | { kind: 'through' } | { kind: 'none' } {
	const from = 12 * 60;
	const to = from + 30;
	const spans = day.map((r) => spanMinutes(r)).filter((s): s is { start: number; end: number } => s !== null);
	if (spans.some((s) => s.start <= from && s.end >= to)) return { kind: 'through' };
	const gap = dayGaps(day).find((g) => timeMinutes(g.start)! <= from && timeMinutes(g.end)! >= to);
	return gap ? { kind: 'break', gap } : { kind: 'none' };
}

const WEEKDAYS: readonly (() => string)[] = [
	() => m.techs_weekday_mon(),
	() => m.techs_weekday_tue(),
	() => m.techs_weekday_wed(),
	() => m.techs_weekday_thu(),
	() => m.techs_weekday_fri(),
	() => m.techs_weekday_sat(),
	() => m.techs_weekday_sun()
];

/** Senin … Minggu (0 = Monday). */
export function weekdayName(day: number): string {
	return WEEKDAYS[day]?.() ?? String(day);
}

/**
 * Where a pattern's field errors show: on the row sent at that place
 * (`work_pattern.4.1`), on the day (`work_pattern.4`: spans overlap), or on
 * the pattern as a whole. `snapshot` is what was sent: the row keys of each
 * day in order and their text then.
 */
export interface PatternSnapshot {
	keys: number[][];
	texts: string[][];
}

export function snapshotWeek(rows: WeekRows): PatternSnapshot {
	const days = Array.from({ length: 7 }, (_, d) => sentRows(rows[d] ?? []));
	return { keys: days.map((day) => day.map((r) => r.key)), texts: days.map((day) => day.map(spanText)) };
}

export interface PlacedPatternErrors {
	/** By row key. */
	rows: Map<number, FieldError>;
	/** By day (0 = Monday). */
	days: Map<number, FieldError>;
	/** About the pattern as a whole (such as not seven days). */
	whole: FieldError[];
}

export function placePatternErrors(errors: readonly FieldError[], pattern: PatternName, snapshot: PatternSnapshot): PlacedPatternErrors {
	const placed: PlacedPatternErrors = { rows: new Map(), days: new Map(), whole: [] };
	for (const error of errors) {
		if (error.field !== pattern && !error.field.startsWith(`${pattern}.`) && !error.field.startsWith(`${pattern}[`)) continue;
		const match = /^[a-z_]+(?:\.|\[)(\d+)\]?(?:(?:\.|\[)(\d+)\]?)?$/.exec(error.field);
		const day = match ? Number(match[1]) : NaN;
		if (!match || !(day >= 0 && day < 7)) {
			placed.whole.push(error);
			continue;
		}
		if (match[2] === undefined) {
			if (!placed.days.has(day)) placed.days.set(day, error);
			continue;
		}
		const key = snapshot.keys[day]?.[Number(match[2])];
		if (key === undefined) {
			if (!placed.days.has(day)) placed.days.set(day, error);
		} else if (!placed.rows.has(key)) {
			placed.rows.set(key, error);
		}
	}
	return placed;
}

/**
 * The placed errors still true of what is on screen: a row's while the row
 * reads as it was sent, a day's while the day does.
 */
export function visiblePatternErrors(placed: PlacedPatternErrors, snapshot: PatternSnapshot, rows: WeekRows): PlacedPatternErrors {
	const now = snapshotWeek(rows);
	const sentText = new Map<number, string>();
	snapshot.keys.forEach((keys, d) => keys.forEach((key, i) => sentText.set(key, snapshot.texts[d]![i]!)));
	const currentText = new Map<number, string>();
	for (const day of rows) for (const row of day) currentText.set(row.key, spanText(row));
	const result: PlacedPatternErrors = { rows: new Map(), days: new Map(), whole: placed.whole };
	for (const [key, error] of placed.rows) if (currentText.get(key) === sentText.get(key)) result.rows.set(key, error);
	for (const [day, error] of placed.days) {
		if (JSON.stringify(now.texts[day]) === JSON.stringify(snapshot.texts[day])) result.days.set(day, error);
	}
	return result;
}

// ----------------------------------------------------------------------
// Skills

/** A skill of the catalogue with the technician's level (0: none). */
export interface SkillRow {
	skill_id: string;
	code: string;
	name: string;
	level: number;
	/** False for a skill the catalogue no longer offers (the server refuses it). */
	offered: boolean;
}

export const SKILL_LEVELS = [1, 2, 3, 4, 5] as const;

/** The catalogue's active skills by name with the technician's levels, then any they hold that is no longer offered. */
export function skillRows(catalogue: readonly Skill[], held: readonly SkillLevel[]): SkillRow[] {
	const level = new Map(held.map((s) => [s.skill_id, s.level]));
	const offered = catalogue
		.filter((s) => s.active)
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((s) => ({ skill_id: s.id, code: s.code, name: s.name, level: level.get(s.id) ?? 0, offered: true }));
	const ids = new Set(offered.map((s) => s.skill_id));
	const retired = held
		.filter((s) => !ids.has(s.skill_id))
		.map((s) => ({ skill_id: s.skill_id, code: s.code, name: s.name || s.code, level: s.level, offered: false }));
	return [...offered, ...retired];
}

/** The skills sent: those with a level, in the order shown. */
export function skillsInput(rows: readonly SkillRow[]): SkillLevelInput[] {
	return rows.filter((r) => r.level > 0).map((r) => ({ skill_id: r.skill_id, level: r.level }));
}

/** Field errors of `skills.{i}.…` by the id of the skill sent at `i`. */
export function placeSkillErrors(errors: readonly FieldError[], sent: readonly string[]): Map<string, FieldError> {
	const placed = new Map<string, FieldError>();
	for (const error of errors) {
		const match = /^skills(?:\.|\[)(\d+)\]?/.exec(error.field);
		const id = match ? sent[Number(match[1])] : undefined;
		if (id && !placed.has(id)) placed.set(id, error);
	}
	return placed;
}

// ----------------------------------------------------------------------
// The profile form

export interface ProfileForm {
	home: { lat: number; lng: number } | null;
	home_address: string;
	max_jobs_per_day: string;
	employer: Employer;
	partner_name: string;
	week: WeekRows;
	ramadan: boolean;
	ramadanWeek: WeekRows;
	skills: SkillRow[];
}

/** The form for a profile as read (Ramadan rows from the usual Ramadan hours until it has its own). */
export function profileForm(profile: TechnicianProfile, catalogue: readonly Skill[]): ProfileForm {
	return {
		home: profile.home ? { lat: profile.home.lat, lng: profile.home.lng } : null,
		home_address: profile.home_address,
		max_jobs_per_day: String(profile.max_jobs_per_day),
		employer: profile.employer,
		partner_name: profile.partner_name,
		week: weekRows(profile.work_pattern),
		ramadan: !!profile.ramadan_pattern,
		ramadanWeek: weekRows(profile.ramadan_pattern ?? RAMADAN_WEEK),
		skills: skillRows(catalogue, profile.skills)
	};
}

/** A whole number typed in a field, else NaN. */
function wholeNumber(text: string): number {
	const t = text.trim();
	return /^\d+$/.test(t) ? Number(t) : NaN;
}

/** What `PUT /technicians/{id}/profile` is sent. */
export function profileBody(form: ProfileForm): TechnicianProfileBody {
	return {
		home: form.home ? { lat: form.home.lat, lng: form.home.lng } : null,
		home_address: form.home_address.trim(),
		max_jobs_per_day: wholeNumber(form.max_jobs_per_day),
		employer: form.employer,
		partner_name: form.employer === 'partner' ? form.partner_name.trim() : '',
		work_pattern: weekPattern(form.week),
		ramadan_pattern: form.ramadan ? weekPattern(form.ramadanWeek) : null,
		skills: skillsInput(form.skills)
	};
}

/** The profile as read, in the shape it is sent (to compare with a form). */
export function savedBody(profile: TechnicianProfile): TechnicianProfileBody {
	return {
		home: profile.home ? { lat: profile.home.lat, lng: profile.home.lng } : null,
		home_address: profile.home_address.trim(),
		max_jobs_per_day: profile.max_jobs_per_day,
		employer: profile.employer,
		partner_name: profile.employer === 'partner' ? profile.partner_name.trim() : '',
		work_pattern: Array.from({ length: 7 }, (_, d) => [...(profile.work_pattern[d] ?? [])]),
		ramadan_pattern: profile.ramadan_pattern ? Array.from({ length: 7 }, (_, d) => [...(profile.ramadan_pattern?.[d] ?? [])]) : null,
		skills: [...profile.skills].filter((s) => s.level > 0).map((s) => ({ skill_id: s.skill_id, level: s.level }))
	};
}

/** What the server would refuse in the form, under its field names (checked before sending). */
export function checkProfile(form: ProfileForm): FieldError[] {
	const errors: FieldError[] = [];
	const jobs = wholeNumber(form.max_jobs_per_day);
	if (!(jobs >= 1 && jobs <= 20)) {
		errors.push({ field: 'max_jobs_per_day', code: 'range', detail: 'from 1 to 20 jobs a day', params: { min: 1, max: 20 } });
	}
	if (form.employer === 'partner' && !form.partner_name.trim()) {
		errors.push({ field: 'partner_name', code: 'required', detail: 'name the partner company (mitra)' });
	}
	errors.push(...checkWeek(form.week, 'work_pattern'));
	if (form.ramadan) errors.push(...checkWeek(form.ramadanWeek, 'ramadan_pattern'));
	form.skills
		.filter((r) => r.level > 0)
		.forEach((r, i) => {
			if (!r.offered) errors.push({ field: `skills.${i}.skill_id`, code: 'unknown', detail: 'no active skill with this id' });
		});
	return errors;
}

/** The parts of a profile, for saying what changed. */
export const PROFILE_SECTIONS = ['home', 'max_jobs_per_day', 'employer', 'work_pattern', 'ramadan_pattern', 'skills'] as const;
export type ProfileSection = (typeof PROFILE_SECTIONS)[number];

function sectionValue(body: TechnicianProfileBody, section: ProfileSection): string {
	switch (section) {
		case 'home':
			return JSON.stringify([body.home, body.home_address]);
		case 'max_jobs_per_day':
			return JSON.stringify(body.max_jobs_per_day);
		case 'employer':
			return JSON.stringify([body.employer, body.partner_name]);
		case 'work_pattern':
			return JSON.stringify(body.work_pattern);
		case 'ramadan_pattern':
			return JSON.stringify(body.ramadan_pattern);
		case 'skills':
			return JSON.stringify([...body.skills].sort((a, b) => a.skill_id.localeCompare(b.skill_id)));
	}
}

/** The parts that differ between two versions of a profile. */
export function changedSections(a: TechnicianProfileBody, b: TechnicianProfileBody): ProfileSection[] {
	return PROFILE_SECTIONS.filter((s) => sectionValue(a, s) !== sectionValue(b, s));
}

/**
 * After someone else saved first: their version, with the parts this form
 * changed (`mine`) put back on top, so neither side's work is lost; the
 * parts both changed keep this form's values and are for the person to
 * look at before saving again.
 */
export function mergeForms(theirs: ProfileForm, mine: ProfileForm, changed: readonly ProfileSection[]): ProfileForm {
	const merged: ProfileForm = { ...theirs };
	for (const section of changed) {
		switch (section) {
			case 'home':
				merged.home = mine.home;
				merged.home_address = mine.home_address;
				break;
			case 'max_jobs_per_day':
				merged.max_jobs_per_day = mine.max_jobs_per_day;
				break;
			case 'employer':
				merged.employer = mine.employer;
				merged.partner_name = mine.partner_name;
				break;
			case 'work_pattern':
				merged.week = mine.week;
				break;
			case 'ramadan_pattern':
				merged.ramadan = mine.ramadan;
				merged.ramadanWeek = mine.ramadanWeek;
				break;
			case 'skills':
				merged.skills = mine.skills;
				break;
		}
	}
	return merged;
}

const SECTION_NAMES: Record<ProfileSection, () => string> = {
	home: () => m.techs_section_home(),
	max_jobs_per_day: () => m.techs_section_max_jobs(),
	employer: () => m.techs_section_employer(),
	work_pattern: () => m.techs_section_week(),
	ramadan_pattern: () => m.techs_section_ramadan(),
	skills: () => m.techs_section_skills()
};

/** "Home base, Skills". */
export function sectionNames(sections: readonly ProfileSection[]): string {
	return sections.map((s) => SECTION_NAMES[s]()).join(', ');
}

// ----------------------------------------------------------------------
// The last known position

/** Whole minutes since `at` (never negative); null without a valid time. */
export function minutesAgo(at: string | null | undefined, now: number): number | null {
	if (!at) return null;
	const t = Date.parse(at);
	if (Number.isNaN(t)) return null;
	return Math.max(0, Math.floor((now - t) / 60_000));
}

/** "diambil 2 jam lalu" / "taken 2 h ago"; "baru saja diambil" within the minute. */
export function positionAgeText(at: string, now: number): string {
	const minutes = minutesAgo(at, now);
	if (minutes === null) return '—';
	if (minutes < 1) return m.techs_position_just_now();
	return m.techs_position_taken({ time: shortDuration(minutes, durationWords) });
}

// ----------------------------------------------------------------------
// Leave and sick days

export const LEAVE_STATUSES: readonly LeaveStatus[] = ['requested', 'approved', 'rejected', 'cancelled'];
export const LEAVE_KINDS: readonly LeaveKind[] = ['leave', 'sick'];

/** How far back a day of leave may start, and how long leave lasts at most (the server's limits). */
export const LEAVE_BACK_DAYS = 14;
export const LEAVE_MAX_DAYS = 60;

const LEAVE_STATUS_NAMES: Record<LeaveStatus, () => string> = {
	requested: () => m.leave_status_requested(),
	approved: () => m.leave_status_approved(),
	rejected: () => m.leave_status_rejected(),
	cancelled: () => m.leave_status_cancelled()
};

export function leaveStatusName(status: string): string {
	return LEAVE_STATUS_NAMES[status as LeaveStatus]?.() ?? status;
}

export function leaveStatusBadge(status: string): string {
	switch (status) {
		case 'requested':
			return 'badge badge-warn';
		case 'approved':
			return 'badge badge-ok';
		case 'rejected':
			return 'badge badge-off';
		default:
			return 'badge';
	}
}

const LEAVE_KIND_NAMES: Record<LeaveKind, () => string> = {
	leave: () => m.leave_kind_leave(),
	sick: () => m.leave_kind_sick()
};

export function leaveKindName(kind: string): string {
	return LEAVE_KIND_NAMES[kind as LeaveKind]?.() ?? kind;
}

/** A field error of the leave form, with the server's own limits said plainly. */
export function leaveErrorText(error: FieldError): string {
	if (error.field === 'to' && error.code === 'range') return m.leave_error_too_long({ days: String(LEAVE_MAX_DAYS) });
	if (error.field === 'from' && error.code === 'date_past') return m.leave_error_too_far_back({ days: String(LEAVE_BACK_DAYS) });
	return fieldErrorText(error);
}

/** Requests waiting for a decision first, then by first day, then as they came in. */
export function sortLeave<T extends Pick<Leave, 'status' | 'from' | 'created_at'>>(items: readonly T[]): T[] {
	const rank = (l: T) => (l.status === 'requested' ? 0 : 1);
	return [...items].sort((a, b) => rank(a) - rank(b) || a.from.localeCompare(b.from) || a.created_at.localeCompare(b.created_at));
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayNumber(day: string): number | null {
	const match = DATE.exec(day);
	if (!match) return null;
	const utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	return Number.isNaN(utc) ? null : utc / 86_400_000;
}

/** Days from `from` to `to`, both included (0 when unreadable or reversed). */
export function leaveDays(from: string, to: string): number {
	const a = dayNumber(from);
	const b = dayNumber(to);
	if (a === null || b === null || b < a) return 0;
	return b - a + 1;
}

/** "3 hari" / "3 days", "1 day". */
export function daysText(count: number): string {
	return count === 1 ? m.leave_one_day() : m.leave_days({ count });
}

/** Leave that has not begun may still be withdrawn (the technician's own, or by a supervisor). */
export function canCancelLeave(leave: Pick<Leave, 'status' | 'from'>, today: string): boolean {
	return (leave.status === 'requested' || leave.status === 'approved') && leave.from > today;
}

const intlLocale: Record<string, string> = { id: 'id-ID', en: 'en-GB' };

/** A calendar day (`YYYY-MM-DD`) in words: "Sen, 2 Mar 2026" (with the weekday) or "2 Mar 2026". */
export function formatDay(day: string, locale: string, weekday = true): string {
	const n = dayNumber(day);
	if (n === null) return day || '—';
	return new Intl.DateTimeFormat(intlLocale[locale] ?? locale, {
		timeZone: 'UTC',
		weekday: weekday ? 'short' : undefined,
		day: 'numeric',
		month: 'short',
		year: 'numeric'
	}).format(new Date(n * 86_400_000));
}

/** "Sen, 2 Mar 2026 – Rab, 4 Mar 2026", or one day. */
export function formatPeriod(from: string, to: string, locale: string): string {
	return from === to ? formatDay(from, locale) : `${formatDay(from, locale)} – ${formatDay(to, locale)}`;
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number | null {
	const n = dayNumber(day);
	if (n === null) return null;
	// 1970-01-01 was a Thursday (3).
	return (((n + 3) % 7) + 7) % 7;
}

// ----------------------------------------------------------------------
// The on-call rota

/** The span a new turn starts with: the evening until midnight. */
export const ON_CALL_SPAN: Span = { start: '17:00', end: '24:00' };

/** The server shows at most this many days at once. */
export const ON_CALL_MAX_DAYS = 92;

/** Each day from `from` to `to` (both included, at most `ON_CALL_MAX_DAYS` + 1). */
export function daysBetween(from: string, to: string): string[] {
	const count = leaveDays(from, to);
	return Array.from({ length: Math.min(count, ON_CALL_MAX_DAYS + 1) }, (_, i) => addDays(from, i));
}

/** The rota by day, every day of the range listed (the empty ones too), each day's turns by start then name. */
export function turnsByDay(turns: readonly OnCallTurn[], from: string, to: string): { day: string; turns: OnCallTurn[] }[] {
	const start = (t: OnCallTurn) => timeMinutes(parseSpan(t.span)?.start ?? '') ?? 0;
	return daysBetween(from, to).map((day) => ({
		day,
		turns: turns.filter((t) => t.day === day).sort((a, b) => start(a) - start(b) || a.technician_name.localeCompare(b.technician_name))
	}));
}

// ----------------------------------------------------------------------
// Dispatch settings

export const DISPATCH_MODES: readonly DispatchMode[] = ['automatic', 'suggest'];
export const WEIGHTS = ['travel', 'workload', 'skill_surplus', 'continuity', 'urgency'] as const;
export type Weight = (typeof WEIGHTS)[number];

export interface SettingsForm {
	mode: DispatchMode;
	weights: Record<Weight, string>;
	road_factor: string;
	speed_kmh: string;
	accept_minutes: string;
	ramadan_from: string;
	ramadan_to: string;
	/** The OSRM-compatible routing server's address; empty: straight-line estimates. */
	routing_url: string;
}

/** Fields of the settings form, in form order, as the server names them. */
export const SETTINGS_FIELDS: readonly string[] = [
	'mode',
	...WEIGHTS.map((w) => `weights.${w}`),
	'routing_url',
	'road_factor',
	'speed_kmh',
	'accept_minutes',
	'ramadan_from',
	'ramadan_to'
];

/** "1.5" in the UI language's way is fine too: "1,5". */
function decimal(text: string): number {
	const t = text.trim().replace(',', '.');
	return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

const plain = (value: number) => String(Math.round(value * 1000) / 1000);

export function settingsForm(s: DispatchSettings): SettingsForm {
	return {
		mode: s.mode,
		weights: {
			travel: plain(s.weights.travel),
			workload: plain(s.weights.workload),
			skill_surplus: plain(s.weights.skill_surplus),
			continuity: plain(s.weights.continuity),
			urgency: plain(s.weights.urgency)
		},
		road_factor: plain(s.road_factor),
		speed_kmh: plain(s.speed_kmh),
		accept_minutes: String(s.accept_minutes),
		ramadan_from: s.ramadan_from ?? '',
		ramadan_to: s.ramadan_to ?? '',
		routing_url: s.routing_url ?? ''
	};
}

export function settingsBody(f: SettingsForm): DispatchSettingsInput {
	return {
		mode: f.mode,
		weights: {
			travel: decimal(f.weights.travel),
			workload: decimal(f.weights.workload),
			skill_surplus: decimal(f.weights.skill_surplus),
			continuity: decimal(f.weights.continuity),
			urgency: decimal(f.weights.urgency)
		},
		road_factor: decimal(f.road_factor),
		speed_kmh: decimal(f.speed_kmh),
		accept_minutes: wholeNumber(f.accept_minutes),
		ramadan_from: f.ramadan_from.trim() || null,
		ramadan_to: f.ramadan_to.trim() || null,
		// Always sent: the whole settings are saved at once, and an empty address means none.
		routing_url: f.routing_url.trim() || null
	};
}

function range(field: string, value: number, min: number, max: number): FieldError | null {
	return Number.isFinite(value) && value >= min && value <= max
		? null
		: { field, code: 'range', detail: `a number from ${min} to ${max}`, params: { min, max } };
}

/** What the server would refuse in the settings (checked before sending). */
export function checkSettings(f: SettingsForm): FieldError[] {
	const body = settingsBody(f);
	const errors: (FieldError | null)[] = [
		...WEIGHTS.map((w) => range(`weights.${w}`, body.weights[w], 0, 100)),
		range('road_factor', body.road_factor, 1, 3),
		range('speed_kmh', body.speed_kmh, 5, 80),
		range('accept_minutes', body.accept_minutes, 5, 1440)
	];
	const from = body.ramadan_from;
	const to = body.ramadan_to;
	if (from && !to) errors.push({ field: 'ramadan_to', code: 'required', detail: 'give both days of Ramadan, or neither' });
	if (to && !from) errors.push({ field: 'ramadan_from', code: 'required', detail: 'give both days of Ramadan, or neither' });
	if (from && to && to < from) errors.push({ field: 'ramadan_to', code: 'order', detail: 'the end must not be before the start' });
	return errors.filter((e): e is FieldError => e !== null);
}

/** A field's value in the settings form, by its server name (`weights.travel`). */
function settingsValue(f: SettingsForm, field: string): string {
	if (field.startsWith('weights.')) return f.weights[field.slice('weights.'.length) as Weight] ?? '';
	const value = f[field as Exclude<keyof SettingsForm, 'weights'>];
	return typeof value === 'string' ? value.trim() : '';
}

/** The fields (server names) whose values differ between two settings forms, in form order. */
export function settingsDiff(a: SettingsForm, b: SettingsForm): string[] {
	return SETTINGS_FIELDS.filter((field) => {
		const x = settingsValue(a, field);
		const y = settingsValue(b, field);
		// "1.0" and "1" are the same number.
		const nx = Number(x.replace(',', '.'));
		const ny = Number(y.replace(',', '.'));
		return x !== y && !(x !== '' && y !== '' && Number.isFinite(nx) && nx === ny);
	});
}

const MODE_NAMES: Record<DispatchMode, () => string> = {
	automatic: () => m.dsettings_mode_automatic(),
	suggest: () => m.dsettings_mode_suggest()
};

export function dispatchModeName(mode: string): string {
	return MODE_NAMES[mode as DispatchMode]?.() ?? mode;
}
