/**
 * A ticket's crew: its technician is the lead (accountable, makes the
 * moves); up to four members work it with them (they see the job, get it
 * live, comment and add photos). The rules the console's "set crew" and the
 * technician app share; the words are in `i18n/crew.ts`.
 */

/** At most this many members besides the lead (the server's `CREW_MAX`). */
export const CREW_MAX = 4;

export interface CrewPerson {
	id: string;
	name: string;
}

interface Crewed {
	status: string;
	technician?: CrewPerson | null;
	crew?: readonly CrewPerson[] | null;
}

/** What the signed-in technician is on a ticket: its lead, a member of its crew, or neither. */
export function crewRole(ticket: Pick<Crewed, 'technician' | 'crew'>, userId: string | null | undefined): 'lead' | 'member' | null {
	if (!userId) return null;
	if (ticket.technician?.id === userId) return 'lead';
	if ((ticket.crew ?? []).some((p) => p.id === userId)) return 'member';
	return null;
}

/**
 * Whether the crew can be set now: `no_lead` (assign the lead technician
 * first), `finished` (the crew stays as it was), or `ok`.
 */
export function crewEditable(ticket: Crewed, isOpen: (status: string) => boolean): 'ok' | 'no_lead' | 'finished' {
	if (!isOpen(ticket.status)) return 'finished';
	if (!ticket.technician) return 'no_lead';
	return 'ok';
}

/**
 * The choice after ticking (or unticking) one technician: added at the end,
 * in the order chosen (the order sent, so the server's `member_ids.N` names
 * the N-th), never twice, never more than `max`.
 */
export function toggleMember(chosen: readonly CrewPerson[], person: CrewPerson, on: boolean, max = CREW_MAX): CrewPerson[] {
	const without = chosen.filter((p) => p.id !== person.id);
	if (!on) return without;
	if (without.length !== chosen.length) return [...chosen];
	if (chosen.length >= max) return [...chosen];
	return [...chosen, { id: person.id, name: person.name }];
}

/** Whether the choice differs from the crew the ticket has (the order does not matter). */
export function crewChanged(chosen: readonly CrewPerson[], crew: readonly CrewPerson[]): boolean {
	if (chosen.length !== crew.length) return true;
	const ids = new Set(crew.map((p) => p.id));
	return chosen.some((p) => !ids.has(p.id));
}

/** The request body: the ids in the order chosen (`[]` leaves the lead alone). */
export function crewBody(chosen: readonly CrewPerson[]): { member_ids: string[] } {
	return { member_ids: chosen.map((p) => p.id) };
}

/**
 * The choice kept after the ticket was read again (someone changed it
 * first): everything chosen stays, but the one who became the lead meanwhile
 * is no member; `dropped` names them so it can be said.
 */
export function keepChoice(chosen: readonly CrewPerson[], ticket: Pick<Crewed, 'technician'>): { chosen: CrewPerson[]; dropped: CrewPerson | null } {
	const leadId = ticket.technician?.id;
	const dropped = chosen.find((p) => p.id === leadId) ?? null;
	return { chosen: dropped ? chosen.filter((p) => p !== dropped) : [...chosen], dropped };
}

/** The refusals of one member or of the whole list (`too_many`, and codes this app does not know). */
export interface CrewErrors {
	/** By technician id: what the server said of their place in the list. */
	byMember: Map<string, { code: CrewErrorCode; detail: string }>;
	/** About the list as a whole, or a member no longer chosen. */
	general: { code: CrewErrorCode; detail: string }[];
}

export type CrewErrorCode = 'lead' | 'inactive' | 'unknown' | 'duplicate' | 'too_many' | 'other';

const CODES: ReadonlySet<string> = new Set(['lead', 'inactive', 'unknown', 'duplicate', 'too_many']);

/**
 * The server's field errors on `member_ids.N` put on the member that was
 * N-th in the list sent (`sent`, not what is chosen now), those on
 * `member_ids` (or on a place the list did not have) on the whole.
 */
export function crewErrors(fields: readonly { field: string; code?: string; detail: string }[], sent: readonly CrewPerson[]): CrewErrors {
	const byMember: CrewErrors['byMember'] = new Map();
	const general: CrewErrors['general'] = [];
	for (const f of fields) {
		const code: CrewErrorCode = f.code && CODES.has(f.code) ? (f.code as CrewErrorCode) : 'other';
		const place = /^member_ids[.[](\d+)\]?$/.exec(f.field);
		const person = place ? sent[Number(place[1])] : undefined;
		// A duplicate names its second place; the first one stays unmarked.
		if (person && !byMember.has(person.id)) byMember.set(person.id, { code, detail: f.detail });
		else if (!person) general.push({ code, detail: f.detail });
	}
	return { byMember, general };
}

