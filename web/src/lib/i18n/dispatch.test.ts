import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import type { NotEligible, Suggestion } from '$lib/api/types';
import { travelLine } from '$lib/dispatch';
import {
	excludedText,
	exclusionSummaryText,
	howName,
	jobSkillText,
	jobTimeText,
	notEligibleName,
	outcomeName,
	partText,
	pickerNoteText,
	pointsText,
	scoreText,
	travelText
} from './dispatch';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

const NOW = Date.parse('2026-11-28T10:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
const REASONS: NotEligible[] = ['inactive', 'not_serving_area', 'on_leave', 'off_shift', 'skill_too_low', 'day_full', 'declined'];

const travel = (over: Partial<Suggestion['travel']>): Pick<Suggestion, 'travel' | 'urgency_factor'> => ({
	travel: { from: 'last_known', minutes: 25, km: 8.24, position_at: ago(25), by_road: false, ...over },
	urgency_factor: 1
});

describe('why a technician is suggested', () => {
	it('says travel from the last known position with its age, in both languages', () => {
		expect(partText({ factor: 'travel', value: 25, points: -25 }, travel({}), NOW)).toBe('25 menit perjalanan dari posisi terakhir 25 menit lalu · 8,2 km garis lurus');
		locale = 'en';
		expect(partText({ factor: 'travel', value: 25, points: -25 }, travel({}), NOW)).toBe(
			'25 min on the road from the last known position, 25 min ago · 8.2 km in a straight line'
		);
	});

	it('names the previous job, the home base, and an unknown place', () => {
		expect(travelText(travelLine({ from: 'previous_job', minutes: 12, km: 3, by_road: false }, NOW))).toBe('12 menit perjalanan dari pekerjaan sebelumnya · 3 km garis lurus');
		expect(travelText(travelLine({ from: 'home', minutes: 40, km: null, by_road: false }, NOW))).toBe('40 menit perjalanan dari base (rumah)');
		expect(travelText(travelLine({ from: 'unknown', minutes: 30, by_road: false }, NOW))).toBe('Perjalanan dianggap 30 menit (lokasi belum diketahui)');
		expect(travelText(travelLine({ from: 'last_known', minutes: 5, km: null, position_at: ago(0), by_road: false }, NOW))).toBe('5 menit perjalanan dari posisi terakhir baru saja');
	});

	it('says "by road" when the routing server gave the minutes, and keeps the estimate wording otherwise, in both languages', () => {
		const road = travel({ by_road: true });
		expect(partText({ factor: 'travel', value: 25, points: -25 }, road, NOW)).toBe('25 menit lewat jalan dari posisi terakhir 25 menit lalu · 8,2 km garis lurus');
		expect(partText({ factor: 'travel', value: 25, points: -25 }, travel({ by_road: false }), NOW)).toBe(
			'25 menit perjalanan dari posisi terakhir 25 menit lalu · 8,2 km garis lurus'
		);
		expect(travelText(travelLine({ from: 'previous_job', minutes: 12, km: 3, by_road: true }, NOW))).toBe('12 menit lewat jalan dari pekerjaan sebelumnya · 3 km garis lurus');
		expect(travelText(travelLine({ from: 'home', minutes: 40, km: null, by_road: true }, NOW))).toBe('40 menit lewat jalan dari base (rumah)');
		expect(travelText(travelLine({ from: 'last_known', minutes: 5, km: null, position_at: null, by_road: true }, NOW))).toBe('5 menit lewat jalan dari posisi terakhir');
		// An unknown place is never routed: the assumption stays an assumption.
		expect(travelText(travelLine({ from: 'unknown', minutes: 30, by_road: true }, NOW))).toBe('Perjalanan dianggap 30 menit (lokasi belum diketahui)');
		locale = 'en';
		expect(partText({ factor: 'travel', value: 25, points: -25 }, road, NOW)).toBe('25 min by road from the last known position, 25 min ago · 8.2 km in a straight line');
		expect(travelText(travelLine({ from: 'home', minutes: 40, km: null, by_road: true }, NOW))).toBe('40 min by road from home base');
		expect(travelText(travelLine({ from: 'home', minutes: 40, km: null, by_road: false }, NOW))).toBe('40 min on the road from home base');
	});

	it('says when urgency weighs travel more', () => {
		expect(partText({ factor: 'travel', value: 10, points: -15 }, { ...travel({ from: 'home', km: null, minutes: 10 }), urgency_factor: 1.5 }, NOW)).toBe(
			'10 menit perjalanan dari base (rumah) · perjalanan dihitung ×1,5 karena mendesak'
		);
	});

	it('words the day, the skill above the need and continuity', () => {
		const s = travel({});
		expect(partText({ factor: 'workload', value: 2, points: -16 }, s, NOW)).toBe('Pekerjaan lain hari itu: 2');
		expect(partText({ factor: 'workload', value: 0, points: 0 }, s, NOW)).toBe('Belum ada pekerjaan lain hari itu');
		expect(partText({ factor: 'skill_surplus', value: 2, points: 4 }, s, NOW)).toBe('Keahlian 2 level di atas kebutuhan');
		locale = 'en';
		expect(partText({ factor: 'continuity', value: 1, points: 10 }, s, NOW)).toBe("Did this customer's last job");
	});

	it('signs points and scores the reader’s way', () => {
		expect(pointsText(-12.5)).toBe('−12,5 poin');
		expect(pointsText(10)).toBe('+10 poin');
		expect(pointsText(0)).toBe('0 poin');
		expect(scoreText(-3.25)).toBe('skor −3,3');
		locale = 'en';
		expect(pointsText(-12.5)).toBe('−12.5 points');
		expect(scoreText(1500)).toBe('score 1,500');
	});
});

describe('the job and those left out', () => {
	it('says when the job is to be done and the skill it needs', () => {
		expect(jobTimeText({ window: '08:00-12:00' })).toBe('Pagi, 08.00–12.00');
		expect(jobTimeText({ window: null })).toBe('Sekarang, secepatnya');
		expect(jobSkillText({ skill: 'splicing', skill_level: 3 }, 'Penyambungan')).toBe('Penyambungan, level 3');
		expect(jobSkillText({ skill: 'splicing', skill_level: 3 })).toBe('splicing, level 3');
		expect(jobSkillText({ skill: null, skill_level: null })).toBe('Tidak perlu keahlian khusus');
	});

	it('has a phrase for every reason in both languages', () => {
		for (const r of REASONS) {
			locale = 'id';
			const id = notEligibleName(r);
			locale = 'en';
			expect(id, r).not.toBe(r);
			expect(notEligibleName(r), r).not.toBe(id);
		}
		expect(notEligibleName('something_new')).toBe('something_new');
	});

	it('lists a technician’s reasons with the skill level they have and the one needed', () => {
		expect(excludedText({ reasons: ['skill_too_low', 'off_shift'], skill_level: 1 }, 3)).toBe('keahlian level 1, perlu 3, di luar jam kerja');
		expect(excludedText({ reasons: ['skill_too_low'] }, 3)).toBe('keahlian kurang');
		locale = 'en';
		expect(exclusionSummaryText([{ reason: 'off_shift', count: 2 }, { reason: 'on_leave', count: 1 }])).toBe('off shift: 2, on leave: 1');
	});

	it('notes the picker’s ranked and left-out technicians', () => {
		expect(pickerNoteText({ kind: 'ranked', rank: 2, score: 12 }, 3)).toBe('Disarankan #2, skor 12');
		expect(pickerNoteText({ kind: 'excluded', reasons: ['on_leave'], skillLevel: null }, 3)).toBe('Tidak memenuhi syarat: sedang cuti');
	});
});

describe('decisions', () => {
	it('names how each was made and how it ended, in both languages', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			for (const how of ['automatic', 'suggested', 'manual', 'override']) expect(howName(how), `${lang} ${how}`).not.toBe(how);
			for (const outcome of ['pending', 'accepted', 'declined', 'timed_out', 'replaced']) expect(outcomeName(outcome), `${lang} ${outcome}`).not.toBe(outcome);
		}
		locale = 'id';
		expect(outcomeName('timed_out')).toBe('Tidak diterima tepat waktu');
		expect(howName('something_new')).toBe('something_new');
	});
});
