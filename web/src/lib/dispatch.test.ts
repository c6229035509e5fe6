import { describe, expect, it } from 'vitest';
import type { AssignmentView, Suggestion } from './api/types';
import {
	assignmentBody,
	exclusionSummary,
	isAssignableStatus,
	minutesSince,
	needsReason,
	outcomeTone,
	overrideProblems,
	pickerNotes,
	scoreParts,
	shownRanked,
	sortReasons,
	travelLine,
	urgencyRaised,
	waitingOn
} from './dispatch';

const NOW = Date.parse('2026-11-28T10:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

function suggestion(over: Partial<Suggestion> = {}): Suggestion {
	return {
		technician_id: 't1',
		name: 'Budi',
		score: -21,
		parts: [
			{ factor: 'continuity', value: 1, points: 10 },
			{ factor: 'workload', value: 2, points: -16 },
			{ factor: 'travel', value: 15, points: -15 },
			{ factor: 'skill_surplus', value: 0, points: 0 }
		],
		travel: { from: 'last_known', position_at: ago(25), km: 4.26, minutes: 14.6, by_road: false },
		urgency_factor: 1,
		...over
	};
}

const record = (over: Partial<AssignmentView['history'][number]> = {}): AssignmentView['history'][number] => ({
	id: 'a1',
	technician_id: 't1',
	technician_name: 'Budi',
	how: 'suggested',
	alternatives: {},
	reason: '',
	decided_by_name: 'Sari',
	decided_at: ago(10),
	outcome: 'pending',
	outcome_reason: '',
	...over
});

function view(over: Partial<AssignmentView> = {}): AssignmentView {
	return {
		mode: 'suggest',
		job: { date: '2026-11-28', window: '08:00-12:00', minutes: 90, skill: 'splicing', skill_level: 3, urgency: 0.25 },
		history: [],
		ranked: [suggestion(), suggestion({ technician_id: 't2', name: 'Andi', score: -30 })],
		eligible: 2,
		excluded: [
			{ technician_id: 't3', name: 'Cahyo', reasons: ['on_leave'] },
			{ technician_id: 't4', name: 'Dewi', reasons: ['off_shift', 'skill_too_low'], skill_level: 1 },
			{ technician_id: 't5', name: 'Eko', reasons: ['off_shift'] }
		],
		...over
	};
}

describe('when a ticket can be given to someone', () => {
	it('is while it waits for its technician or could change them', () => {
		for (const s of ['new', 'assigned', 'accepted', 'reopened']) expect(isAssignableStatus(s), s).toBe(true);
		for (const s of ['en_route', 'on_site', 'pending', 'resolved', 'closed', 'cancelled']) expect(isAssignableStatus(s), s).toBe(false);
	});
});

describe('the ranked technicians', () => {
	it('shows the top three, and all once asked', () => {
		const list = [1, 2, 3, 4, 5];
		expect(shownRanked(list, false)).toEqual({ shown: [1, 2, 3], more: 2 });
		expect(shownRanked(list, true)).toEqual({ shown: list, more: 0 });
		expect(shownRanked([1, 2], false)).toEqual({ shown: [1, 2], more: 0 });
	});

	it('explains travel, the day, skill and continuity in that order, leaving out what counts for nothing', () => {
		expect(scoreParts(suggestion()).map((p) => p.factor)).toEqual(['travel', 'workload', 'continuity']);
		const idle = suggestion({ parts: [{ factor: 'workload', value: 0, points: 0 }, { factor: 'travel', value: 0, points: 0 }] });
		expect(scoreParts(idle).map((p) => p.factor)).toEqual(['travel', 'workload']);
		expect(scoreParts(suggestion({ parts: [{ factor: 'skill_surplus', value: 2, points: 4 }] })).map((p) => p.factor)).toEqual(['skill_surplus']);
	});

	it('says where travel starts, how far and how old a last known position is', () => {
		expect(travelLine(suggestion().travel, NOW)).toEqual({ from: 'last_known', minutes: 15, km: 4.3, positionAge: 25, byRoad: false });
		expect(travelLine({ from: 'previous_job', minutes: 7.4, km: null, position_at: ago(5), by_road: false }, NOW)).toEqual({
			from: 'previous_job',
			minutes: 7,
			km: null,
			positionAge: null,
			byRoad: false
		});
		expect(travelLine({ from: 'last_known', minutes: 3, km: 1, by_road: false }, NOW).positionAge).toBeNull();
		expect(travelLine({ from: 'unknown', minutes: 30, by_road: false }, NOW)).toEqual({ from: 'unknown', minutes: 30, km: null, positionAge: null, byRoad: false });
	});

	it("keeps whether the minutes came from the routing server (by road) or the straight-line estimate", () => {
		expect(travelLine({ from: 'home', minutes: 18.2, km: 6.04, by_road: true }, NOW)).toEqual({ from: 'home', minutes: 18, km: 6, positionAge: null, byRoad: true });
		expect(travelLine({ from: 'home', minutes: 18.2, km: 6.04, by_road: false }, NOW).byRoad).toBe(false);
		// Nowhere to route from: the assumed minutes are never by road.
		expect(travelLine({ from: 'unknown', minutes: 30, by_road: true }, NOW).byRoad).toBe(false);
	});

	it('counts minutes since a time, never below zero', () => {
		expect(minutesSince(ago(90), NOW)).toBe(90);
		expect(minutesSince(new Date(NOW + 60_000).toISOString(), NOW)).toBe(0);
		expect(minutesSince('not a time', NOW)).toBeNull();
		expect(minutesSince(null, NOW)).toBeNull();
	});

	it('says when urgency made travel weigh more', () => {
		expect(urgencyRaised({ urgency_factor: 1 })).toBe(false);
		expect(urgencyRaised({ urgency_factor: 1.5 })).toBe(true);
	});
});

describe('those left out', () => {
	it('lists reasons the lasting ones first, each once', () => {
		expect(sortReasons(['day_full', 'off_shift', 'inactive', 'off_shift', 'skill_too_low'])).toEqual(['inactive', 'skill_too_low', 'off_shift', 'day_full']);
	});

	it('counts why nobody may do it, the most common first', () => {
		expect(exclusionSummary(view().excluded)).toEqual([
			{ reason: 'off_shift', count: 2 },
			{ reason: 'skill_too_low', count: 1 },
			{ reason: 'on_leave', count: 1 }
		]);
		expect(exclusionSummary([])).toEqual([]);
	});
});

describe('someone else', () => {
	it('notes in the picker who is ranked and why others are left out', () => {
		const notes = pickerNotes(view());
		expect(notes.get('t2')).toEqual({ kind: 'ranked', rank: 2, score: -30 });
		expect(notes.get('t4')).toEqual({ kind: 'excluded', reasons: ['skill_too_low', 'off_shift'], skillLevel: 1 });
		expect(notes.has('t9')).toBe(false);
	});

	it('needs a reason for anyone not ranked', () => {
		expect(needsReason(view(), 't1')).toBe(false);
		expect(needsReason(view(), 't3')).toBe(true);
		expect(needsReason(view(), 't9')).toBe(true);
		expect(needsReason(null, 't1')).toBe(true);
		expect(needsReason(view(), '')).toBe(true);
	});

	it('checks the form before sending: a technician, and the reason an override needs', () => {
		expect(overrideProblems(view(), { technician_id: '', reason: '' })).toEqual(['technician_id', 'reason']);
		expect(overrideProblems(view(), { technician_id: 't3', reason: '  ' })).toEqual(['reason']);
		expect(overrideProblems(view(), { technician_id: 't3', reason: 'Pelanggan minta Cahyo' })).toEqual([]);
		expect(overrideProblems(view(), { technician_id: 't2', reason: '' })).toEqual([]);
	});

	it('sends nothing for the best, the technician chosen, and a reason only when typed', () => {
		expect(assignmentBody()).toEqual({});
		expect(assignmentBody('t2')).toEqual({ technician_id: 't2' });
		expect(assignmentBody('t3', '  Pelanggan minta Cahyo ')).toEqual({ technician_id: 't3', reason: 'Pelanggan minta Cahyo' });
		expect(assignmentBody('t3', '   ')).toEqual({ technician_id: 't3' });
		expect(assignmentBody(null, 'ignored')).toEqual({});
	});
});

describe('decisions so far', () => {
	it('tones outcomes: accepted good, pending waiting, declined and timed out warning', () => {
		expect(outcomeTone('accepted')).toBe('ok');
		expect(outcomeTone('pending')).toBe('wait');
		expect(outcomeTone('declined')).toBe('bad');
		expect(outcomeTone('timed_out')).toBe('bad');
		expect(outcomeTone('replaced')).toBe('off');
	});

	it('names whom the ticket waits on while the standing decision is pending', () => {
		expect(waitingOn(view({ current: record() }))).toEqual({ name: 'Budi', since: ago(10) });
		expect(waitingOn(view({ current: record({ outcome: 'accepted' }) }))).toBeNull();
		expect(waitingOn(view({ current: null }))).toBeNull();
		expect(waitingOn(null)).toBeNull();
	});
});
