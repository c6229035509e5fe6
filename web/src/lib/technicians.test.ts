import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import type { FieldError } from '$lib/api/problem';
import type { Skill } from '$lib/api/types';
import type { DispatchSettings, Leave, OnCallTurn, TechnicianProfile } from '$lib/api/technicians';
import {
	canCancelLeave,
	changedSections,
	checkProfile,
	checkSettings,
	checkWeek,
	dayGaps,
	daysText,
	formatDay,
	formatPeriod,
	fridayPrayer,
	hoursText,
	leaveDays,
	leaveErrorText,
	leaveStatusName,
	mergeForms,
	minutesAgo,
	normalizeTime,
	placePatternErrors,
	placeSkillErrors,
	positionAgeText,
	profileBody,
	profileForm,
	RAMADAN_WEEK,
	savedBody,
	sectionNames,
	settingsBody,
	settingsDiff,
	settingsForm,
	skillRows,
	skillsInput,
	snapshotWeek,
	sortLeave,
	spanProblem,
	STANDARD_WEEK,
	suggestSpan,
	timeMinutes,
	turnsByDay,
	visiblePatternErrors,
	weekdayName,
	weekdayOf,
	weekMinutes,
	weekPattern,
	weekRows
} from './technicians';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'id'));

const codes = (errors: FieldError[]) => errors.map((e) => `${e.field}:${e.code}`);

describe('times as people type them', () => {
	it('writes times as HH:MM, with a dot or without a separator too', () => {
		expect(normalizeTime('8')).toBe('08:00');
		expect(normalizeTime('8.30')).toBe('08:30');
		expect(normalizeTime('8:30')).toBe('08:30');
		expect(normalizeTime('830')).toBe('08:30');
		expect(normalizeTime('1730')).toBe('17:30');
		expect(normalizeTime(' 24 ')).toBe('24:00');
	});

	it('leaves what is no time for the checks to refuse', () => {
		expect(normalizeTime('25')).toBe('25');
		expect(normalizeTime('8:75')).toBe('8:75');
		expect(normalizeTime('pagi')).toBe('pagi');
		expect(timeMinutes('24:00')).toBe(1440);
		expect(timeMinutes('24:30')).toBeNull();
	});

	it('refuses a span as the server does', () => {
		expect(spanProblem({ start: '8', end: '12' })).toBeNull();
		expect(spanProblem({ start: '17:00', end: '24:00' })).toBeNull();
		expect(spanProblem({ start: '13:00', end: '12:00' })).toBe('span_order');
		expect(spanProblem({ start: '12:00', end: '12:00' })).toBe('span_order');
		expect(spanProblem({ start: '24:00', end: '24:00' })).toBe('span_format');
		expect(spanProblem({ start: 'pagi', end: '12:00' })).toBe('span_format');
	});

	it('says working time in hours, never in days', () => {
		locale = 'id';
		expect(hoursText(2610)).toBe('43 jam 30 menit');
		expect(hoursText(480)).toBe('8 jam');
		locale = 'en';
		expect(hoursText(30)).toBe('30 min');
	});
});

