import { describe, expect, it } from 'vitest';
import type { PlannedJob, QueueItem, TechnicianDay } from './dispatch-board';
import {
	ageText,
	boardMap,
	fitKey,
	initials,
	isFresh,
	isPlace,
	markerId,
	minutesSince,
	readMarkerId,
	routeOf,
	routeStart,
	slaColor,
	SLA_COLORS,
	STALE_AFTER_MINUTES,
	techPlace,
	type AgeWords,
	type MapWords
} from './dispatch-map';

const NOW = Date.parse('2026-11-30T03:00:00Z');
const HOME = { lat: -6.95, lng: 107.65 };
const HERE = { lat: -6.91, lng: 107.61 };

function minutesBefore(minutes: number): string {
	return new Date(NOW - minutes * 60_000).toISOString();
}

function item(over: Partial<QueueItem> = {}): QueueItem {
	return {
		id: 'q1',
		number: 'TRB-2026-000001',
		kind: 'repair',
		status: 'new',
		priority: 'normal',
		sla_state: 'on_track',
		due_at: '2026-11-30T05:00:00Z',
		appointment_date: null,
		appointment_window: null,
		area_id: 'area-1',
		customer_name: 'Siti Rahayu',
		address: 'Jl. Dago 1',
		location: { lat: -6.9, lng: 107.6 },
		version: 1,
		...over
	};
}

function job(over: Partial<PlannedJob> = {}): PlannedJob {
	return {
		ticket_id: 'j1',
		number: 'TRB-2026-000010',
		kind: 'repair',
		status: 'assigned',
		priority: 'normal',
		customer_name: 'Budi',
		address: 'Jl. Riau 2',
		location: { lat: -6.92, lng: 107.62 },
		appointment_window: '08:00-12:00',
		arrive: '08:20',
		begin: '08:20',
		end: '09:20',
		travel_minutes: 20,
		late_minutes: 0,
		version: 1,
		...over
	};
}

function tech(over: Partial<TechnicianDay> = {}): TechnicianDay {
	return {
		id: 't1',
		name: 'Agus Pratama',
		areas: ['area-1'],
		shift: ['08:00-12:00', '13:00-17:00'],
		on_call: [],
		on_leave: false,
		max_jobs: 6,
		jobs: [],
		travel_minutes: 0,
		late_minutes: 0,
		home: HOME,
		position: null,
		...over
	};
}

const ageWords: AgeWords = {
	minutes: ({ count }) => `${count} menit`,
	hours: ({ count }) => `${count} jam`,
	days: ({ count }) => `${count} hari`,
	justNow: () => 'baru saja',
	ago: (time) => `${time} lalu`,
	unknown: () => '?'
};

const words: MapWords = {
	...ageWords,
	homeBase: () => 'titik awal',
	positionLine: (age) => `Posisi terakhir ${age}`,
	noPosition: () => 'Belum ada posisi',
	dayLine: (t) => `${t.jobs.length}/${t.max_jobs}`,
	ticketLines: (q, sla) => [q.customer_name, sla],
	jobLines: (j) => [j.customer_name],
	openTicket: () => 'Buka tiket',
	openTechnician: () => 'Buka profil'
};

describe('places and ages', () => {
	it('draws only real places', () => {
		expect(isPlace({ lat: -6.9, lng: 107.6 })).toBe(true);
		expect(isPlace(null)).toBe(false);
		expect(isPlace(undefined)).toBe(false);
		expect(isPlace({ lat: 0, lng: 0 })).toBe(false);
		expect(isPlace({ lat: 91, lng: 0.5 })).toBe(false);
		expect(isPlace({ lat: Number.NaN, lng: 107 })).toBe(false);
	});

	it('counts whole minutes since a time, never negative', () => {
		expect(minutesSince(minutesBefore(12.7), NOW)).toBe(12);
		expect(minutesSince(new Date(NOW + 90_000).toISOString(), NOW)).toBe(0);
		expect(minutesSince('not a time', NOW)).toBeNull();
		expect(minutesSince(null, NOW)).toBeNull();
	});

	it('keeps a position fresh up to two hours, as the server does', () => {
		expect(STALE_AFTER_MINUTES).toBe(120);
		expect(isFresh(0)).toBe(true);
		expect(isFresh(120)).toBe(true);
		expect(isFresh(121)).toBe(false);
		expect(isFresh(null)).toBe(false);
	});

	it('words an age', () => {
		expect(ageText(0, ageWords)).toBe('baru saja');
		expect(ageText(12, ageWords)).toBe('12 menit lalu');
		expect(ageText(125, ageWords)).toBe('2 jam 5 menit lalu');
		expect(ageText(3 * 1440, ageWords)).toBe('3 hari lalu');
		expect(ageText(null, ageWords)).toBe('?');
	});

	it('makes initials', () => {
		expect(initials('Agus Pratama')).toBe('AP');
		expect(initials('  budi  ')).toBe('BU');
		expect(initials('Siti Nur Aisyah')).toBe('SA');
		expect(initials('Ö. Çelik')).toBe('ÖÇ');
		expect(initials(' - ')).toBe('?');
	});

	it('colours the SLA states like the cards and greys anything else', () => {
		expect(slaColor('on_track')).toBe(SLA_COLORS.on_track);
		expect(slaColor('breached')).toBe('#c62828');
		expect(slaColor('paused')).toBe('#6b7a90');
	});
});

