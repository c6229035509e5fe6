/**
 * What an installation goes through before a technician is booked: the
 * customer's identity documents (NIK and KTP photo), customer service's
 * verification, the fee and the survey. Ticket writes carry the version read
 * (`If-Match`), like every other ticket write.
 */
import { ifMatch } from '$lib/tickets';
import { unwrap, type ApiClient } from './client';
import { toApiError } from './problem';
import type { components } from './schema';
import type { Ticket } from './types';

type Schemas = components['schemas'];
export type Identity = Schemas['Identity'];
export type IdentityNeed = Schemas['IdentityNeed'];
export type BookingNeed = Schemas['BookingNeed'];
export type SurveyOutcome = Schemas['SurveyOutcome'];
export type VerificationInput = Schemas['VerificationInput'];
export type FeeInput = Schemas['FeeInput'];
export type SurveyInput = Schemas['SurveyInput'];

type Versioned = Pick<Ticket, 'id' | 'version'>;

/** What is recorded of a customer's identity: the NIK masked, whether a KTP photo is kept. */
export function getIdentity(client: ApiClient, customerId: string): Promise<Identity> {
	return unwrap(client.GET('/api/v1/customers/{id}/identity', { params: { path: { id: customerId } } }));
}

/** Records (or replaces) the NIK, the KTP photo or both; what is not sent stays as it was. */
export function recordIdentity(
	client: ApiClient,
	customerId: string,
	input: { nik?: string | null; photo?: File | Blob | null }
): Promise<Identity> {
	const form = new FormData();
	if (input.nik) form.append('nik', input.nik);
	if (input.photo) form.append('photo', input.photo, input.photo instanceof File ? input.photo.name : 'ktp');
	return unwrap(
		client.PUT('/api/v1/customers/{id}/identity', {
			params: { path: { id: customerId } },
			body: {},
			bodySerializer: () => form
		})
	);
}

/** The whole NIK. Every call is an audited view: only ever on an explicit request. */
export async function revealNik(client: ApiClient, customerId: string): Promise<string> {
	const view = await unwrap(client.GET('/api/v1/customers/{id}/identity/nik', { params: { path: { id: customerId } } }));
	return view.nik;
}

/** The KTP photo's bytes. Every call is an audited view: only ever on an explicit request. */
export function identityPhoto(client: ApiClient, customerId: string): Promise<Blob> {
	return unwrap(
		client.GET('/api/v1/customers/{id}/identity/photo', {
			params: { path: { id: customerId } },
			parseAs: 'blob'
		})
	) as Promise<unknown> as Promise<Blob>;
}

/** Verifies an installation (or, with `verified: false` and a reason, withdraws the verification). */
export function verifyInstallation(client: ApiClient, ticket: Versioned, body: VerificationInput): Promise<Ticket> {
	return unwrap(
		client.POST('/api/v1/tickets/{id}/verification', {
			params: { path: { id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
			body
		})
	);
}

/** Marks the installation fee paid (with a reference) or takes the mark back (with a reason). */
export function markFee(client: ApiClient, ticket: Versioned, body: FeeInput): Promise<Ticket> {
	return unwrap(
		client.POST('/api/v1/tickets/{id}/fee', {
			params: { path: { id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
			body
		})
	);
}

/** Records what the survey before an installation found. */
export function recordSurvey(client: ApiClient, ticket: Versioned, body: SurveyInput): Promise<Ticket> {
	return unwrap(
		client.POST('/api/v1/tickets/{id}/survey', {
			params: { path: { id: ticket.id }, header: { 'If-Match': ifMatch(ticket.version) } },
			body
		})
	);
}

/**
 * What a refusal with `/problems/not-ready` says is missing (an
 * installation's `verification` or `fee`, a customer's `nik` or
 * `ktp_photo`); null for any other failure.
 */
export function notReadyMissing(error: unknown): string[] | null {
	const e = toApiError(error);
	if (e.type !== '/problems/not-ready') return null;
	return e.problem?.missing ?? [];
}
