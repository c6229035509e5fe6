/**
 * The dispatch board as plain functions: where a day's times sit on a
 * technician's timeline, how long until a queued ticket's SLA runs out,
 * which queued tickets the filters keep, what a technician's day looks like
 * at a glance, and the days before and after. The server plans the days and
 * decides who may do a job; these only say what to show.
 */
import type { components } from './api/schema';
import { shortDuration, type DurationWords } from './tickets';

export type DispatchBoard = components['schemas']['DispatchBoard'];
export type QueueItem = components['schemas']['QueueItem'];
export type TechnicianDay = components['schemas']['TechnicianDay'];
export type PlannedJob = components['schemas']['PlannedJob'];

// ----------------------------------------------------------------------
// Days

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(text: string | null | undefined): text is string {
	const match = DATE.exec(text ?? '');
	if (!match) return false;
	const y = Number(match[1]);
	const mo = Number(match[2]);
	const d = Number(match[3]);
	const at = new Date(Date.UTC(y, mo - 1, d));
	return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}

/** The day `days` after (or before) `day`: `addDays('2026-11-30', -1)` → `2026-11-29`. */
export function addDays(day: string, days: number): string {
	const match = DATE.exec(day);
	if (!match) return day;
	const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days));
	return at.toISOString().slice(0, 10);
}

/** Day of the week of `YYYY-MM-DD`, 0 = Monday … 6 = Sunday (as the work patterns count). */
export function weekday(day: string): number {
	const match = DATE.exec(day);
	if (!match) return 0;
	const sunday0 = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDay();
	return (sunday0 + 6) % 7;
}

const INTL_LOCALES: Record<string, string> = { id: 'id-ID', en: 'en-GB' };

/** A day with its weekday, in the reader's language: "Senin, 30 Nov 2026"; `short`: "Sen, 30 Nov". */
export function dayName(day: string, locale: string, short = false): string {
	const match = DATE.exec(day);
	if (!match) return day;
	const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return new Intl.DateTimeFormat(INTL_LOCALES[locale] ?? locale, {
		timeZone: 'UTC',
		weekday: short ? 'short' : 'long',
		day: 'numeric',
		month: 'short',
		...(short ? {} : { year: 'numeric' })
	}).format(at);
}

/**
 * The day a queued ticket lands on once assigned: its appointment day, or
 * today for one without (to be done as soon as possible).
 */
export function plannedDay(item: Pick<QueueItem, 'appointment_date'>, today: string): string {
	return item.appointment_date || today;
}

// ----------------------------------------------------------------------
// The timeline

/** `HH:MM` → minutes since midnight; the board's plans may run past midnight (up to 48:00). */
export function clockMinutes(text: string | null | undefined): number | null {
	const match = /^(\d{1,2}):(\d{2})$/.exec((text ?? '').trim());
	if (!match) return null;
	const h = Number(match[1]);
	const min = Number(match[2]);
	if (min > 59 || h > 48 || (h === 48 && min > 0)) return null;
	return h * 60 + min;
}

export interface MinuteSpan {
	start: number;
	end: number;
}

/** `08:00-12:00` → { start: 480, end: 720 }; null when it is not a span of times in order. */
export function spanMinutes(text: string | null | undefined): MinuteSpan | null {
	const parts = (text ?? '').split('-');
	if (parts.length !== 2) return null;
	const start = clockMinutes(parts[0]);
	const end = clockMinutes(parts[1]);
	if (start === null || end === null || end <= start) return null;
	return { start, end };
}

/** 510 → `08:30` (past midnight as 24:xx and on). */
export function clockText(minutes: number): string {
	const whole = Math.max(0, Math.round(minutes));
	return `${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}`;
}

/** The hours a timeline shows unless a day reaches beyond them: 06:00–22:00. */
export const DEFAULT_RANGE: Readonly<MinuteSpan> = { start: 6 * 60, end: 22 * 60 };

/**
 * The hours every timeline on the board shows: 06:00–22:00, widened to
 * whole hours when a shift, an on-call turn or a planned job starts earlier
 * or ends later (never before 00:00 nor after 48:00).
 */
export function timelineRange(days: readonly Pick<TechnicianDay, 'shift' | 'on_call' | 'jobs'>[], base: MinuteSpan = DEFAULT_RANGE): MinuteSpan {
	let start = base.start;
	let end = base.end;
	const see = (from: number | null, to: number | null) => {
		if (from !== null) start = Math.min(start, from);
		if (to !== null) end = Math.max(end, to);
	};
	for (const d of days) {
		for (const s of [...d.shift, ...d.on_call]) {
			const span = spanMinutes(s);
			if (span) see(span.start, span.end);
		}
		for (const j of d.jobs) {
			const arrive = clockMinutes(j.arrive);
			see(arrive === null ? null : arrive - Math.max(0, j.travel_minutes), clockMinutes(j.end));
			see(clockMinutes(j.begin), null);
		}
	}
	return {
		start: Math.max(0, Math.floor(start / 60) * 60),
		end: Math.min(48 * 60, Math.ceil(end / 60) * 60)
	};
}

