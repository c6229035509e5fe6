/**
 * A job's documentation (its checklist), without a browser in it: what a
 * technician types turned into the value each entry kind takes, the reading
 * judged against the ISP's band, the progress line, and the text stamped on
 * a photo. The server checks everything again; these checks only spare a
 * round trip and keep what was typed.
 */
import type { components } from '$lib/api/schema';
import type { TicketStatus } from '$lib/api/types';

type Schemas = components['schemas'];
export type JobChecklist = Schemas['JobChecklist'];
export type ChecklistEntry = Schemas['ChecklistEntry'];
export type EntryKind = Schemas['EntryKind'];
export type Signal = Schemas['Signal'];
export type OpticalBand = Schemas['OpticalBand'];

/** The entry keys the server may name, by ticket kind (the server's list decides; this only names them). */
export const ENTRY_KEYS = [
	'odp_port',
	'drop_cable_m',
	'ont_serial',
	'rx_power',
	'speed_test',
	'photo_odp',
	'photo_ont',
	'photo_cabling',
	'customer_signature',
	'diagnosis',
	'cause',
	'resolution',
	'photo_repair',
	'photo_dismantle'
] as const;

/** What blocks completion besides entries: a weak reading without a supervisor's exception. */
export const RX_POWER_WEAK = 'rx_power_weak';

export const CAUSE_CODES = [
	'drop_cable_cut',
	'drop_cable_bent',
	'connector_dirty',
	'ont_faulty',
	'power_adapter',
	'odp_port',
	'splitter',
	'feeder_cut',
	'router_settings',
	'customer_device',
	'other'
] as const;

export const RESOLUTION_CODES = [
	'replaced_drop_cable',
	'respliced',
	'cleaned_connector',
	'replaced_ont',
	'replaced_adapter',
	'moved_port',
	'reconfigured',
	'advised_customer',
	'other'
] as const;

/** A job is documented from acceptance until it is resolved (the server refuses otherwise). */
const DOCUMENTED: readonly TicketStatus[] = ['accepted', 'en_route', 'on_site', 'pending', 'reopened'];

export function isDocumented(status: TicketStatus): boolean {
	return DOCUMENTED.includes(status);
}

/**
 * A number as a phone types it: "-19,4", "-19.4", "−19,4" (a typographic
 * minus), with spaces around; null when it is not one number.
 */
export function parseDecimal(text: string): number | null {
	const s = text.trim().replace(/[\u2212\u2013]/g, '-').replace(/\s+/g, '').replace(',', '.');
	if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return null;
	const n = Number(s);
	return Number.isFinite(n) ? n : null;
}

/** A number for an input again: the way the locale writes its decimal ("-19,4" in Indonesian). */
export function decimalText(value: number, locale: string): string {
	const text = String(value);
	return locale === 'id' ? text.replace('.', ',') : text;
}

/** What a reading means against the band: weaker than `weakest` blocks completion, weaker than `warn_from` warns. */
export function judgeDbm(dbm: number, band: OpticalBand): Signal {
	if (dbm < band.weakest) return 'weak';
	if (dbm < band.warn_from) return 'warning';
	return 'healthy';
}

/** What an entry's form holds while it is typed: text for every field (a number stays as typed until saved). */
export interface Draft {
	port: string;
	meters: string;
	serial: string;
	dbm: string;
	download_mbps: string;
	upload_mbps: string;
	ping_ms: string;
	code: string;
	text: string;
	signer: string;
	attachment_ids: string[];
	attachment_id: string;
}

export const EMPTY_DRAFT: Draft = {
	port: '',
	meters: '',
	serial: '',
	dbm: '',
	download_mbps: '',
	upload_mbps: '',
	ping_ms: '',
	code: '',
	text: '',
	signer: '',
	attachment_ids: [],
	attachment_id: ''
};

function field(value: unknown, name: string): unknown {
	return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}

function asText(v: unknown, locale: string): string {
	if (typeof v === 'number' && Number.isFinite(v)) return decimalText(v, locale);
	if (typeof v === 'string') return v;
	return '';
}

/** The form of an entry as recorded (empty when nothing is). */
export function draftOf(entry: Pick<ChecklistEntry, 'kind' | 'value'>, locale = 'id'): Draft {
	const v = entry.value ?? null;
	const draft: Draft = { ...EMPTY_DRAFT, attachment_ids: [] };
	if (!v) return draft;
	switch (entry.kind) {
		case 'odp_port':
			draft.port = asText(field(v, 'port'), locale);
			break;
		case 'length':
			draft.meters = asText(field(v, 'meters'), locale);
			break;
		case 'ont_serial':
			draft.serial = asText(field(v, 'serial'), locale);
			break;
		case 'optical_power':
			draft.dbm = asText(field(v, 'dbm'), locale);
			break;
		case 'speed_test':
			draft.download_mbps = asText(field(v, 'download_mbps'), locale);
			draft.upload_mbps = asText(field(v, 'upload_mbps'), locale);
			draft.ping_ms = asText(field(v, 'ping_ms'), locale);
			break;
		case 'photos': {
			const ids = field(v, 'attachment_ids');
			draft.attachment_ids = Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
			break;
		}
		case 'signature':
			draft.attachment_id = asText(field(v, 'attachment_id'), locale);
			draft.signer = asText(field(v, 'signer'), locale);
			break;
		case 'code':
			draft.code = asText(field(v, 'code'), locale);
			break;
		case 'text':
			draft.text = asText(field(v, 'text'), locale);
			break;
	}
	return draft;
}

