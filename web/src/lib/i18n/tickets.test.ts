import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { beritaAcaraLink, notificationText, positionDistance, slaDueText, timelineText } from './tickets';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'id'));

const KINDS = [
	'ticket_created',
	'ticket_assigned',
	'ticket_status',
	'ticket_comment',
	'ticket_rated',
	'sla_at_risk',
	'sla_breached',
	'outage_declared',
	'outage_resolved',
	'visit_rescheduled',
	'assignment_timed_out',
	'crew_added',
	'job_rework'
];

describe('notifications in the reader language', () => {
	it('words a status change with the status name and who made it', () => {
		const n = { kind: 'ticket_status', ticket_number: 'TRB-2026-000007', data: { from: 'assigned', to: 'en_route', by: 'Budi' } };
		locale = 'id';
		expect(notificationText(n)).toBe('TRB-2026-000007 sekarang Dalam perjalanan (oleh Budi)');
		locale = 'en';
		expect(notificationText(n)).toBe('TRB-2026-000007 is now On the way (by Budi)');
	});

	it('has its own sentence for every kind, in both languages, naming the ticket', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			const fallback = notificationText({ kind: 'something_new', ticket_number: 'X-1', data: {} });
			for (const kind of KINDS) {
				const text = notificationText({ kind, ticket_number: 'INS-2026-000001', data: { kind: 'installation', by: 'Sari', rating: 5 } });
				expect(text, `${lang} ${kind}`).toContain('INS-2026-000001');
				expect(text).not.toBe(fallback.replace('X-1', 'INS-2026-000001'));
			}
		}
	});

	it("names a gateway's trouble and its reason", () => {
		locale = 'en';
		expect(notificationText({ kind: 'gateway_problem', ticket_number: null, data: { provider: 'fonnte', reason: 'device disconnected' } })).toBe(
			'WhatsApp gateway fonnte needs attention: device disconnected'
		);
	});

	it('names the outage of an outage notification and does without a missing actor', () => {
		locale = 'en';
		expect(notificationText({ kind: 'outage_declared', ticket_number: null, data: { outage_number: 'OUT-2026-000002' } })).toBe(
			'Outage OUT-2026-000002 declared'
		);
		expect(notificationText({ kind: 'ticket_comment', ticket_number: 'TRB-1', data: {} })).toBe('someone commented on TRB-1');
	});
});

describe('SLA and timeline in words', () => {
	it('says how long is left, or how late', () => {
		locale = 'id';
		expect(slaDueText({ state: 'on_track', dueAt: 'x', target: 'resolution', minutesLeft: 135 })).toBe('batas 2 jam 15 menit lagi');
		expect(slaDueText({ state: 'at_risk', dueAt: 'x', target: 'response', minutesLeft: 20 })).toBe('respons 20 menit lagi');
		expect(slaDueText({ state: 'breached', dueAt: 'x', target: 'resolution', minutesLeft: -65 })).toBe('terlambat 1 jam 5 menit');
		locale = 'en';
		expect(slaDueText({ state: 'breached', dueAt: 'x', target: 'resolution', minutesLeft: -65 })).toBe('overdue by 1 h 5 min');
		expect(slaDueText({ state: 'paused', dueAt: null, target: null, minutesLeft: null })).toBe('SLA paused');
	});

	it('tells who did what', () => {
		locale = 'en';
		const base = { actor_name: 'Rina', from_status: null, to_status: null, data: {} };
		expect(timelineText({ ...base, kind: 'assigned', data: { technician_name: 'Budi' } })).toBe('Rina assigned Budi');
		expect(timelineText({ ...base, kind: 'moved', from_status: 'accepted', to_status: 'pending', data: { pause_reason: 'weather' } })).toBe(
			'Rina put it on hold: Bad weather'
		);
		expect(timelineText({ ...base, kind: 'moved', from_status: 'en_route', to_status: 'on_site' })).toBe('Rina: On the way → On site');
		expect(timelineText({ ...base, kind: 'priority', data: { priority: { from: 'normal', to: 'urgent' } } })).toBe(
			'Rina changed the priority: Normal → Urgent'
		);
		expect(timelineText({ ...base, kind: 'created', data: { source: 'phone' } })).toBe('Rina opened the ticket (by Phone)');
	});

	it('tells a decline from a take-back and from an assignment not accepted in time', () => {
		const declined = { kind: 'declined', from_status: 'assigned', to_status: 'new', data: { technician_id: 't1' } };
		locale = 'id';
		expect(timelineText({ ...declined, actor_name: 'Budi', actor_role: 'technician' })).toBe('Budi menolak penugasan');
		expect(timelineText({ ...declined, actor_name: 'Rina', actor_role: 'supervisor' })).toBe('Rina menarik kembali penugasan');
		expect(timelineText({ ...declined, actor_name: 'NetCrew', actor_role: 'system' })).toBe('Penugasan tidak diterima tepat waktu, tiket kembali ke antrean');
		locale = 'en';
		expect(timelineText({ ...declined, actor_name: 'Budi', actor_role: 'technician' })).toBe('Budi declined the assignment');
		expect(timelineText({ ...declined, actor_name: 'Rina', actor_role: 'admin' })).toBe('Rina took the assignment back');
	});
});

