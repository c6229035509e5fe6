import { describe, expect, it } from 'vitest';
import { apiErrorFromResponse } from './problem';
import { jobsChoiceNeeded } from './technicians';

describe('approving leave over assigned jobs', () => {
	it('reads the tickets named and the choices the server takes', () => {
		const refused = apiErrorFromResponse(
			{ status: 409 },
			{
				type: '/problems/transition-not-allowed',
				title: 'Not possible now',
				status: 409,
				detail: 'The technician has jobs on these days: TRB-2026-000011, INS-2026-000003. Say whether to unassign them (back to the queue) or keep them.',
				allowed: ['unassign', 'keep']
			}
		);
		expect(jobsChoiceNeeded(refused)).toEqual({
			detail: 'The technician has jobs on these days: TRB-2026-000011, INS-2026-000003. Say whether to unassign them (back to the queue) or keep them.',
			tickets: ['TRB-2026-000011', 'INS-2026-000003'],
			allowed: ['unassign', 'keep']
		});
	});

	it('is no question for any other refusal', () => {
		expect(jobsChoiceNeeded(apiErrorFromResponse({ status: 409 }, { type: '/problems/conflict', title: 'Conflict', status: 409, detail: 'This leave is approved already.' }))).toBeNull();
		expect(jobsChoiceNeeded(apiErrorFromResponse({ status: 409 }, { type: '/problems/transition-not-allowed', title: 'x', status: 409, allowed: ['resolved'] }))).toBeNull();
		expect(jobsChoiceNeeded(apiErrorFromResponse({ status: 412 }, { type: '/problems/stale', title: 'Stale', status: 412 }))).toBeNull();
		expect(jobsChoiceNeeded(new TypeError('offline'))).toBeNull();
	});
});
