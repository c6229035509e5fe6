/** Installation checks in words: what booking still needs, what identity lacks, survey outcomes. */
import { m } from '$lib/paraglide/messages';
import { surveyEffect } from '$lib/installation';
import { entryName, isChecklistKey } from './checklist';

const BOOKING_NEEDS: Record<string, () => string> = {
	verification: () => m.inst_need_verification(),
	fee: () => m.inst_need_fee()
};

const IDENTITY_NEEDS: Record<string, () => string> = {
	nik: () => m.inst_need_nik(),
	ktp_photo: () => m.inst_need_ktp_photo()
};

/** One thing an installation or a customer still lacks, in words (the code itself when unknown). */
export function needName(code: string): string {
	return (BOOKING_NEEDS[code] ?? IDENTITY_NEEDS[code])?.() ?? code;
}

/** "a, b dan c" / "a, b and c". */
export function joinWords(words: readonly string[]): string {
	if (words.length <= 1) return words[0] ?? '';
	return `${words.slice(0, -1).join(', ')} ${m.inst_and()} ${words[words.length - 1]}`;
}

/** What is still needed, in words: "verifikasi CS … dan pembayaran biaya pemasangan". */
export function needsText(codes: readonly string[]): string {
	return joinWords(codes.map(needName));
}

/**
 * Why a refusal with `/problems/not-ready` came: a booking that still needs
 * verification or the fee, or a verification the customer's NIK or KTP
 * photo is missing for, or a job resolved on site before its documentation
 * is complete (its checklist entries, `rx_power_weak`).
 */
export function notReadyText(missing: readonly string[]): string {
	// A job resolved on site without its documentation: the entries still to record, by name.
	const job = missing.filter(isChecklistKey);
	if (job.length > 0) return m.job_not_ready({ missing: joinWords(job.map(entryName)) });
	const identity = missing.filter((c) => c in IDENTITY_NEEDS);
	if (identity.length > 0 && identity.length === missing.length) return m.inst_identity_missing({ missing: needsText(identity) });
	if (missing.length === 0) return m.inst_not_bookable_plain();
	return m.inst_not_bookable({ needs: needsText(missing) });
}

/** Why a job could not be resolved yet: its documentation's entries still to record (and a weak reading to approve), by name. */
export function jobNotReadyText(missing: readonly string[]): string {
	if (missing.length === 0) return m.job_not_ready({ missing: m.job_title().toLowerCase() });
	return m.job_not_ready({ missing: joinWords(missing.map(entryName)) });
}

const SURVEY_OUTCOME_NAMES: Record<string, () => string> = {
	feasible: () => m.survey_outcome_feasible(),
	needs_pole: () => m.survey_outcome_needs_pole(),
	needs_permit: () => m.survey_outcome_needs_permit(),
	no_free_port: () => m.survey_outcome_no_free_port(),
	drop_too_long: () => m.survey_outcome_drop_too_long()
};

export function surveyOutcomeName(outcome: string): string {
	return SURVEY_OUTCOME_NAMES[outcome]?.() ?? outcome;
}

/** What recording this outcome will do to the installation. */
export function surveyEffectText(outcome: string): string {
	switch (surveyEffect(outcome)) {
		case 'wait':
			return m.survey_effect_wait();
		case 'unmet':
			return m.survey_effect_unmet();
		default:
			return m.survey_effect_continue();
	}
}