describe('where a technician is drawn and where their route begins', () => {
	it('uses a fresh position', () => {
		const t = tech({ position: { ...HERE, at: minutesBefore(12) } });
		expect(techPlace(t, NOW)).toEqual({ kind: 'position', location: HERE, minutes: 12, stale: false });
		expect(routeStart(t, NOW)).toEqual({ kind: 'position', location: HERE });
	});

	it('draws an old position faded but starts the route at home', () => {
		const t = tech({ position: { ...HERE, at: minutesBefore(121) } });
		expect(techPlace(t, NOW)).toEqual({ kind: 'position', location: HERE, minutes: 121, stale: true });
		expect(routeStart(t, NOW)).toEqual({ kind: 'home', location: HOME });
	});

	it('treats a position with an unreadable time as old', () => {
		const t = tech({ position: { ...HERE, at: 'yesterday' } });
		expect(techPlace(t, NOW)).toMatchObject({ kind: 'position', minutes: null, stale: true });
		expect(routeStart(t, NOW)?.kind).toBe('home');
	});

	it('falls back to home, then to nothing', () => {
		expect(techPlace(tech(), NOW)).toEqual({ kind: 'home', location: HOME });
		expect(techPlace(tech({ home: null }), NOW)).toEqual({ kind: 'none' });
		expect(routeStart(tech({ home: null }), NOW)).toBeNull();
		const oldOnly = tech({ home: null, position: { ...HERE, at: minutesBefore(600) } });
		expect(techPlace(oldOnly, NOW).kind).toBe('position');
		expect(routeStart(oldOnly, NOW)).toBeNull();
	});
});

describe('routeOf', () => {
	const a = job({ ticket_id: 'a', location: { lat: -6.92, lng: 107.62 } });
	const b = job({ ticket_id: 'b', location: { lat: -6.93, lng: 107.63 }, late_minutes: 15 });
	const c = job({ ticket_id: 'c', location: { lat: -6.94, lng: 107.64 } });

	it('runs from the start through the jobs in the planned order', () => {
		const r = routeOf(tech({ jobs: [a, b, c] }), NOW);
		expect(r.start).toEqual({ kind: 'home', location: HOME });
		expect(r.points).toEqual([HOME, a.location, b.location, c.location]);
		expect(r.stops.map((s) => [s.job.ticket_id, s.order, s.late])).toEqual([
			['a', 1, false],
			['b', 2, true],
			['c', 3, false]
		]);
	});

	it('begins at the first job without a start, and skips a job without a place but keeps the numbering', () => {
		const r = routeOf(tech({ home: null, jobs: [a, job({ ticket_id: 'x', location: { lat: 0, lng: 0 } }), c] }), NOW);
		expect(r.start).toBeNull();
		expect(r.points).toEqual([a.location, c.location]);
		expect(r.stops.map((s) => s.order)).toEqual([1, 3]);
	});

	it('is only the start on a day without jobs', () => {
		expect(routeOf(tech(), NOW).points).toEqual([HOME]);
	});
});

describe('marker ids', () => {
	it('round-trips every kind', () => {
		for (const target of [
			{ kind: 'ticket', id: 'q1' },
			{ kind: 'tech', id: 't1' },
			{ kind: 'stop', techId: 't1', ticketId: 'q9' },
			{ kind: 'start', techId: 't1' }
		] as const) {
			expect(readMarkerId(markerId(target))).toEqual(target);
		}
	});

	it('refuses what it did not make', () => {
		expect(readMarkerId('odp:1')).toBeNull();
		expect(readMarkerId('ticket:')).toBeNull();
		expect(readMarkerId('ticket:a:b')).toBeNull();
		expect(readMarkerId('stop:t1')).toBeNull();
	});
});