/** Where a stretch of time sits on the timeline, in percent of its width (clipped to it); null when outside or empty. */
export interface Placement {
	left: number;
	width: number;
}

function round(n: number): number {
	return Math.round(n * 100) / 100;
}

export function place(range: MinuteSpan, from: number, to: number): Placement | null {
	const length = range.end - range.start;
	if (length <= 0) return null;
	const a = Math.max(range.start, Math.min(from, to));
	const b = Math.min(range.end, Math.max(from, to));
	if (b <= a) return null;
	return { left: round(((a - range.start) / length) * 100), width: round(((b - a) / length) * 100) };
}

/** Where a moment sits, in percent; null outside the timeline. */
export function placeAt(range: MinuteSpan, at: number): number | null {
	const length = range.end - range.start;
	if (length <= 0 || at < range.start || at > range.end) return null;
	return round(((at - range.start) / length) * 100);
}

/** The whole hours to mark on the timeline, each with where it sits. */
export function hourMarks(range: MinuteSpan, every = 2): { minutes: number; label: string; left: number }[] {
	const marks: { minutes: number; label: string; left: number }[] = [];
	for (let t = Math.ceil(range.start / 60) * 60; t <= range.end; t += 60 * every) {
		const left = placeAt(range, t);
		if (left !== null) marks.push({ minutes: t, label: clockText(t), left });
	}
	return marks;
}

/** A planned job as the timeline draws it: the road there (thin), the work (a block), late or not. */
export interface JobBlock {
	job: PlannedJob;
	/** The work, begin to end. */
	work: Placement | null;
	/** The road, from leaving to arriving. */
	travel: Placement | null;
	late: boolean;
}

export function jobBlocks(jobs: readonly PlannedJob[], range: MinuteSpan): JobBlock[] {
	return jobs.map((job) => {
		const begin = clockMinutes(job.begin);
		const end = clockMinutes(job.end);
		const arrive = clockMinutes(job.arrive);
		const road = Math.max(0, job.travel_minutes);
		return {
			job,
			work: begin !== null && end !== null ? place(range, begin, Math.max(end, begin + 1)) : null,
			travel: arrive !== null && road >= 1 ? place(range, arrive - road, arrive) : null,
			late: job.late_minutes >= 1
		};
	});
}

/**
 * The lead of a job a technician rides along on in someone else's crew:
 * the lead's id, with their name when they are on the board (they may
 * work in another area); null for the technician's own job. Such a job is
 * the lead's: it is moved on the lead's row.
 */
export function crewLead(
	job: Pick<PlannedJob, 'crew_lead_id'>,
	technicians: readonly Pick<TechnicianDay, 'id' | 'name'>[]
): { id: string; name: string | null } | null {
	const id = job.crew_lead_id;
	if (!id) return null;
	return { id, name: technicians.find((t) => t.id === id)?.name ?? null };
}

/** A technician's working spans, on-call turns or both, placed on the timeline. */
export function spanBlocks(spans: readonly string[], range: MinuteSpan): (Placement & { text: string })[] {
	const out: (Placement & { text: string })[] = [];
	for (const s of spans) {
		const span = spanMinutes(s);
		const at = span && place(range, span.start, span.end);
		if (span && at) out.push({ ...at, text: `${clockText(span.start)}–${clockText(span.end)}` });
	}
	return out;
}

/** Minutes since midnight of an instant in the zone whose offset from UTC is `offsetMinutes` (Asia/Jakarta: 420). */
export function minuteOfDay(at: number, offsetMinutes: number): number {
	const local = Math.floor(at / 60_000) + offsetMinutes;
	return ((local % 1440) + 1440) % 1440;
}

// ----------------------------------------------------------------------
// A technician's day at a glance

/** `leave`: on leave; `off`: neither working nor on call; `on_call`: only on call; `working`: has a shift. */
export type DayState = 'leave' | 'off' | 'on_call' | 'working';

export function dayState(d: Pick<TechnicianDay, 'on_leave' | 'shift' | 'on_call'>): DayState {
	if (d.on_leave) return 'leave';
	if (d.shift.length > 0) return 'working';
	if (d.on_call.length > 0) return 'on_call';
	return 'off';
}

/** Spans as people read them: `08:00-12:00` → `08:00–12:00`, joined. */
export function spansText(spans: readonly string[]): string {
	return spans
		.map((s) => {
			const span = spanMinutes(s);
			return span ? `${clockText(span.start)}–${clockText(span.end)}` : s;
		})
		.join(', ');
}