describe('crews', () => {
	it('tells a technician who put them on a crew, naming the ticket', () => {
		const n = { kind: 'crew_added', ticket_number: 'TRB-2026-000009', data: { by: 'Rina' } };
		locale = 'id';
		expect(notificationText(n)).toBe('Rina menambahkan Anda ke tim TRB-2026-000009');
		locale = 'en';
		expect(notificationText(n)).toBe('Rina added you to the crew of TRB-2026-000009');
	});

	it('says who set the crew and whom, or that everyone was removed', () => {
		const base = { kind: 'crew_changed', actor_name: 'Rina', from_status: null, to_status: null };
		locale = 'id';
		expect(timelineText({ ...base, data: { members: ['r', 'a'], names: ['Rudi', 'Asep'], before: [] } })).toBe('Rina mengatur tim: Rudi, Asep');
		expect(timelineText({ ...base, data: { members: [], names: [], before: ['r'] } })).toBe('Rina mengeluarkan semua anggota tim');
		locale = 'en';
		expect(timelineText({ ...base, data: { members: ['r'], names: ['Rudi'], before: ['a'] } })).toBe('Rina set the crew: Rudi');
		expect(timelineText({ ...base, data: null })).toBe('Rina removed everyone from the crew');
	});
});

describe('stock in notifications', () => {
	it('says which item runs low where, how much is left and the reorder level, in both languages', () => {
		const data = { item_id: 'i1', item: 'Kabel drop 1 core', code: 'DROP-1C', location_id: 'l1', location: 'Gudang Bandung', quantity: 1200, minimum: 1500, unit: 'm' };
		locale = 'id';
		expect(notificationText({ kind: 'stock_low', ticket_number: null, data })).toBe('Stok Kabel drop 1 core di Gudang Bandung tinggal 1.200 m (batas 1.500)');
		locale = 'en';
		expect(notificationText({ kind: 'stock_low', ticket_number: null, data })).toBe('Kabel drop 1 core at Gudang Bandung is down to 1,200 m (reorder level 1,500)');
	});

	it('does with the code when the name is missing, and without a unit', () => {
		locale = 'id';
		expect(notificationText({ kind: 'stock_low', ticket_number: null, data: { code: 'ONT-HG8245', location: 'Mobil Budi', quantity: 0, minimum: 2, unit: '' } })).toBe(
			'Stok ONT-HG8245 di Mobil Budi tinggal 0 (batas 2)'
		);
	});
});

