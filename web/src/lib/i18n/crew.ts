/** A ticket's crew in words: the names, and the server's refusals of a member or of the list. */
import { m } from '$lib/paraglide/messages';
import { CREW_MAX, type CrewErrorCode, type CrewPerson } from '$lib/crew';

/** "Rudi, Asep". */
export function crewNamesText(crew: readonly Pick<CrewPerson, 'name'>[]): string {
	return crew.map((p) => p.name).join(', ');
}

/** Why the server refused a member (or the list); `detail` is its English reason, said for a code this app does not know. */
export function crewErrorText(code: CrewErrorCode, detail = ''): string {
	switch (code) {
		case 'lead':
			return m.crew_error_lead();
		case 'inactive':
			return m.crew_error_inactive();
		case 'unknown':
			return m.crew_error_unknown();
		case 'duplicate':
			return m.crew_error_duplicate();
		case 'too_many':
			return m.crew_error_too_many({ max: CREW_MAX });
		default:
			return detail;
	}
}
