/**
 * `Idempotency-Key` for a form that creates something: sending the same body
 * again after no answer (the network dropped, the server failed) reuses the
 * key, so the server answers the first request instead of creating twice; a
 * changed body, or a definitive answer (a refusal such as a 409 or 422),
 * takes a new key, so the next try is judged afresh rather than replayed.
 */
import { toApiError } from '$lib/api/problem';
import { newRequestKey } from '$lib/portal';

export class RequestKey {
	#sent: { body: string; key: string } | null = null;
	readonly #make: () => string;

	constructor(make: () => string = () => newRequestKey()) {
		this.#make = make;
	}

	/** The key for sending `body` (as text) now. */
	for(body: string): string {
		if (this.#sent?.body !== body) this.#sent = { body, key: this.#make() };
		return this.#sent.key;
	}

	/** After a failed send: a refusal the server gave (4xx) is final, so the next send gets a new key. */
	failed(error: unknown): void {
		const status = toApiError(error).status;
		if (status >= 400 && status < 500) this.#sent = null;
	}
}
