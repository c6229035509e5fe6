import { describe, expect, it } from 'vitest';
import {
	bookingNeeds,
	canWithdrawVerification,
	checksOpen,
	feeRequired,
	filterTechnicians,
	groupNik,
	groupTechnicians,
	latestSurvey,
	normalizeNik,
	parseSurveyReason,
	surveyEffect,
	SURVEY_OUTCOMES
} from './installation';

const install = (over: Partial<Parameters<typeof checksOpen>[0]> = {}) => ({
	kind: 'installation',
	status: 'new',
	booking_needs: ['verification'],
	verified_at: null,
	fee_paid_at: null,
	...over
});

describe('installation checks', () => {
	it('apply to installations still open only', () => {
		expect(checksOpen(install())).toBe(true);
		expect(checksOpen(install({ status: 'on_site' }))).toBe(true);
		expect(checksOpen(install({ status: 'closed' }))).toBe(false);
		expect(checksOpen(install({ status: 'cancelled' }))).toBe(false);
		expect(checksOpen(install({ kind: 'repair' }))).toBe(false);
	});

	it('let a verification be withdrawn only while no technician is booked', () => {
		const verified = { verified_at: '2026-11-27T10:00:00Z', booking_needs: [] };
		expect(canWithdrawVerification(install(verified))).toBe(true);
		expect(canWithdrawVerification(install({ ...verified, status: 'pending' }))).toBe(true);
		expect(canWithdrawVerification(install({ ...verified, status: 'assigned' }))).toBe(false);
		expect(canWithdrawVerification(install())).toBe(false);
	});

	it('list what booking needs in a stable order, each once, and tell whether the fee comes first', () => {
		expect(bookingNeeds({ booking_needs: ['fee', 'verification'] })).toEqual(['verification', 'fee']);
		expect(bookingNeeds({ booking_needs: ['fee', 'fee'] })).toEqual(['fee']);
		expect(bookingNeeds({ booking_needs: ['later', 'verification'] })).toEqual(['verification', 'later']);
		expect(feeRequired({ booking_needs: ['verification', 'fee'] })).toBe(true);
		expect(feeRequired({ booking_needs: ['verification'] })).toBe(false);
	});
});

describe('NIK as typed and as shown', () => {
	it('drops spaces, dots and dashes as the server does, and keeps anything else for it to refuse', () => {
		expect(normalizeNik('3273 0112-0389.0123')).toBe('3273011203890123');
		expect(normalizeNik(' 3273\t011203890123 ')).toBe('3273011203890123');
		expect(normalizeNik('3273O11203890123')).toBe('3273O11203890123');
	});

	it('groups a whole NIK by four for reading out', () => {
		expect(groupNik('3273011203890123')).toBe('3273 0112 0389 0123');
		expect(groupNik('3273-0112-0389-0123')).toBe('3273 0112 0389 0123');
		expect(groupNik('************0123')).toBe('************0123');
	});
});

describe('survey outcomes', () => {
	it('say what each outcome does to the installation', () => {
		expect(SURVEY_OUTCOMES.map(surveyEffect)).toEqual(['continue', 'wait', 'wait', 'unmet', 'unmet']);
	});

	it('read the server reason back, with or without notes', () => {
		expect(parseSurveyReason('survey: needs_pole — tiang di depan rumah roboh')).toEqual({ outcome: 'needs_pole', notes: 'tiang di depan rumah roboh' });
		expect(parseSurveyReason('survey: feasible')).toEqual({ outcome: 'feasible', notes: '' });
		expect(parseSurveyReason('survey: teleport')).toBeNull();
		expect(parseSurveyReason('pelanggan minta ditunda')).toBeNull();
		expect(parseSurveyReason(null)).toBeNull();
	});

	it('find the latest survey on a timeline, also when it moved the ticket', () => {
		const items = [
			{ kind: 'created', at: '2026-11-27T08:00:00Z', reason: '', data: {} },
			{ kind: 'survey', at: '2026-11-27T09:00:00Z', reason: 'survey: feasible', data: { outcome: 'feasible' } },
			{ kind: 'comment', at: '2026-11-27T09:30:00Z', reason: '', data: {} }
		];
		expect(latestSurvey(items)).toEqual({ outcome: 'feasible', notes: '', at: '2026-11-27T09:00:00Z' });
		const moved = [...items, { kind: 'moved', at: '2026-11-27T10:00:00Z', to_status: 'pending', reason: 'survey: needs_permit — izin RT', data: {} }];
		expect(latestSurvey(moved)).toEqual({ outcome: 'needs_permit', notes: 'izin RT', at: '2026-11-27T10:00:00Z' });
		expect(latestSurvey(items.slice(0, 1))).toBeNull();
	});
});

describe('technician picker', () => {
	const t = (id: string, name: string, teams: string[], area_ids: string[], open_tickets: number) => ({ id, name, teams, area_ids, open_tickets });
	const list = [
		t('1', 'Budi Suryana', ['Tim Cicendo'], ['A'], 3),
		t('2', 'Arif Pratama', ['Tim Cicendo'], ['A'], 0),
		t('3', 'Dédé Kurnia', ['Tim Antapani'], ['B'], 1),
		t('4', 'Asep', [], ['B'], 0)
	];

	it('finds by words of the name or team, ignoring case and accents, and keeps the one chosen', () => {
		expect(filterTechnicians(list, '').map((x) => x.id)).toEqual(['1', '2', '3', '4']);
		expect(filterTechnicians(list, 'dede').map((x) => x.id)).toEqual(['3']);
		expect(filterTechnicians(list, 'cicendo arif').map((x) => x.id)).toEqual(['2']);
		expect(filterTechnicians(list, 'antapani', '1').map((x) => x.id)).toEqual(['1', '3']);
		expect(filterTechnicians(list, 'antapani', ['1', '2']).map((x) => x.id)).toEqual(['1', '2', '3']);
		expect(filterTechnicians(list, 'nobody')).toEqual([]);
	});

	it('puts those serving the area first, the least busy first', () => {
		const { nearby, others } = groupTechnicians(list, 'A');
		expect(nearby.map((x) => x.name)).toEqual(['Arif Pratama', 'Budi Suryana']);
		expect(others.map((x) => x.name)).toEqual(['Asep', 'Dédé Kurnia']);
	});
});
