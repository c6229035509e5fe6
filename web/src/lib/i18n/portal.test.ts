import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import type { Ticket, TimelineEntry } from '$lib/api/types';
import { PROGRESS_STEPS } from '$lib/portal';
import { TICKET_STATUSES } from './labels';
import { appointmentText, customerNotificationText, pauseReasonName, progressStepName, ticketHeadline, ticketKindName, portalStatusName, timelineText } from './portal';

type Locale = 'id' | 'en';
let locale: Locale = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

type Head = Pick<Ticket, 'status' | 'kind' | 'technician' | 'pending_reason'>;
const head = (over: Partial<Head>): Head => ({ status: 'new', kind: 'repair', technician: null, pending_reason: null, ...over });
const budi = { id: 'u1', name: 'Budi' };

type Entry = Pick<TimelineEntry, 'kind' | 'actor_name' | 'actor_role' | 'from_status' | 'to_status' | 'data'>;
/** The schema types `data` as an empty object; the server fills it per kind. */
const entry = ({ data, ...over }: Partial<Omit<Entry, 'data'>> & { data?: Record<string, unknown> }): Entry => ({
	kind: 'moved',
	actor_name: 'Budi',
	actor_role: 'technician',
	from_status: null,
	to_status: null,
	data: (data ?? {}) as Entry['data'],
	...over
});

describe('status wording', () => {
	it('names every status and kind in both languages', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			for (const status of TICKET_STATUSES) expect(portalStatusName(status)).not.toBe(status);
			for (const kind of ['installation', 'repair', 'upgrade', 'relocation', 'dismantle']) expect(ticketKindName(kind)).not.toBe(kind);
			for (const step of PROGRESS_STEPS) expect(progressStepName(step)).toBeTruthy();
		}
		locale = 'id';
		expect(portalStatusName('en_route')).toBe('Menuju lokasi');
		expect(portalStatusName('unknown')).toBe('unknown');
	});

	it('says where the visit stands, with the technician by name', () => {
		expect(ticketHeadline(head({ status: 'en_route', technician: budi }))).toBe('Teknisi Budi sedang menuju lokasi.');
		expect(ticketHeadline(head({ status: 'on_site', technician: budi }))).toBe('Teknisi Budi sudah tiba di lokasi.');
		expect(ticketHeadline(head({ status: 'assigned', technician: budi }))).toBe('Teknisi Budi ditugaskan untuk Anda.');
		expect(ticketHeadline(head({ status: 'en_route' }))).toBe('Teknisi sedang menuju lokasi.');
		locale = 'en';
		expect(ticketHeadline(head({ status: 'en_route', technician: budi }))).toBe('Technician Budi is on the way.');
	});

	it('says why a visit waits, and what a finished installation means', () => {
		expect(ticketHeadline(head({ status: 'pending', pending_reason: 'weather' }))).toBe('Penanganan ditunda: cuaca tidak memungkinkan.');
		expect(ticketHeadline(head({ status: 'pending', pending_reason: 'something_new' }))).toBe('Penanganan ditunda: menunggu.');
		expect(ticketHeadline(head({ status: 'resolved', kind: 'installation' }))).toMatch(/^Pemasangan selesai/);
		expect(ticketHeadline(head({ status: 'new', kind: 'installation' }))).toMatch(/^Pendaftaran Anda/);
		expect(pauseReasonName(null)).toBe('menunggu');
	});
});

