/**
 * Dispatch in words: why a technician is suggested (the parts of their
 * score, where their travel starts), why others are left out, how a
 * decision was made and how it ended, in the reader's language.
 */
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { DispatchJob, Excluded, ScorePart, Suggestion } from '$lib/api/types';
import { formatNumber } from '$lib/format';
import { shortDuration } from '$lib/tickets';
import { travelLine, urgencyRaised, type PickerNote, type TravelLine } from '$lib/dispatch';
import { windowName } from './labels';
import { durationWords } from './tickets';

const NOT_ELIGIBLE_NAMES: Record<string, () => string> = {
	inactive: () => m.dispatch_not_eligible_inactive(),
	not_serving_area: () => m.dispatch_not_eligible_not_serving_area(),
	on_leave: () => m.dispatch_not_eligible_on_leave(),
	off_shift: () => m.dispatch_not_eligible_off_shift(),
	skill_too_low: () => m.dispatch_not_eligible_skill_too_low(),
	day_full: () => m.dispatch_not_eligible_day_full(),
	declined: () => m.dispatch_not_eligible_declined()
};

/** Why someone may not do the job, as a short phrase ("sedang cuti"). */
export function notEligibleName(reason: string): string {
	return NOT_ELIGIBLE_NAMES[reason]?.() ?? reason;
}

/**
 * A left-out technician's reasons in one line; a skill too low says the
 * level they have and the one needed, when known.
 */
export function excludedText(e: Pick<Excluded, 'reasons' | 'skill_level'>, needLevel: number | null | undefined): string {
	return e.reasons
		.map((r) => {
			if (r === 'skill_too_low' && typeof e.skill_level === 'number' && typeof needLevel === 'number') {
				return m.dispatch_skill_too_low_level({ has: e.skill_level, need: needLevel });
			}
			return notEligibleName(r);
		})
		.join(', ');
}

/** Why nobody may do it: "sedang cuti: 3, di luar jam kerja: 2". */
export function exclusionSummaryText(summary: readonly { reason: string; count: number }[]): string {
	return summary.map((s) => m.dispatch_summary_item({ reason: notEligibleName(s.reason), count: s.count })).join(', ');
}

const HOW_NAMES: Record<string, () => string> = {
	automatic: () => m.dispatch_how_automatic(),
	suggested: () => m.dispatch_how_suggested(),
	manual: () => m.dispatch_how_manual(),
	override: () => m.dispatch_how_override()
};

/** How an assignment was decided. */
export function howName(how: string): string {
	return HOW_NAMES[how]?.() ?? how;
}

const OUTCOME_NAMES: Record<string, () => string> = {
	pending: () => m.dispatch_outcome_pending(),
	accepted: () => m.dispatch_outcome_accepted(),
	declined: () => m.dispatch_outcome_declined(),
	timed_out: () => m.dispatch_outcome_timed_out(),
	replaced: () => m.dispatch_outcome_replaced()
};

/** How an assignment ended (or that it still waits). */
export function outcomeName(outcome: string): string {
	return OUTCOME_NAMES[outcome]?.() ?? outcome;
}

/** A number the way the reader writes it: "12,5" (id), "12.5" (en). */
function num(value: number): string {
	return formatNumber(value, getLocale());
}

/** Points a part adds or takes away: "+2 poin", "−12,5 poin". */
export function pointsText(points: number): string {
	const sign = points > 0 ? '+' : points < 0 ? '−' : '';
	return m.dispatch_points({ points: `${sign}${num(Math.abs(points))}` });
}

/** A score: "skor 12,5", "skor −3". */
export function scoreText(score: number): string {
	return m.dispatch_score({ score: score < 0 ? `−${num(Math.abs(score))}` : num(score) });
}

/** "25 menit lalu", "baru saja". */
function ago(minutes: number): string {
	return minutes < 1 ? m.notif_just_now() : m.notif_ago({ time: shortDuration(minutes, durationWords) });
}

/**
 * The travel to the job in words: how long, how far in a straight line,
 * and from where ("25 mnt perjalanan dari posisi terakhir 10 menit lalu ·
 * 8,2 km garis lurus"). Minutes the ISP's routing server gave are said to
 * be by road ("25 menit lewat jalan dari ..."); the others are the estimate
 * from the straight-line distance.
 */
export function travelText(line: TravelLine): string {
	const time = shortDuration(line.minutes, durationWords);
	const road = line.byRoad;
	let text: string;
	switch (line.from) {
		case 'previous_job':
			text = road ? m.dispatch_travel_road_previous_job({ time }) : m.dispatch_travel_previous_job({ time });
			break;
		case 'last_known':
			if (line.positionAge === null) text = road ? m.dispatch_travel_road_last_known_undated({ time }) : m.dispatch_travel_last_known_undated({ time });
			else text = road ? m.dispatch_travel_road_last_known({ time, ago: ago(line.positionAge) }) : m.dispatch_travel_last_known({ time, ago: ago(line.positionAge) });
			break;
		case 'home':
			text = road ? m.dispatch_travel_road_home({ time }) : m.dispatch_travel_home({ time });
			break;
		default:
			return m.dispatch_travel_unknown({ time });
	}
	return line.km === null ? text : `${text} · ${m.dispatch_km({ km: num(line.km) })}`;
}

/** One part of a technician's score in words (without its points). */
export function partText(part: ScorePart, s: Pick<Suggestion, 'travel' | 'urgency_factor'>, now: number): string {
	switch (part.factor) {
		case 'travel': {
			const text = travelText(travelLine(s.travel, now));
			return urgencyRaised(s) ? `${text} · ${m.dispatch_urgency({ factor: num(s.urgency_factor) })}` : text;
		}
		case 'workload': {
			const count = Math.round(part.value);
			return count === 0 ? m.dispatch_workload_none() : m.dispatch_workload({ count });
		}
		case 'skill_surplus':
			return m.dispatch_skill_surplus({ count: Math.round(part.value) });
		case 'continuity':
			return m.dispatch_continuity();
		default:
			return String(part.factor);
	}
}

/** When the job is to be done: its booking window, or now. */
export function jobTimeText(job: Pick<DispatchJob, 'window'>): string {
	return job.window ? windowName(job.window) : m.dispatch_job_now();
}

/** The skill the job needs, by its name when known ("Penyambungan · level 3"). */
export function jobSkillText(job: Pick<DispatchJob, 'skill' | 'skill_level'>, skillName?: string | null): string {
	if (!job.skill) return m.dispatch_skill_none();
	const skill = skillName || job.skill;
	return typeof job.skill_level === 'number' ? m.dispatch_skill_level({ skill, level: job.skill_level }) : skill;
}

/** What the "someone else" picker says next to a technician. */
export function pickerNoteText(note: PickerNote, needLevel: number | null | undefined): string {
	if (note.kind === 'ranked') return m.dispatch_picker_ranked({ rank: note.rank, score: scoreText(note.score) });
	return m.dispatch_picker_excluded({ reasons: excludedText({ reasons: note.reasons, skill_level: note.skillLevel }, needLevel) });
}