describe('the weekly pattern', () => {
	it('reads seven days, Monday first, and sends them back without blank rows', () => {
		const rows = weekRows([['08:00-12:00', '13:00-17:00'], [], ['09:00-15:00']]);
		expect(rows).toHaveLength(7);
		expect(rows[0]!.map((r) => [r.start, r.end])).toEqual([
			['08:00', '12:00'],
			['13:00', '17:00']
		]);
		rows[1]!.push({ key: 900, start: '', end: '' });
		rows[2]![0]!.start = '9.30';
		expect(weekPattern(rows)).toEqual([['08:00-12:00', '13:00-17:00'], [], ['09:30-15:00'], [], [], [], []]);
		expect(weekPattern(weekRows(STANDARD_WEEK))).toEqual(STANDARD_WEEK);
	});

	it('counts the usual week and finds the Friday prayer break', () => {
		const week = weekRows(STANDARD_WEEK);
		expect(weekMinutes(week)).toBe(43.5 * 60);
		expect(fridayPrayer(week[4]!)).toEqual({ kind: 'break', gap: { start: '11:30', end: '13:00' } });
		expect(fridayPrayer([{ start: '08:00', end: '17:00' }])).toEqual({ kind: 'through' });
		expect(fridayPrayer([])).toEqual({ kind: 'none' });
		expect(dayGaps(week[0]!)).toEqual([{ start: '12:00', end: '13:00' }]);
	});

	it('suggests the next span after the last one', () => {
		expect(suggestSpan([])).toEqual({ start: '08:00', end: '12:00' });
		expect(suggestSpan([{ start: '08:00', end: '12:00' }])).toEqual({ start: '13:00', end: '17:00' });
		expect(suggestSpan([{ start: '17:00', end: '22:00' }])).toEqual({ start: '23:00', end: '24:00' });
		expect(suggestSpan([{ start: '17:00', end: '24:00' }])).toEqual({ start: '', end: '' });
	});

	it('checks spans under the names the server uses, counting only the rows sent', () => {
		const rows = weekRows(STANDARD_WEEK);
		rows[4] = [
			{ key: 1, start: '', end: '' },
			{ key: 2, start: '08:00', end: '11:30' },
			{ key: 3, start: '13:00', end: '12:00' }
		];
		rows[0] = [
			{ key: 4, start: '08:00', end: '12:00' },
			{ key: 5, start: '11:00', end: '17:00' }
		];
		expect(codes(checkWeek(rows, 'work_pattern'))).toEqual(['work_pattern.0:span_overlap', 'work_pattern.4.1:span_order']);
		expect(codes(checkWeek(rows, 'ramadan_pattern'))).toContain('ramadan_pattern.4.1:span_order');
		expect(checkWeek(weekRows(RAMADAN_WEEK), 'ramadan_pattern')).toEqual([]);
	});

	it("puts the server's messages on the row that was sent there, until that row changes", () => {
		const rows = weekRows(STANDARD_WEEK);
		const friday = rows[4]!;
		const sent = snapshotWeek(rows);
		const errors: FieldError[] = [
			{ field: 'work_pattern.4.1', code: 'span_order', detail: 'x' },
			{ field: 'work_pattern.2', code: 'span_overlap', detail: 'y' },
			{ field: 'work_pattern', code: 'length', detail: 'seven days' },
			{ field: 'ramadan_pattern.4.0', code: 'span_format', detail: 'z' }
		];
		const placed = placePatternErrors(errors, 'work_pattern', sent);
		expect([...placed.rows.keys()]).toEqual([friday[1]!.key]);
		expect([...placed.days.keys()]).toEqual([2]);
		expect(placed.whole.map((e) => e.code)).toEqual(['length']);

		// Removing Friday's first span keeps the message on the span it was about.
		rows[4] = [friday[1]!];
		let shown = visiblePatternErrors(placed, sent, rows);
		expect([...shown.rows.keys()]).toEqual([friday[1]!.key]);
		expect(shown.days.has(2)).toBe(true);

		// Editing the span, or the day, takes its message away.
		friday[1]!.end = '17:30';
		rows[2]![0]!.end = '11:00';
		shown = visiblePatternErrors(placed, sent, rows);
		expect(shown.rows.size).toBe(0);
		expect(shown.days.size).toBe(0);
	});

	it('names the days in the reader language', () => {
		locale = 'id';
		expect(weekdayName(0)).toBe('Senin');
		expect(weekdayName(4)).toBe('Jumat');
		locale = 'en';
		expect(weekdayName(6)).toBe('Sunday');
	});
});

const catalogue: Skill[] = [
	{ id: 's-splice', code: 'splicing', name: 'Splicing', active: true },
	{ id: 's-old', code: 'copper', name: 'Copper', active: false },
	{ id: 's-ont', code: 'ont', name: 'ONT setup', active: true }
];

