/**
 * A job's documentation: its checklist, each entry recorded (or taken back)
 * on its own, a supervisor's exception for a weak optical reading, the band
 * readings are judged against, and photos uploaded with where and when the
 * phone took them.
 */
import { captureFields, type Capture, type JobChecklist, type OpticalBand } from '$lib/checklist';
import { unwrap, type ApiClient } from './client';
import type { components } from './schema';

export type Attachment = components['schemas']['Attachment'];
export type JobSettings = components['schemas']['JobSettings'];

export function getChecklist(client: ApiClient, ticketId: string): Promise<JobChecklist> {
	return unwrap(client.GET('/api/v1/tickets/{id}/checklist', { params: { path: { id: ticketId } } }));
}

/** Records one entry; the same value again records nothing (safe to send twice). */
export function putEntry(client: ApiClient, ticketId: string, key: string, value: Record<string, unknown>): Promise<JobChecklist> {
	return unwrap(
		client.PUT('/api/v1/tickets/{id}/checklist/{entry}', {
			params: { path: { id: ticketId, entry: key } },
			body: { value: value as Record<string, never> }
		})
	);
}

/** Takes an entry back (recorded by mistake). */
export function deleteEntry(client: ApiClient, ticketId: string, key: string): Promise<JobChecklist> {
	return unwrap(client.DELETE('/api/v1/tickets/{id}/checklist/{entry}', { params: { path: { id: ticketId, entry: key } } }));
}

/** A supervisor accepts the weak reading recorded now, with a reason. */
export function approveException(client: ApiClient, ticketId: string, reason: string): Promise<JobChecklist> {
	return unwrap(
		client.POST('/api/v1/tickets/{id}/checklist/exception', {
			params: { path: { id: ticketId } },
			body: { reason }
		})
	);
}

export function getJobSettings(client: ApiClient): Promise<JobSettings> {
	return unwrap(client.GET('/api/v1/job-settings'));
}

export function putJobSettings(client: ApiClient, band: OpticalBand): Promise<JobSettings> {
	return unwrap(client.PUT('/api/v1/job-settings', { body: { optical_band: band } }));
}

/** Uploads a photo (or a signature) taken on the phone, with when and where it was taken. */
export function uploadCapture(client: ApiClient, ticketId: string, file: Blob, name: string, capture: Capture | null): Promise<Attachment> {
	const form = new FormData();
	form.append('file', file, name);
	if (capture) for (const [key, value] of Object.entries(captureFields(capture))) form.append(key, value);
	return unwrap(
		client.POST('/api/v1/tickets/{id}/attachments', {
			params: { path: { id: ticketId } },
			body: { file: '' },
			bodySerializer: () => form
		})
	);
}

/** A ticket's attachments (to show the photos an entry names). */
export async function listAttachments(client: ApiClient, ticketId: string): Promise<Attachment[]> {
	const page = await unwrap(client.GET('/api/v1/tickets/{id}/attachments', { params: { path: { id: ticketId } } }));
	return page.items;
}
