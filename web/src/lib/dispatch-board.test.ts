import { describe, expect, it } from 'vitest';
import {
	activeFilters,
	addDays,
	clockMinutes,
	clockText,
	crewLead,
	dayName,
	dayState,
	DEFAULT_RANGE,
	dueText,
	filterParams,
	filterQueue,
	hourMarks,
	isDay,
	jobBlocks,
	load,
	minuteOfDay,
	minutesToDue,
	NO_FILTER,
	place,
	placeAt,
	plannedDay,
	presentValues,
	priorityLabel,
	readFilter,
	slaStateNow,
	spanBlocks,
	spanMinutes,
	spansText,
	timelineRange,
	weekday,
	withoutQueued,
	type DispatchBoard,
	type DueWords,
	type PlannedJob,
	type QueueItem,
	type TechnicianDay
} from './dispatch-board';

function item(over: Partial<QueueItem> = {}): QueueItem {
	return {
		id: over.id ?? 'a',
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
		ticket_id: 't1',
		number: 'TRB-2026-000002',
		kind: 'repair',
		status: 'assigned',
		priority: 'normal',
		appointment_window: '08:00-12:00',
		customer_name: 'Budi',
		address: 'Jl. Riau 2',
		location: { lat: -6.9, lng: 107.6 },
		version: 2,
		travel_minutes: 30,
		arrive: '08:30',
		begin: '08:30',
		end: '09:30',
		late_minutes: 0,
		...over
	};
}

function tech(over: Partial<TechnicianDay> = {}): TechnicianDay {
	return {
		id: 'u1',
		name: 'Eko',
		areas: ['area-1'],
		shift: ['08:00-12:00', '13:00-17:00'],
		on_call: [],
		on_leave: false,
		max_jobs: 5,
		position: null,
		home: null,
		jobs: [],
		travel_minutes: 0,
		late_minutes: 0,
		...over
	};
}

describe('days', () => {
	it('knows a real day written YYYY-MM-DD', () => {
		expect(isDay('2026-11-30')).toBe(true);
		expect(isDay('2028-02-29')).toBe(true);
		expect(isDay('2026-02-29')).toBe(false);
		expect(isDay('2026-13-01')).toBe(false);
		expect(isDay('30-11-2026')).toBe(false);
		expect(isDay('')).toBe(false);
		expect(isDay(null)).toBe(false);
	});

	it('steps a day back and forth across months and years', () => {
		expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(addDays('nonsense', 1)).toBe('nonsense');
	});

	it('counts the weekday from Monday', () => {
		expect(weekday('2026-11-30')).toBe(0); // Monday
		expect(weekday('2026-12-04')).toBe(4); // Friday
		expect(weekday('2026-11-29')).toBe(6); // Sunday
	});

	it('names a day with its weekday in the reader\'s language', () => {
		expect(dayName('2026-11-30', 'id')).toMatch(/^Senin.*30.*Nov.*2026$/);
		expect(dayName('2026-11-30', 'en')).toMatch(/^Monday.*30.*Nov.*2026$/);
		expect(dayName('2026-11-30', 'en', true)).toMatch(/^Mon.*30.*Nov$/);
		expect(dayName('someday', 'en')).toBe('someday');
	});

	it('puts a ticket without an appointment on today', () => {
		expect(plannedDay(item(), '2026-11-29')).toBe('2026-11-29');
		expect(plannedDay(item({ appointment_date: '2026-12-01' }), '2026-11-29')).toBe('2026-12-01');
	});
});

