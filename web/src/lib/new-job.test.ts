import { describe, expect, it } from 'vitest';
import type { Ticket } from '$lib/api/types';
import { newlyAssigned } from './new-job';

const job = (id: string, status: string, technician: string | null) => ({ id, status, number: id, technician: technician ? { id: technician, name: 'T' } : null }) as unknown as Ticket;

describe('new jobs', () => {
	it('announces a job newly assigned to me, not the first reading, not one I already had or someone else got', () => {
		const before = [job('a', 'assigned', 'me')];
		const after = [job('a', 'assigned', 'me'), job('b', 'assigned', 'me'), job('c', 'assigned', 'other'), job('d', 'accepted', 'me')];
		expect(newlyAssigned(before, after, 'me').map((t) => t.id)).toEqual(['b']);
		expect(newlyAssigned(null, after, 'me')).toEqual([]);
		expect(newlyAssigned(before, after, undefined)).toEqual([]);
	});
});