function profile(overrides: Partial<TechnicianProfile> = {}): TechnicianProfile {
	return {
		id: 't1',
		name: 'Budi Santoso',
		phone: '+6281234567890',
		active: true,
		home: { lat: -6.9147, lng: 107.6098 },
		home_address: 'Jl. Dago 12',
		max_jobs_per_day: 6,
		employer: 'staff',
		partner_name: '',
		work_pattern: STANDARD_WEEK.map((d) => [...d]),
		ramadan_pattern: null,
		skills: [
			{ skill_id: 's-splice', code: 'splicing', name: 'Splicing', level: 4 },
			{ skill_id: 's-old', code: 'copper', name: 'Copper', level: 2 }
		],
		areas: ['a1'],
		position: null,
		version: 3,
		...overrides
	};
}

describe('skills with a level', () => {
	it("lists the catalogue's skills by name with the levels held, then those no longer offered", () => {
		const rows = skillRows(catalogue, profile().skills);
		expect(rows.map((r) => [r.code, r.level, r.offered])).toEqual([
			['ont', 0, true],
			['splicing', 4, true],
			['copper', 2, false]
		]);
		expect(skillsInput(rows)).toEqual([
			{ skill_id: 's-splice', level: 4 },
			{ skill_id: 's-old', level: 2 }
		]);
	});

	it('places skill errors on the skill sent at that place', () => {
		const placed = placeSkillErrors(
			[
				{ field: 'skills.1.skill_id', code: 'unknown', detail: 'no active skill' },
				{ field: 'work_pattern.0', code: 'span_overlap', detail: 'x' }
			],
			['s-splice', 's-old']
		);
		expect([...placed.keys()]).toEqual(['s-old']);
	});
});

describe('the profile form', () => {
	it('sends what the server takes: no partner name for staff, no Ramadan hours unless asked', () => {
		const form = profileForm(profile(), catalogue);
		form.partner_name = 'PT Lama';
		const body = profileBody(form);
		expect(body.partner_name).toBe('');
		expect(body.ramadan_pattern).toBeNull();
		expect(body.max_jobs_per_day).toBe(6);
		expect(body.home).toEqual({ lat: -6.9147, lng: 107.6098 });
		form.employer = 'partner';
		form.partner_name = '  PT Serat Nusantara ';
		form.ramadan = true;
		const partner = profileBody(form);
		expect(partner.partner_name).toBe('PT Serat Nusantara');
		expect(partner.ramadan_pattern).toEqual(RAMADAN_WEEK);
	});

	it('is unchanged as read', () => {
		const p = profile({ ramadan_pattern: RAMADAN_WEEK.map((d) => [...d]) });
		expect(changedSections(savedBody(p), profileBody(profileForm(p, catalogue)))).toEqual([]);
	});

	it('checks what the server would refuse before sending', () => {
		const form = profileForm(profile(), catalogue);
		form.max_jobs_per_day = '25';
		form.employer = 'partner';
		form.partner_name = ' ';
		form.week[1] = [{ key: 77, start: '17:00', end: '08:00' }];
		expect(codes(checkProfile(form))).toEqual(['max_jobs_per_day:range', 'partner_name:required', 'work_pattern.1.0:span_order', 'skills.1.skill_id:unknown']);
		form.max_jobs_per_day = 'enam';
		expect(codes(checkProfile(form))).toContain('max_jobs_per_day:range');
		// The retired skill (held at level 2) is the second one sent.
		expect(codes(checkProfile(form))).toContain('skills.1.skill_id:unknown');
		form.skills.find((r) => !r.offered)!.level = 0;
		expect(codes(checkProfile(form)).filter((c) => c.startsWith('skills'))).toEqual([]);
	});

	it('keeps both sides when someone else saved first, and names the parts both changed', () => {
		const base = profile();
		const theirs = profile({ max_jobs_per_day: 8, version: 4 });
		const mine = profileForm(base, catalogue);
		mine.skills.find((s) => s.skill_id === 's-ont')!.level = 3;
		mine.week[5] = [];
		const mineChanged = changedSections(savedBody(base), profileBody(mine));
		expect(mineChanged).toEqual(['work_pattern', 'skills']);
		expect(changedSections(savedBody(base), savedBody(theirs))).toEqual(['max_jobs_per_day']);

		const merged = mergeForms(profileForm(theirs, catalogue), mine, mineChanged);
		const body = profileBody(merged);
		expect(body.max_jobs_per_day).toBe(8);
		expect(body.work_pattern[5]).toEqual([]);
		expect(body.skills).toContainEqual({ skill_id: 's-ont', level: 3 });

		locale = 'en';
		expect(sectionNames(mineChanged)).toBe('Weekly working pattern, Skills');
		locale = 'id';
		expect(sectionNames(['home'])).toBe('Titik awal (rumah)');
	});
});