/** A problem found before sending: the draft field and the field error code (as the server would say it). */
export interface LocalProblem {
	field: keyof Draft;
	code: 'required' | 'format';
}

export type Built = { value: Record<string, unknown> } | { problems: LocalProblem[] };

/** The draft fields an entry kind shows (in order), for errors and focus. */
export function draftFields(kind: EntryKind): (keyof Draft)[] {
	switch (kind) {
		case 'odp_port':
			return ['port'];
		case 'length':
			return ['meters'];
		case 'ont_serial':
			return ['serial'];
		case 'optical_power':
			return ['dbm'];
		case 'speed_test':
			return ['download_mbps', 'upload_mbps', 'ping_ms'];
		case 'photos':
			return ['attachment_ids'];
		case 'signature':
			return ['signer', 'attachment_id'];
		case 'code':
			return ['code'];
		case 'text':
			return ['text'];
	}
}

/**
 * The value to send for a draft, in the entry kind's form
 * (`{dbm: -19.4}`, `{download_mbps, upload_mbps, ping_ms?}`, ...), or what is
 * missing or unreadable. Ranges are the server's to judge (it names them).
 */
export function buildValue(kind: EntryKind, draft: Draft): Built {
	const problems: LocalProblem[] = [];
	const num = (name: keyof Draft, optional = false): number | null => {
		const text = String(draft[name] ?? '').trim();
		if (text === '') {
			if (!optional) problems.push({ field: name, code: 'required' });
			return null;
		}
		const n = parseDecimal(text);
		if (n === null) problems.push({ field: name, code: 'format' });
		return n;
	};
	const text = (name: keyof Draft): string => {
		const t = String(draft[name] ?? '').trim();
		if (t === '') problems.push({ field: name, code: 'required' });
		return t;
	};
	let value: Record<string, unknown> = {};
	switch (kind) {
		case 'odp_port': {
			const port = num('port');
			if (port !== null && !Number.isInteger(port)) problems.push({ field: 'port', code: 'format' });
			value = { port };
			break;
		}
		case 'length':
			value = { meters: num('meters') };
			break;
		case 'ont_serial':
			value = { serial: text('serial').replace(/\s+/g, '').toUpperCase() };
			break;
		case 'optical_power':
			value = { dbm: num('dbm') };
			break;
		case 'speed_test': {
			const down = num('download_mbps');
			const up = num('upload_mbps');
			const ping = num('ping_ms', true);
			value = ping === null ? { download_mbps: down, upload_mbps: up } : { download_mbps: down, upload_mbps: up, ping_ms: ping };
			break;
		}
		case 'photos':
			if (draft.attachment_ids.length === 0) problems.push({ field: 'attachment_ids', code: 'required' });
			value = { attachment_ids: [...draft.attachment_ids] };
			break;
		case 'signature': {
			const signer = text('signer');
			if (!draft.attachment_id) problems.push({ field: 'attachment_id', code: 'required' });
			value = { attachment_id: draft.attachment_id, signer };
			break;
		}
		case 'code':
			value = { code: text('code') };
			break;
		case 'text':
			value = { text: text('text') };
			break;
	}
	return problems.length > 0 ? { problems } : { value };
}

/**
 * The draft field a server field error is about: `value.dbm` → `dbm`,
 * `value.attachment_ids[0]` → `attachment_ids`, `value` → the entry's first
 * field; null for a field of no entry.
 */
export function draftField(serverField: string, kind: EntryKind): keyof Draft | null {
	const fields = draftFields(kind);
	if (serverField === 'value') return fields[0] ?? null;
	const m = /^value\.([a-z_]+)/.exec(serverField);
	if (!m) return null;
	const name = m[1] as keyof Draft;
	return fields.includes(name) ? name : (fields[0] ?? null);
}

/** Whether an entry holds a value. */
export function isRecorded(entry: Pick<ChecklistEntry, 'value'>): boolean {
	return entry.value !== null && entry.value !== undefined;
}