describe('timeline wording', () => {
	it('tells the technician steps by name', () => {
		expect(timelineText(entry({ to_status: 'accepted', from_status: 'assigned' }))).toBe('Teknisi Budi menerima tugas');
		expect(timelineText(entry({ to_status: 'en_route', from_status: 'accepted' }))).toBe('Teknisi Budi berangkat menuju lokasi');
		expect(timelineText(entry({ to_status: 'on_site', from_status: 'en_route' }))).toBe('Teknisi Budi tiba di lokasi');
		expect(timelineText(entry({ to_status: 'resolved', from_status: 'on_site' }))).toBe('Pekerjaan selesai');
	});

	it('names the ticket technician when a supervisor recorded the step', () => {
		const bySupervisor = entry({ actor_name: 'Sari', actor_role: 'supervisor', to_status: 'en_route', from_status: 'accepted' });
		expect(timelineText(bySupervisor, 'Budi')).toBe('Teknisi Budi berangkat menuju lokasi');
		expect(timelineText(bySupervisor)).toBe('Teknisi berangkat menuju lokasi');
	});

	it('tells an assignment by the technician chosen', () => {
		const assigned = entry({ kind: 'assigned', actor_name: 'Sari', actor_role: 'supervisor', to_status: 'assigned', data: { technician_name: 'Budi' } });
		expect(timelineText(assigned)).toBe('Teknisi Budi ditugaskan');
		expect(timelineText({ ...assigned, data: {} as Entry['data'] })).toBe('Teknisi ditugaskan');
	});

	it('speaks to the customer about what they did', () => {
		expect(timelineText(entry({ kind: 'created', actor_role: 'customer' }))).toBe('Anda mengirim laporan');
		expect(timelineText(entry({ kind: 'created', actor_role: 'cs' }))).toBe('Tiket dibuat');
		expect(timelineText(entry({ kind: 'created', actor_role: 'customer' }), null, 'installation')).toBe('Pendaftaran pemasangan diterima');
		expect(timelineText(entry({ actor_role: 'customer', to_status: 'cancelled', from_status: 'new' }), null, 'installation')).toBe('Anda membatalkan pemasangan');
		expect(timelineText(entry({ actor_role: 'customer', to_status: 'cancelled', from_status: 'new' }))).toBe('Anda membatalkan laporan');
		expect(timelineText(entry({ actor_role: 'customer', to_status: 'reopened', from_status: 'resolved' }))).toBe('Anda membuka kembali tiket');
		expect(timelineText(entry({ kind: 'rated', actor_role: 'customer', data: { rating: 5 } }))).toBe('Anda memberi nilai 5 dari 5');
	});

	it('tells pauses, resumptions, remote fixes and outages', () => {
		expect(timelineText(entry({ to_status: 'pending', from_status: 'on_site', data: { pause_reason: 'parts' } }))).toBe('Ditunda: menunggu material');
		expect(timelineText(entry({ to_status: 'accepted', from_status: 'pending' }))).toBe('Penanganan dilanjutkan');
		expect(timelineText(entry({ actor_role: 'cs', to_status: 'resolved', from_status: 'new', data: { remote_reason: 'isolir' } }))).toBe(
			'Selesai tanpa kunjungan: isolir sudah dibuka'
		);
		expect(timelineText(entry({ kind: 'outage_joined', actor_role: 'system', data: { outage_number: 'OUT-2026-000004' } }))).toBe(
			'Termasuk gangguan massal OUT-2026-000004'
		);
		expect(timelineText(entry({ kind: 'outage_resolved', actor_role: 'system' }))).toBe('Gangguan massal sudah diperbaiki');
	});

	it('says a declined visit is being given to someone else, without naming anyone', () => {
		expect(timelineText(entry({ kind: 'declined', from_status: 'assigned', to_status: 'new' }))).toBe('Kami mencarikan teknisi lain untuk Anda');
		locale = 'en';
		expect(timelineText(entry({ kind: 'declined', actor_role: 'system', from_status: 'assigned', to_status: 'new' }))).toBe('We are finding another technician for you');
	});

	it('falls back to a plain sentence for what it does not know', () => {
		expect(timelineText(entry({ kind: 'sla_at_risk' }))).toBe('Detail tiket diperbarui');
		locale = 'en';
		expect(timelineText(entry({ kind: 'mystery' }))).toBe('Ticket details updated');
	});
});

describe('Berita Acara and arrivals for the customer', () => {
	it('names the Berita Acara and tells how near the technician arrived', () => {
		expect(timelineText(entry({ kind: 'berita_acara', actor_name: 'NetCrew', actor_role: 'system', data: { attachment_id: 'f1', number: 'BA-TRB-2026-000101' } }))).toBe(
			'Berita acara BA-TRB-2026-000101 dibuat'
		);
		expect(timelineText(entry({ to_status: 'on_site', from_status: 'en_route', data: { position: { distance_m: 18.2 } } }))).toBe('Teknisi Budi tiba di lokasi (± 18 m dari lokasi)');
		// Setting off far away is no news for the customer.
		expect(timelineText(entry({ to_status: 'en_route', from_status: 'accepted', data: { position: { distance_m: 5400 } } }))).toBe('Teknisi Budi berangkat menuju lokasi');
		locale = 'en';
		expect(timelineText(entry({ kind: 'berita_acara', actor_role: 'system', data: { number: 'BA-TRB-2026-000101' } }))).toContain('BA-TRB-2026-000101');
	});
});

describe('appointment', () => {
	it('shows the day and the window, or nothing', () => {
		const day = (d: string) => `[${d}]`;
		expect(appointmentText({ appointment_date: '2026-11-26', appointment_window: '08:00-12:00' }, day)).toBe('[2026-11-26] · Pagi, 08.00–12.00');
		expect(appointmentText({ appointment_date: '2026-11-26', appointment_window: null }, day)).toBe('[2026-11-26]');
		expect(appointmentText({ appointment_date: null, appointment_window: null }, day)).toBeNull();
	});
});

describe('notifications in the customer\'s words', () => {
	const note = (kind: string, data: Record<string, unknown> = {}, ticket_number: string | null = 'TRB-2026-000123') => ({ kind, ticket_number, data });

	it('says where the ticket stands with the portal\'s names, never who on the staff moved it', () => {
		expect(customerNotificationText(note('ticket_status', { from: 'new', to: 'en_route', by: 'Sari' }))).toBe('Tiket TRB-2026-000123: Menuju lokasi');
		locale = 'en';
		expect(customerNotificationText(note('ticket_status', { to: 'resolved' }))).toBe(`Ticket TRB-2026-000123: ${portalStatusName('resolved')}`);
	});

	it('tells of messages and outages, and of anything else plainly', () => {
		expect(customerNotificationText(note('ticket_comment', { by: 'Sari' }))).toBe('Pesan baru tentang tiket TRB-2026-000123');
		expect(customerNotificationText(note('outage_declared', { outage_number: 'OUT-2026-000001' }))).toContain('TRB-2026-000123');
		expect(customerNotificationText(note('outage_resolved', { outage_number: 'OUT-2026-000001' }))).toBe(
			'Gangguan massal sudah diperbaiki: tiket TRB-2026-000123 selesai'
		);
		expect(customerNotificationText(note('ticket_status', {}))).toBe('Ada kabar tentang tiket TRB-2026-000123');
		expect(customerNotificationText(note('sla_breached'))).toBe('Ada kabar tentang tiket TRB-2026-000123');
		expect(customerNotificationText(note('outage_declared', { outage_number: 'OUT-2026-000001' }, null))).toContain('OUT-2026-000001');
	});
});