/** How full the day is: `free` below the limit, `full` at it, `over` beyond (an override). */
export function load(d: Pick<TechnicianDay, 'jobs' | 'max_jobs'>): 'free' | 'full' | 'over' {
	if (d.max_jobs <= 0) return d.jobs.length > 0 ? 'over' : 'full';
	if (d.jobs.length > d.max_jobs) return 'over';
	return d.jobs.length === d.max_jobs ? 'full' : 'free';
}

// ----------------------------------------------------------------------
// The queue

/** The server's priorities, most urgent first, with the labels the rest of the app shows (P1–P4). */
const PRIORITY_LABELS: Record<string, string> = { urgent: 'P1', high: 'P2', normal: 'P3', low: 'P4' };

export function priorityLabel(priority: string): string {
	return PRIORITY_LABELS[priority] ?? priority;
}

/** Whole minutes until the SLA's next due time (negative once passed); null without one (paused). */
export function minutesToDue(dueAt: string | null | undefined, now: number): number | null {
	if (!dueAt) return null;
	const due = Date.parse(dueAt);
	if (Number.isNaN(due)) return null;
	return Math.floor((due - now) / 60_000);
}

/**
 * The SLA state as it stands now: the server's, breached once the due time
 * passed since the board was read (so a card never says "on track" too late).
 */
export function slaStateNow(item: Pick<QueueItem, 'sla_state' | 'due_at'>, now: number): string {
	const left = minutesToDue(item.due_at, now);
	if (left !== null && left < 0) return 'breached';
	return item.sla_state;
}

/** The words a countdown needs; the app passes its translations. */
export interface DueWords extends DurationWords {
	/** "due in {time}" */
	dueIn: (time: string) => string;
	/** "overdue by {time}" */
	overdue: (time: string) => string;
	/** Without a due time (the SLA clock is paused). */
	none: () => string;
}

/** "due in 2 h 15 min", "overdue by 40 min", or the words for no due time. */
export function dueText(dueAt: string | null | undefined, now: number, words: DueWords): string {
	const left = minutesToDue(dueAt, now);
	if (left === null) return words.none();
	const time = shortDuration(left, words);
	return left < 0 ? words.overdue(time) : words.dueIn(time);
}

/** The queue's own filters (kept in the address with the day and the area). */
export interface QueueFilter {
	/** Number or customer name, any part, any case. */
	q: string;
	kind: string;
	priority: string;
	status: string;
	/** Only tickets that land on `day` once assigned. */
	onDay: boolean;
}

export const NO_FILTER: QueueFilter = { q: '', kind: '', priority: '', status: '', onDay: false };

function folded(text: string): string {
	return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * The queued tickets the filters keep, in the server's order (the next due
 * first). `day` and `today` matter only with `onDay`.
 */
export function filterQueue(queue: readonly QueueItem[], filter: QueueFilter, day = '', today = ''): QueueItem[] {
	const words = folded(filter.q).split(/\s+/).filter(Boolean);
	return queue.filter((item) => {
		if (filter.kind && item.kind !== filter.kind) return false;
		if (filter.priority && item.priority !== filter.priority) return false;
		if (filter.status && item.status !== filter.status) return false;
		if (filter.onDay && plannedDay(item, today) !== day) return false;
		if (words.length === 0) return true;
		const hay = folded(`${item.number} ${item.customer_name}`);
		return words.every((w) => hay.includes(w));
	});
}

/** How many of the queue filters are set (for a "clear" button). */
export function activeFilters(filter: QueueFilter): number {
	return [filter.q.trim(), filter.kind, filter.priority, filter.status, filter.onDay ? 'y' : ''].filter(Boolean).length;
}

/** The filters from the address. */
export function readFilter(params: URLSearchParams): QueueFilter {
	return {
		q: params.get('q') ?? '',
		kind: params.get('kind') ?? '',
		priority: params.get('priority') ?? '',
		status: params.get('status') ?? '',
		onDay: params.get('on_day') === 'true'
	};
}

/** The filters as they go in the address (empty ones left out by the caller). */
export function filterParams(filter: QueueFilter): Record<string, string> {
	return {
		q: filter.q.trim(),
		kind: filter.kind,
		priority: filter.priority,
		status: filter.status,
		on_day: filter.onDay ? 'true' : ''
	};
}

/** The values a queue filter offers: those present in the queue, in the order given. */
export function presentValues<K extends 'kind' | 'priority' | 'status'>(queue: readonly QueueItem[], key: K, order: readonly string[]): string[] {
	const present = new Set(queue.map((q) => q[key]));
	const known = order.filter((v) => present.has(v));
	const unknown = [...present].filter((v) => !order.includes(v)).sort();
	return [...known, ...unknown];
}

/** The board without a ticket in its queue (just assigned: it leaves before the board is read again). */
export function withoutQueued(board: DispatchBoard, ticketId: string): DispatchBoard {
	return { ...board, queue: board.queue.filter((q) => q.id !== ticketId) };
}