/** "7 of 9": the required entries recorded, of all required ones. */
export function progress(checklist: Pick<JobChecklist, 'entries'>): { done: number; total: number } {
	const required = checklist.entries.filter((e) => e.required);
	return { done: required.filter(isRecorded).length, total: required.length };
}

/** The reading recorded on the job, if any (its `optical_power` entry). */
export function recordedDbm(checklist: Pick<JobChecklist, 'entries'>): number | null {
	const entry = checklist.entries.find((e) => e.kind === 'optical_power' && isRecorded(e));
	const dbm = entry ? field(entry.value, 'dbm') : undefined;
	return typeof dbm === 'number' && Number.isFinite(dbm) ? dbm : null;
}

/** Whether a supervisor may approve an exception now: the reading is weak and none is approved for it. */
export function needsException(checklist: Pick<JobChecklist, 'optical'>): boolean {
	return checklist.optical.signal === 'weak' && !checklist.optical.exception;
}

/** The two values an entry and its draft are compared by (saved or not). */
export function sameValue(a: unknown, b: unknown): boolean {
	return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The attachment ids an entry names (photos and signatures). */
export function attachmentIds(entry: Pick<ChecklistEntry, 'kind' | 'value'>): string[] {
	const d = draftOf(entry);
	if (entry.kind === 'photos') return d.attachment_ids;
	if (entry.kind === 'signature' && d.attachment_id) return [d.attachment_id];
	return [];
}

/** Where and when a photo was taken, as the phone said. */
export interface Capture {
	at: Date;
	lat?: number | null;
	lng?: number | null;
	accuracy?: number | null;
}

/** "-6.914700, 107.609810 ±12 m": coordinates to six places (about 10 cm), the accuracy rounded. */
export function coordinatesText(c: Pick<Capture, 'lat' | 'lng' | 'accuracy'>): string | null {
	if (typeof c.lat !== 'number' || typeof c.lng !== 'number' || !Number.isFinite(c.lat) || !Number.isFinite(c.lng)) return null;
	const acc = typeof c.accuracy === 'number' && Number.isFinite(c.accuracy) ? ` ±${Math.round(c.accuracy)} m` : '';
	return `${c.lat.toFixed(6)}, ${c.lng.toFixed(6)}${acc}`;
}

/**
 * The lines stamped in a photo's corner: the date and time in the ISP's zone
 * ("25-11-2026 14:05:09 WIB"), and the coordinates when the phone gave them
 * (else `noPosition`).
 */
export function stampLines(c: Capture, timeZone: string, noPosition: string): string[] {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
		hourCycle: 'h23',
		timeZoneName: 'short'
	}).formatToParts(c.at);
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
	const zone = timeZone === 'Asia/Jakarta' ? 'WIB' : timeZone === 'Asia/Makassar' ? 'WITA' : timeZone === 'Asia/Jayapura' ? 'WIT' : get('timeZoneName');
	const when = `${get('day')}-${get('month')}-${get('year')} ${get('hour')}:${get('minute')}:${get('second')} ${zone}`.trim();
	return [when, coordinatesText(c) ?? noPosition];
}

/** A picture's size to fit within `max` px on its long side (never made larger). */
export function fitWithin(width: number, height: number, max = 1600): { width: number; height: number } {
	const long = Math.max(width, height);
	if (long <= max || long === 0) return { width, height };
	const scale = max / long;
	return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The form fields of the photo upload for a capture (position only when both coordinates are known). */
export function captureFields(c: Capture): Record<string, string> {
	const fields: Record<string, string> = { taken_at: c.at.toISOString() };
	if (coordinatesText(c)) {
		fields.lat = String(c.lat);
		fields.lng = String(c.lng);
		if (typeof c.accuracy === 'number' && Number.isFinite(c.accuracy)) fields.accuracy_m = String(Math.round(c.accuracy * 10) / 10);
	}
	return fields;
}

/** The band as the admin form holds it, and what it would send. */
export interface BandForm {
	weakest: string;
	warn_from: string;
}

export function bandForm(band: OpticalBand, locale = 'id'): BandForm {
	return { weakest: decimalText(band.weakest, locale), warn_from: decimalText(band.warn_from, locale) };
}

/** The band to send, or the fields that are not numbers (the server judges the range). */
export function bandBody(form: BandForm): { band: OpticalBand } | { problems: { field: keyof BandForm; code: 'required' | 'format' }[] } {
	const problems: { field: keyof BandForm; code: 'required' | 'format' }[] = [];
	const read = (name: keyof BandForm) => {
		const t = form[name].trim();
		if (t === '') {
			problems.push({ field: name, code: 'required' });
			return 0;
		}
		const n = parseDecimal(t);
		if (n === null) problems.push({ field: name, code: 'format' });
		return n ?? 0;
	};
	const band = { weakest: read('weakest'), warn_from: read('warn_from') };
	return problems.length > 0 ? { problems } : { band };
}
