/** The supervisor's review of finished jobs, and a technician's own day. */
import { ifMatch } from '$lib/tickets';
import type { JobForReview, MyDay } from '$lib/review';
import { unwrap, type ApiClient } from './client';
import type { Ticket } from './types';

/** Resolved jobs nobody approved yet, newest first, each with its documentation. */
export async function listReviews(client: ApiClient): Promise<JobForReview[]> {
	return (await unwrap(client.GET('/api/v1/job-reviews'))).items;
}

/**
 * Approves a job, or sends it back with a comment (reopened and given back to
 * its technician), from the version read: a 412 means it changed first.
 */
export function reviewJob(client: ApiClient, job: Pick<JobForReview, 'ticket_id' | 'version'>, decision: 'approved' | 'rework', comment = ''): Promise<Ticket> {
	return unwrap(
		client.POST('/api/v1/tickets/{id}/review', {
			params: { path: { id: job.ticket_id }, header: { 'If-Match': ifMatch(job.version) } },
			body: decision === 'rework' ? { decision, comment } : { decision }
		})
	);
}

/** A technician's day (today in the ISP's zone when no date is given). */
export function getMyDay(client: ApiClient, date?: string): Promise<MyDay> {
	return unwrap(client.GET('/api/v1/me/day', { params: { query: date ? { date } : {} } }));
}