describe('the timeline', () => {
	it('reads HH:MM, also past midnight as planned days may run', () => {
		expect(clockMinutes('08:30')).toBe(510);
		expect(clockMinutes('8:05')).toBe(485);
		expect(clockMinutes('24:30')).toBe(1470);
		expect(clockMinutes('48:00')).toBe(2880);
		expect(clockMinutes('48:01')).toBeNull();
		expect(clockMinutes('08:60')).toBeNull();
		expect(clockMinutes('0830')).toBeNull();
		expect(clockMinutes(null)).toBeNull();
		expect(clockText(510)).toBe('08:30');
		expect(clockText(1470)).toBe('24:30');
	});

	it('reads a span only when its times are in order', () => {
		expect(spanMinutes('08:00-12:00')).toEqual({ start: 480, end: 720 });
		expect(spanMinutes('12:00-08:00')).toBeNull();
		expect(spanMinutes('08:00')).toBeNull();
	});

	it('shows 06:00–22:00 unless a day reaches beyond, then whole hours more', () => {
		expect(timelineRange([])).toEqual(DEFAULT_RANGE);
		expect(timelineRange([tech()])).toEqual({ start: 360, end: 1320 });
		expect(timelineRange([tech({ on_call: ['05:30-07:00'] })])).toEqual({ start: 300, end: 1320 });
		// The road to the first job starts before the day does.
		expect(timelineRange([tech({ jobs: [job({ arrive: '06:10', begin: '06:10', end: '07:00', travel_minutes: 25 })] })])).toEqual({ start: 300, end: 1320 });
		expect(timelineRange([tech({ jobs: [job({ arrive: '22:00', begin: '22:00', end: '23:15' })] })])).toEqual({ start: 360, end: 1440 });
	});

	it('places a stretch of time in percent of the width, clipped to it', () => {
		const range = { start: 360, end: 1320 }; // 16 hours
		expect(place(range, 480, 720)).toEqual({ left: 12.5, width: 25 });
		expect(place(range, 300, 420)).toEqual({ left: 0, width: 6.25 });
		expect(place(range, 1260, 1500)).toEqual({ left: 93.75, width: 6.25 });
		expect(place(range, 1320, 1400)).toBeNull();
		expect(place(range, 600, 600)).toBeNull();
		expect(placeAt(range, 840)).toBe(50);
		expect(placeAt(range, 100)).toBeNull();
	});

	it('marks every second hour', () => {
		const marks = hourMarks({ start: 360, end: 600 });
		expect(marks.map((m) => m.label)).toEqual(['06:00', '08:00', '10:00']);
		expect(marks.map((m) => m.left)).toEqual([0, 50, 100]);
	});

	it('draws a job as its work, the road before it, and late when past its window', () => {
		const range = { start: 360, end: 1320 };
		const [onTime, late] = jobBlocks(
			[job(), job({ ticket_id: 't2', arrive: '12:30', begin: '12:30', end: '13:30', travel_minutes: 0.4, late_minutes: 30 })],
			range
		);
		expect(onTime?.work).toEqual({ left: 15.63, width: 6.25 });
		expect(onTime?.travel).toEqual({ left: 12.5, width: 3.13 });
		expect(onTime?.late).toBe(false);
		// Less than a minute on the road draws no road.
		expect(late?.travel).toBeNull();
		expect(late?.late).toBe(true);
		expect(jobBlocks([job({ begin: 'later' })], range)[0]?.work).toBeNull();
	});

	it("tells a job ridden along in someone's crew from the technician's own, with the lead's name from the board", () => {
		const lead = tech({ id: 'lead', name: 'Rudi' });
		const member = tech({ id: 'member', name: 'Asep' });
		expect(crewLead(job(), [lead, member])).toBeNull();
		expect(crewLead(job({ crew_lead_id: null }), [lead, member])).toBeNull();
		expect(crewLead(job({ crew_lead_id: 'lead' }), [lead, member])).toEqual({ id: 'lead', name: 'Rudi' });
		// A lead who is not on this board (another area): known by id only.
		expect(crewLead(job({ crew_lead_id: 'elsewhere' }), [lead, member])).toEqual({ id: 'elsewhere', name: null });
	});

	it('places working spans with their times in words', () => {
		expect(spanBlocks(['08:00-12:00', 'bad'], { start: 360, end: 1320 })).toEqual([{ left: 12.5, width: 25, text: '08:00–12:00' }]);
	});

	it('finds the minute of the day in the ISP zone', () => {
		// 2026-11-29T02:30Z is 09:30 in Jakarta (UTC+7).
		expect(minuteOfDay(Date.parse('2026-11-29T02:30:00Z'), 420)).toBe(570);
		expect(minuteOfDay(Date.parse('2026-11-29T20:00:00Z'), 420)).toBe(180);
	});
});

describe("a technician's day", () => {
	it('says leave first, then a shift, then only on call, else off', () => {
		expect(dayState(tech({ on_leave: true }))).toBe('leave');
		expect(dayState(tech())).toBe('working');
		expect(dayState(tech({ shift: [], on_call: ['18:00-22:00'] }))).toBe('on_call');
		expect(dayState(tech({ shift: [] }))).toBe('off');
	});

	it('writes spans with a dash', () => {
		expect(spansText(['08:00-12:00', '13:00-17:00'])).toBe('08:00–12:00, 13:00–17:00');
	});

	it('says whether the day is full', () => {
		expect(load(tech({ jobs: [job()] }))).toBe('free');
		expect(load(tech({ max_jobs: 1, jobs: [job()] }))).toBe('full');
		expect(load(tech({ max_jobs: 1, jobs: [job(), job()] }))).toBe('over');
	});
});