describe('boardMap', () => {
	const queue = [
		item({ id: 'q1', sla_state: 'on_track' }),
		item({ id: 'q2', number: 'TRB-2026-000002', sla_state: 'at_risk' }),
		// Its due time passed since the board was read: breached now.
		item({ id: 'q3', number: 'TRB-2026-000003', sla_state: 'at_risk', due_at: minutesBefore(5) }),
		item({ id: 'q4', number: 'TRB-2026-000004', location: { lat: 0, lng: 0 } })
	];
	const fresh = tech({ id: 't1', name: 'Agus Pratama', position: { ...HERE, at: minutesBefore(12) } });
	const stale = tech({ id: 't2', name: 'Budi Santoso', position: { lat: -6.8, lng: 107.5, at: minutesBefore(180) } });
	const atHome = tech({ id: 't3', name: 'Citra Dewi' });
	const nowhere = tech({ id: 't4', name: 'Dedi', home: null });
	const technicians = [fresh, stale, atHome, nowhere];

	it('draws the queue by SLA state, leaving out tickets without a place', () => {
		const { markers } = boardMap({ queue, technicians: [], now: NOW }, words);
		const tickets = markers.filter((mk) => mk.kind === 'ticket');
		expect(tickets.map((mk) => [mk.id, mk.className, mk.color])).toEqual([
			['ticket:q1', 'sla-on_track', SLA_COLORS.on_track],
			['ticket:q2', 'sla-at_risk', SLA_COLORS.at_risk],
			['ticket:q3', 'sla-breached', SLA_COLORS.breached]
		]);
		expect(tickets[0]).toMatchObject({ title: 'TRB-2026-000001', href: '/console/tickets/q1', emphasis: false, lines: ['Siti Rahayu', 'on_track'] });
	});

	it('draws each technician at their position (old ones faded), else at home, and names those with neither', () => {
		const { markers, unplaced, routes, route } = boardMap({ queue: [], technicians, now: NOW }, words);
		expect(markers.map((mk) => [mk.id, mk.kind, mk.className, !!mk.faded, mk.label])).toEqual([
			['tech:t1', 'tech', 'tech-fresh', false, 'Agus Pratama · 12 menit lalu'],
			['tech:t2', 'tech', 'tech-stale', true, 'Budi Santoso · 3 jam lalu'],
			['tech:t3', 'tech-home', 'tech-home', false, 'Citra Dewi · titik awal']
		]);
		expect(markers[0]).toMatchObject({ badge: 'AP', location: HERE, href: '/console/technicians/t1', lines: ['Posisi terakhir 12 menit lalu', '0/6'] });
		expect(markers[2]).toMatchObject({ location: HOME, lines: ['Belum ada posisi', '0/6'] });
		expect(unplaced.map((t) => t.id)).toEqual(['t4']);
		expect(routes).toEqual([]);
		expect(route).toBeNull();
	});

	it('marks the ticket picked', () => {
		const { markers } = boardMap({ queue, technicians: [], now: NOW, ticketId: 'q2' }, words);
		expect(markers.filter((mk) => mk.emphasis).map((mk) => mk.id)).toEqual(['ticket:q2']);
	});

	it('draws the route of the technician picked with numbered stops that do not move the view', () => {
		const jobs = [job({ ticket_id: 'a' }), job({ ticket_id: 'b', location: { lat: -6.97, lng: 107.7 }, late_minutes: 30 })];
		const picked = { ...fresh, jobs };
		const map = boardMap({ queue: [], technicians: [picked, atHome], now: NOW, techId: 't1' }, words);
		expect(map.routes).toEqual([{ id: 'route:t1', points: [HERE, jobs[0]!.location, jobs[1]!.location], color: '#0a55e6', title: 'Agus Pratama' }]);
		const stops = map.markers.filter((mk) => mk.kind === 'stop');
		expect(stops.map((mk) => [mk.id, mk.badge, mk.className, mk.fit])).toEqual([
			['stop:t1:a', '1', 'stop-on-time', false],
			['stop:t1:b', '2', 'stop-late', false]
		]);
		expect(map.markers.find((mk) => mk.id === 'tech:t1')?.emphasis).toBe(true);
		expect(map.markers.find((mk) => mk.id === 'tech:t3')?.emphasis).toBe(false);
		// Starts where the technician is drawn: no separate start marker.
		expect(map.markers.some((mk) => mk.kind === 'start')).toBe(false);
		expect(map.route?.start?.kind).toBe('position');
	});

	it('marks the home base as the start when the technician is drawn at an old position', () => {
		const picked = { ...stale, jobs: [job()] };
		const map = boardMap({ queue: [], technicians: [picked], now: NOW, techId: 't2' }, words);
		const start = map.markers.find((mk) => mk.kind === 'start');
		expect(start).toMatchObject({ id: 'start:t2', location: HOME, fit: false });
		expect(map.routes[0]?.points[0]).toEqual(HOME);
	});

	it('draws no line for a day with a start and no jobs, or for a technician not on the board', () => {
		expect(boardMap({ queue: [], technicians: [atHome], now: NOW, techId: 't3' }, words).routes).toEqual([]);
		const gone = boardMap({ queue: [], technicians: [atHome], now: NOW, techId: 'nobody' }, words);
		expect(gone.route).toBeNull();
		expect(gone.markers.some((mk) => mk.emphasis)).toBe(false);
	});
});

describe('fitKey', () => {
	const base = { date: '2026-11-30', areaId: '', filter: { q: '' }, shown: 3 };

	it('changes with the day, the area, the filters and whether anything is shown, not with how much', () => {
		expect(fitKey(base)).toBe(fitKey({ ...base, shown: 7 }));
		expect(fitKey(base)).not.toBe(fitKey({ ...base, shown: 0 }));
		expect(fitKey(base)).not.toBe(fitKey({ ...base, date: '2026-12-01' }));
		expect(fitKey(base)).not.toBe(fitKey({ ...base, areaId: 'a' }));
		expect(fitKey(base)).not.toBe(fitKey({ ...base, filter: { q: 'siti' } }));
	});
});
