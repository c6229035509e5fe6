/**
 * The bell's unread count, shared by everything on screen: the bell reads
 * it, and a page that marks notifications read (a customer's ticket page,
 * once its news is seen) asks for it again, so the two never disagree.
 */
import { unwrap } from '$lib/api/client';
import { authApi } from '$lib/session/index.svelte';

class Inbox {
	/** How many of the signed-in user's notifications are unread. */
	unread = $state(0);
	#generation = 0;

	/** Asks the server for the count; a failure keeps the last one. */
	async count(): Promise<void> {
		const mine = ++this.#generation;
		try {
			const page = await unwrap(authApi.GET('/api/v1/notifications', { params: { query: { unread: true, limit: 1 } } }));
			if (mine === this.#generation) this.unread = page.total;
		} catch {
			/* the bell stays as it was */
		}
	}

	/** Some were read here and now: counted down at once, then asked again. */
	read(count: number): void {
		this.#generation++;
		this.unread = Math.max(0, this.unread - count);
	}

	/** All were marked read. */
	clear(): void {
		this.#generation++;
		this.unread = 0;
	}
}

export const inbox = new Inbox();
