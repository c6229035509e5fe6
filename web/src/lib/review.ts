/**
 * A supervisor's review of finished jobs and a technician's day, without a
 * browser in it: the queue filtered by what was typed, the comment a job
 * came back with, the job's Berita Acara among its files, and the day's
 * time on site and distance split for words.
 */
import type { components } from '$lib/api/schema';

type Schemas = components['schemas'];
export type JobForReview = Schemas['JobForReview'];
export type JobReview = Schemas['JobReview'];
export type MyDay = Schemas['MyDay'];
export type DayJob = Schemas['DayJob'];

/** Lower case, without accents, spaces squeezed: how typed text is compared. */
function fold(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * The jobs whose number, customer or technician hold every word typed
 * ("budi 0001": Budi's jobs whose number has 0001 in it).
 */
export function filterReviews<T extends Pick<JobForReview, 'number' | 'customer_name' | 'technician_name'>>(items: readonly T[], query: string): T[] {
	const words = fold(query).split(' ').filter(Boolean);
	if (words.length === 0) return [...items];
	return items.filter((job) => {
		const hay = fold(`${job.number} ${job.customer_name} ${job.technician_name ?? ''}`);
		return words.every((w) => hay.includes(w));
	});
}

/** Why a job came back: who sent it back, what they wrote, when. */
export interface ReworkNote {
	by: string | null;
	comment: string;
	at: string;
}

interface NotificationLike {
	kind: string;
	ticket_id?: string | null;
	created_at: string;
	data: unknown;
}

function field(data: unknown, key: string): string | null {
	const v = (data as Record<string, unknown> | null)?.[key];
	return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/**
 * The supervisor's comment a job came back with: the newest of the
 * technician's `job_rework` notifications for the ticket and the
 * documentation's own review (when it says `rework`). A newer approval
 * means there is nothing to redo; null when the job never came back.
 */
export function reworkNote(ticketId: string, notifications: readonly NotificationLike[], review?: JobReview | null): ReworkNote | null {
	let best: ReworkNote | null = null;
	for (const n of notifications) {
		if (n.kind !== 'job_rework' || n.ticket_id !== ticketId) continue;
		const comment = field(n.data, 'comment');
		if (!comment) continue;
		if (!best || Date.parse(n.created_at) > Date.parse(best.at)) best = { by: field(n.data, 'by'), comment, at: n.created_at };
	}
	if (review && (!best || Date.parse(review.reviewed.at) >= Date.parse(best.at))) {
		if (review.decision !== 'rework') return null;
		if (review.comment.trim()) best = { by: review.reviewed.name ?? null, comment: review.comment.trim(), at: review.reviewed.at };
	}
	return best;
}

interface AttachmentLike {
	id: string;
	file_name: string;
	content_type: string;
	created_at: string;
	removed_at?: string | null;
}

/** The job's Berita Acara among its files: the newest `BA-….pdf` still kept (`-R1` after a rework is newer). */
export function beritaAcara<T extends AttachmentLike>(attachments: readonly T[]): T | null {
	let best: T | null = null;
	for (const a of attachments) {
		if (a.removed_at || a.content_type !== 'application/pdf' || !/^BA-.+\.pdf$/i.test(a.file_name)) continue;
		if (!best || Date.parse(a.created_at) > Date.parse(best.created_at)) best = a;
	}
	return best;
}

/** Where an attachment's bytes are read (the timeline names only its id). */
export function attachmentHref(id: string): string {
	return `/api/v1/attachments/${encodeURIComponent(id)}/content`;
}

/** Minutes as whole hours and the minutes left: 135 → {hours: 2, minutes: 15}. */
export function hoursAndMinutes(total: number): { hours: number; minutes: number } {
	const whole = Math.max(0, Math.round(Number.isFinite(total) ? total : 0));
	return { hours: Math.floor(whole / 60), minutes: whole % 60 };
}

/** Metres as kilometres with one decimal, the reader's way: 12_345 → "12,3" (id), "12.3" (en). */
export function kmText(metres: number, locale: string): string {
	const km = Math.max(0, Number.isFinite(metres) ? metres : 0) / 1000;
	return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(km);
}

/** Metres rounded, the reader's way: 1234.4 → "1.234" (id). */
export function metresText(metres: number, locale: string): string {
	return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: 0 }).format(Math.round(metres));
}

/** A day as YYYY-MM-DD moved by `days` (calendar arithmetic, no time zone in it). */
export function shiftDay(day: string, days: number): string {
	const at = new Date(`${day}T00:00:00Z`);
	if (Number.isNaN(at.getTime())) return day;
	at.setUTCDate(at.getUTCDate() + days);
	return at.toISOString().slice(0, 10);
}

/** A time of day in the ISP's zone: "08.15" (id), "08:15" (en); "—" for none. */
export function clockTime(value: string | null | undefined, locale: string, timeZone: string): string {
	const at = value ? new Date(value) : null;
	if (!at || Number.isNaN(at.getTime())) return '—';
	return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'id-ID', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}
