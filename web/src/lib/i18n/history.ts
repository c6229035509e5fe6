/** The history at a job's place in words: a documented repair's cause and resolution. */
import { m } from '$lib/paraglide/messages';
import type { PastTicket } from '$lib/api/history';
import { codeName } from './checklist';

/** "Penyebab: Kabel drop putus", "Tindakan: Ganti kabel drop" — what the repair's documentation recorded. */
export function pastCodes(ticket: Pick<PastTicket, 'cause' | 'resolution'>): string[] {
	const out: string[] = [];
	if (ticket.cause) out.push(m.job_history_cause({ cause: codeName('cause', ticket.cause) }));
	if (ticket.resolution) out.push(m.job_history_resolution({ resolution: codeName('resolution', ticket.resolution) }));
	return out;
}