describe('the queue', () => {
	const words: DueWords = {
		dueIn: (t) => `due in ${t}`,
		overdue: (t) => `overdue by ${t}`,
		none: () => 'paused',
		minutes: (p) => `${p.count} min`,
		hours: (p) => `${p.count} h`,
		days: (p) => `${p.count} d`
	};
	const now = Date.parse('2026-11-30T02:00:00Z');

	it('labels priorities as the rest of the app does', () => {
		expect(['urgent', 'high', 'normal', 'low'].map(priorityLabel)).toEqual(['P1', 'P2', 'P3', 'P4']);
		expect(priorityLabel('odd')).toBe('odd');
	});

	it('counts down to the SLA due time', () => {
		expect(minutesToDue('2026-11-30T04:15:00Z', now)).toBe(135);
		expect(minutesToDue('2026-11-30T01:20:00Z', now)).toBe(-40);
		expect(minutesToDue(null, now)).toBeNull();
		expect(minutesToDue('soon', now)).toBeNull();
		expect(dueText('2026-11-30T04:15:00Z', now, words)).toBe('due in 2 h 15 min');
		expect(dueText('2026-11-30T01:20:00Z', now, words)).toBe('overdue by 40 min');
		expect(dueText('2026-12-02T05:00:00Z', now, words)).toBe('due in 2 d 3 h');
		expect(dueText(null, now, words)).toBe('paused');
	});

	it('turns breached once the due time passed since the board was read', () => {
		expect(slaStateNow(item({ sla_state: 'at_risk', due_at: '2026-11-30T01:59:00Z' }), now)).toBe('breached');
		expect(slaStateNow(item({ sla_state: 'at_risk', due_at: '2026-11-30T03:00:00Z' }), now)).toBe('at_risk');
		expect(slaStateNow(item({ sla_state: 'on_track', due_at: null }), now)).toBe('on_track');
	});

	const queue = [
		item({ id: '1', number: 'TRB-2026-000010', customer_name: 'Siti Rahayu', priority: 'urgent' }),
		item({ id: '2', number: 'INS-2026-000011', kind: 'installation', customer_name: 'Dédi Kurniawan', appointment_date: '2026-12-01' }),
		item({ id: '3', number: 'TRB-2026-000012', customer_name: 'Ahmad', status: 'reopened', priority: 'low' })
	];
	const ids = (list: QueueItem[]) => list.map((q) => q.id);

	it('keeps the order given and filters by type, priority and status', () => {
		expect(ids(filterQueue(queue, NO_FILTER))).toEqual(['1', '2', '3']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, kind: 'repair' }))).toEqual(['1', '3']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, priority: 'urgent' }))).toEqual(['1']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, status: 'reopened' }))).toEqual(['3']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, kind: 'repair', priority: 'low' }))).toEqual(['3']);
	});

	it('searches the number and the customer, any case, accents ignored', () => {
		expect(ids(filterQueue(queue, { ...NO_FILTER, q: '000012' }))).toEqual(['3']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, q: 'ins-2026' }))).toEqual(['2']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, q: 'dedi' }))).toEqual(['2']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, q: '  siti  rahayu ' }))).toEqual(['1']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, q: 'nobody' }))).toEqual([]);
	});

	it('keeps only those landing on the day when asked', () => {
		expect(ids(filterQueue(queue, { ...NO_FILTER, onDay: true }, '2026-11-30', '2026-11-30'))).toEqual(['1', '3']);
		expect(ids(filterQueue(queue, { ...NO_FILTER, onDay: true }, '2026-12-01', '2026-11-30'))).toEqual(['2']);
	});

	it('reads and writes the filters in the address', () => {
		const f = readFilter(new URLSearchParams('q=siti&kind=repair&priority=high&status=new&on_day=true&date=2026-11-30'));
		expect(f).toEqual({ q: 'siti', kind: 'repair', priority: 'high', status: 'new', onDay: true });
		expect(filterParams(f)).toEqual({ q: 'siti', kind: 'repair', priority: 'high', status: 'new', on_day: 'true' });
		expect(filterParams(NO_FILTER)).toEqual({ q: '', kind: '', priority: '', status: '', on_day: '' });
		expect(activeFilters(NO_FILTER)).toBe(0);
		expect(activeFilters(f)).toBe(5);
	});

	it('offers the values present in the queue, known ones in their order', () => {
		expect(presentValues(queue, 'priority', ['low', 'normal', 'high', 'urgent'])).toEqual(['low', 'normal', 'urgent']);
		expect(presentValues([...queue, item({ id: '4', kind: 'survey' })], 'kind', ['installation', 'repair'])).toEqual(['installation', 'repair', 'survey']);
	});

	it('drops a ticket just assigned from the queue', () => {
		const board: DispatchBoard = { date: '2026-11-30', queue, technicians: [] };
		expect(ids(withoutQueued(board, '2').queue)).toEqual(['1', '3']);
		expect(board.queue.length).toBe(3);
	});
});