describe('leave in notifications', () => {
	it("tells supervisors who asks for leave or reported sick, and when", () => {
		locale = 'id';
		expect(notificationText({ kind: 'leave_requested', ticket_number: null, data: { technician: 'Budi', from: '2026-03-02', to: '2026-03-04', kind: 'leave', leave_id: 'l1' } })).toBe(
			'Budi mengajukan cuti: Sen, 2 Mar 2026 – Rab, 4 Mar 2026'
		);
		locale = 'en';
		expect(notificationText({ kind: 'leave_requested', ticket_number: null, data: { technician: 'Budi', from: '2026-03-02', to: '2026-03-02', kind: 'sick' } })).toBe(
			'Budi reported sick: Mon, 2 Mar 2026'
		);
	});

	it('tells the technician the decision, with its note', () => {
		locale = 'en';
		expect(notificationText({ kind: 'leave_decided', ticket_number: null, data: { status: 'approved', from: '2026-03-02', to: '2026-03-02', by: 'Rina', note: '' } })).toBe(
			'Rina approved your leave request for Mon, 2 Mar 2026'
		);
		locale = 'id';
		expect(
			notificationText({ kind: 'leave_decided', ticket_number: null, data: { status: 'rejected', from: '2026-03-02', to: '2026-03-02', by: 'Rina', note: 'Banyak pemasangan' } })
		).toBe('Rina menolak pengajuan cuti/sakit Anda untuk Sen, 2 Mar 2026: Banyak pemasangan');
	});
});

describe('reviews, Berita Acara and arrivals in words', () => {
	const entry = { actor_name: 'Sari', actor_role: 'supervisor', from_status: null, to_status: null, reason: null };

	it('says who sent a job back and why', () => {
		const n = { kind: 'job_rework', ticket_number: 'TRB-2026-000101', data: { by: 'Sari', comment: 'Foto ODP buram, ulangi.' } };
		locale = 'id';
		expect(notificationText(n)).toBe('Sari mengembalikan TRB-2026-000101 untuk diperbaiki: Foto ODP buram, ulangi.');
		locale = 'en';
		expect(notificationText(n)).toBe('Sari sent TRB-2026-000101 back for rework: Foto ODP buram, ulangi.');
		expect(notificationText({ ...n, data: { by: 'Sari' } })).toBe('Sari sent TRB-2026-000101 back for rework');
		locale = 'id';
	});

	it('names the Berita Acara with a link to its PDF, and an approval', () => {
		const ba = { ...entry, kind: 'berita_acara', actor_name: 'NetCrew', actor_role: 'system', data: { attachment_id: 'f1', number: 'BA-TRB-2026-000101', sha256: 'ab' } };
		locale = 'id';
		expect(timelineText(ba)).toBe('Berita acara BA-TRB-2026-000101 dibuat');
		expect(beritaAcaraLink(ba)).toBe('/api/v1/attachments/f1/content');
		expect(beritaAcaraLink({ kind: 'comment', data: { attachment_id: 'f1' } })).toBeNull();
		expect(timelineText({ ...entry, kind: 'reviewed', data: { decision: 'approved' } })).toBe('Sari menyetujui pekerjaan');
		locale = 'en';
		expect(timelineText({ ...entry, kind: 'reviewed', data: { decision: 'approved' } })).toBe('Sari approved the work');
		locale = 'id';
	});

	it('tells how far from the place an arrival was made', () => {
		const arrived = { ...entry, kind: 'moved', actor_name: 'Budi', actor_role: 'technician', from_status: 'en_route', to_status: 'on_site', data: { position: { lat: -6.2, lng: 106.8, accuracy_m: 9, distance_m: 23.4 } } };
		locale = 'id';
		expect(timelineText(arrived)).toMatch(/^Budi: .+ → .+ \(± 23 m dari lokasi\)$/);
		expect(timelineText({ ...arrived, data: { position: { distance_m: 1234.6 } } })).toContain('(± 1.235 m dari lokasi)');
		expect(timelineText({ ...arrived, data: {} })).not.toContain('±');
		locale = 'en';
		expect(timelineText(arrived)).toContain('(± 23 m from the site)');
		locale = 'id';
		expect(positionDistance({ position: { distance_m: 'x' } })).toBeNull();
		expect(positionDistance(null)).toBeNull();
	});
});