describe('the last known position', () => {
	it('says how old it is', () => {
		const now = Date.parse('2026-03-02T10:00:00Z');
		expect(minutesAgo('2026-03-02T08:00:00Z', now)).toBe(120);
		expect(minutesAgo('not a time', now)).toBeNull();
		locale = 'id';
		expect(positionAgeText('2026-03-02T08:00:00Z', now)).toBe('diambil 2 jam lalu');
		expect(positionAgeText('2026-03-02T09:59:40Z', now)).toBe('baru saja diambil');
		locale = 'en';
		expect(positionAgeText('2026-03-02T09:15:00Z', now)).toBe('taken 45 min ago');
	});
});

function leave(overrides: Partial<Leave>): Leave {
	return {
		id: 'l1',
		technician_id: 't1',
		technician_name: 'Budi',
		kind: 'leave',
		from: '2026-03-10',
		to: '2026-03-12',
		reason: '',
		status: 'approved',
		decided_at: null,
		decision_note: '',
		version: 1,
		created_at: '2026-03-01T01:00:00Z',
		...overrides
	};
}

describe('leave and sick days', () => {
	it('puts the requests waiting first, then by first day', () => {
		const sorted = sortLeave([
			leave({ id: 'a', status: 'approved', from: '2026-03-05' }),
			leave({ id: 'b', status: 'requested', from: '2026-03-20' }),
			leave({ id: 'c', status: 'requested', from: '2026-03-08' }),
			leave({ id: 'd', status: 'rejected', from: '2026-03-01' })
		]);
		expect(sorted.map((l) => l.id)).toEqual(['c', 'b', 'd', 'a']);
	});

	it('counts days and lets only leave not begun be withdrawn', () => {
		expect(leaveDays('2026-03-10', '2026-03-12')).toBe(3);
		expect(leaveDays('2026-02-28', '2026-03-01')).toBe(2);
		expect(leaveDays('2026-03-12', '2026-03-10')).toBe(0);
		expect(canCancelLeave(leave({ status: 'requested' }), '2026-03-09')).toBe(true);
		expect(canCancelLeave(leave({ status: 'approved' }), '2026-03-10')).toBe(false);
		expect(canCancelLeave(leave({ status: 'rejected' }), '2026-03-01')).toBe(false);
	});

	it('writes days and periods in the reader language', () => {
		locale = 'id';
		expect(formatDay('2026-03-02', 'id')).toBe('Sen, 2 Mar 2026');
		expect(formatPeriod('2026-03-02', '2026-03-02', 'id')).toBe('Sen, 2 Mar 2026');
		expect(daysText(1)).toBe('1 hari');
		expect(leaveStatusName('requested')).toBe('Menunggu keputusan');
		locale = 'en';
		expect(formatPeriod('2026-03-02', '2026-03-04', 'en')).toBe('Mon, 2 Mar 2026 – Wed, 4 Mar 2026');
		expect(daysText(1)).toBe('1 day');
		expect(daysText(3)).toBe('3 days');
		expect(weekdayOf('2026-03-02')).toBe(0);
		expect(weekdayOf('2026-03-08')).toBe(6);
	});

	it("says the server's limits plainly", () => {
		locale = 'en';
		expect(leaveErrorText({ field: 'to', code: 'range', detail: 'at most 60 days at once' })).toBe('At most 60 days at once.');
		expect(leaveErrorText({ field: 'from', code: 'date_past', detail: 'at most 14 days back' })).toBe('The first day may be at most 14 days ago.');
		expect(leaveErrorText({ field: 'to', code: 'order', detail: 'x' })).toBe('The last day must not be before the first.');
	});
});

