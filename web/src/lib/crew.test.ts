import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { CREW_MAX, crewBody, crewChanged, crewEditable, crewErrors, crewRole, keepChoice, toggleMember } from './crew';
import { crewErrorText, crewNamesText } from './i18n/crew';
import { isOpenStatus } from './tickets';
import en from './i18n/en.json';
import id from './i18n/id.json';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'id'));

const budi = { id: 'b', name: 'Budi' };
const rudi = { id: 'r', name: 'Rudi' };
const asep = { id: 'a', name: 'Asep' };
const dedi = { id: 'd', name: 'Dedi' };
const eko = { id: 'e', name: 'Eko' };

describe('who is what on a ticket', () => {
	it('tells the lead from a crew member and from someone else', () => {
		const ticket = { technician: budi, crew: [rudi, asep] };
		expect(crewRole(ticket, 'b')).toBe('lead');
		expect(crewRole(ticket, 'r')).toBe('member');
		expect(crewRole(ticket, 'x')).toBeNull();
		expect(crewRole(ticket, null)).toBeNull();
		expect(crewRole({ technician: null, crew: [rudi] }, 'r')).toBe('member');
	});

	it('lets the crew be set only on an open ticket with a lead', () => {
		expect(crewEditable({ status: 'accepted', technician: budi, crew: [] }, isOpenStatus)).toBe('ok');
		expect(crewEditable({ status: 'new', technician: null, crew: [] }, isOpenStatus)).toBe('no_lead');
		expect(crewEditable({ status: 'resolved', technician: budi, crew: [rudi] }, isOpenStatus)).toBe('finished');
		expect(crewEditable({ status: 'cancelled', technician: null, crew: [] }, isOpenStatus)).toBe('finished');
	});
});

describe('choosing the members', () => {
	it('adds in the order chosen, once, up to the limit, and removes', () => {
		let chosen = toggleMember([], rudi, true);
		chosen = toggleMember(chosen, asep, true);
		chosen = toggleMember(chosen, rudi, true);
		expect(chosen.map((p) => p.id)).toEqual(['r', 'a']);
		chosen = toggleMember(chosen, dedi, true);
		chosen = toggleMember(chosen, eko, true);
		expect(chosen).toHaveLength(CREW_MAX);
		expect(toggleMember(chosen, { id: 'f', name: 'Fajar' }, true)).toEqual(chosen);
		expect(toggleMember(chosen, rudi, false).map((p) => p.id)).toEqual(['a', 'd', 'e']);
		expect(toggleMember(chosen, { id: 'zz', name: 'Nobody' }, false)).toEqual(chosen);
	});

	it('keeps only the id and name of what it is given', () => {
		expect(toggleMember([], { id: 'r', name: 'Rudi', teams: ['Tim A'], open_tickets: 2 } as never, true)).toEqual([rudi]);
	});

	it('knows whether there is anything to save, whatever the order', () => {
		expect(crewChanged([rudi, asep], [asep, rudi])).toBe(false);
		expect(crewChanged([rudi], [rudi, asep])).toBe(true);
		expect(crewChanged([rudi, dedi], [rudi, asep])).toBe(true);
		expect(crewChanged([], [])).toBe(false);
		expect(crewChanged([], [rudi])).toBe(true);
	});

	it('sends the ids in the order chosen, and none to remove everyone', () => {
		expect(crewBody([asep, rudi])).toEqual({ member_ids: ['a', 'r'] });
		expect(crewBody([])).toEqual({ member_ids: [] });
	});

	it('keeps the choice after a reload, without whoever became the lead', () => {
		expect(keepChoice([rudi, asep], { technician: budi })).toEqual({ chosen: [rudi, asep], dropped: null });
		expect(keepChoice([rudi, asep], { technician: asep })).toEqual({ chosen: [rudi], dropped: asep });
		expect(keepChoice([rudi], { technician: null })).toEqual({ chosen: [rudi], dropped: null });
	});
});

describe("the server's refusals", () => {
	it('puts each on the member it names, by their place in the list sent', () => {
		const sent = [rudi, budi, asep];
		const errors = crewErrors(
			[
				{ field: 'member_ids.1', code: 'lead', detail: 'the lead is on the crew already' },
				{ field: 'member_ids.2', code: 'inactive', detail: 'this technician is not active' },
				{ field: 'member_ids', code: 'too_many', detail: 'at most 4 besides the lead' }
			],
			sent
		);
		expect(errors.byMember.get('b')?.code).toBe('lead');
		expect(errors.byMember.get('a')?.code).toBe('inactive');
		expect(errors.byMember.has('r')).toBe(false);
		expect(errors.general).toEqual([{ code: 'too_many', detail: 'at most 4 besides the lead' }]);
	});

	it('keeps an unknown code, and a place the list did not have, for the whole list', () => {
		const errors = crewErrors(
			[
				{ field: 'member_ids.0', code: 'brand_new', detail: 'something new' },
				{ field: 'member_ids.7', code: 'unknown', detail: 'no technician with this id' },
				{ field: 'member_ids[1]', code: 'duplicate', detail: 'each technician once' }
			],
			[rudi, asep]
		);
		expect(errors.byMember.get('r')).toEqual({ code: 'other', detail: 'something new' });
		expect(errors.byMember.get('a')?.code).toBe('duplicate');
		expect(errors.general).toEqual([{ code: 'unknown', detail: 'no technician with this id' }]);
	});

	it('words every refusal in both languages, and an unknown one as the server said it', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			const catalogue = lang === 'id' ? id : en;
			expect(crewErrorText('lead')).toBe(catalogue.crew_error_lead);
			expect(crewErrorText('inactive')).toBe(catalogue.crew_error_inactive);
			expect(crewErrorText('unknown')).toBe(catalogue.crew_error_unknown);
			expect(crewErrorText('duplicate')).toBe(catalogue.crew_error_duplicate);
			expect(crewErrorText('too_many')).toBe(catalogue.crew_error_too_many.replace('{max}', String(CREW_MAX)));
			expect(crewErrorText('other', 'something new')).toBe('something new');
		}
		locale = 'id';
	});

	it('names the crew', () => {
		expect(crewNamesText([rudi, asep])).toBe('Rudi, Asep');
		expect(crewNamesText([])).toBe('');
	});
});