describe('the on-call rota', () => {
	it('lists every day of the range with its turns by start', () => {
		const turn = (id: string, day: string, span: string, name: string): OnCallTurn => ({ id, technician_id: id, technician_name: name, day, span, note: '' });
		const days = turnsByDay(
			[turn('1', '2026-03-03', '17:00-24:00', 'Sari'), turn('2', '2026-03-03', '06:00-08:00', 'Budi'), turn('3', '2026-03-09', '17:00-24:00', 'Andi')],
			'2026-03-02',
			'2026-03-04'
		);
		expect(days.map((d) => [d.day, d.turns.map((t) => t.technician_name)])).toEqual([
			['2026-03-02', []],
			['2026-03-03', ['Budi', 'Sari']],
			['2026-03-04', []]
		]);
	});
});

describe('dispatch settings', () => {
	const settings: DispatchSettings = {
		mode: 'suggest',
		weights: { travel: 1, workload: 8, skill_surplus: 2, continuity: 10, urgency: 1 },
		road_factor: 1.4,
		speed_kmh: 25,
		accept_minutes: 15,
		ramadan_from: null,
		ramadan_to: null,
		routing_url: 'http://osrm.local:5000',
		version: 2
	};

	it('reads and sends the settings, a comma as a decimal point too', () => {
		const form = settingsForm(settings);
		expect(form.road_factor).toBe('1.4');
		form.road_factor = '1,6';
		form.ramadan_from = '2027-02-08';
		form.ramadan_to = '2027-03-09';
		expect(settingsBody(form)).toEqual({
			mode: 'suggest',
			weights: { travel: 1, workload: 8, skill_surplus: 2, continuity: 10, urgency: 1 },
			road_factor: 1.6,
			speed_kmh: 25,
			accept_minutes: 15,
			ramadan_from: '2027-02-08',
			ramadan_to: '2027-03-09',
			routing_url: 'http://osrm.local:5000'
		});
		expect(checkSettings(form)).toEqual([]);
	});

	it('keeps the routing server when other values are saved, and sends none when it is emptied', () => {
		const form = settingsForm(settings);
		expect(form.routing_url).toBe('http://osrm.local:5000');
		form.accept_minutes = '20';
		expect(settingsBody(form).routing_url).toBe('http://osrm.local:5000');
		form.routing_url = '  http://10.0.0.5:5000  ';
		expect(settingsBody(form).routing_url).toBe('http://10.0.0.5:5000');
		form.routing_url = '   ';
		expect(settingsBody(form)).toHaveProperty('routing_url', null);
		// Settings saved before there was a routing server read as none.
		const { routing_url: _, ...older } = settings;
		expect(settingsForm(older).routing_url).toBe('');
		expect(settingsBody(settingsForm({ ...settings, routing_url: null })).routing_url).toBeNull();
	});

	it('checks the ranges and that Ramadan has both days', () => {
		const form = settingsForm(settings);
		form.weights.workload = '120';
		form.road_factor = '0.5';
		form.accept_minutes = '2';
		form.ramadan_from = '2027-02-08';
		expect(codes(checkSettings(form))).toEqual(['weights.workload:range', 'road_factor:range', 'accept_minutes:range', 'ramadan_to:required']);
		form.ramadan_to = '2027-02-01';
		expect(codes(checkSettings(form))).toContain('ramadan_to:order');
	});

	it('names the values that differ from what someone else saved', () => {
		const mine = settingsForm(settings);
		const theirs = settingsForm({ ...settings, mode: 'automatic', speed_kmh: 30, routing_url: null });
		mine.road_factor = '1.40';
		expect(settingsDiff(theirs, mine)).toEqual(['mode', 'routing_url', 'speed_kmh']);
	});
});
