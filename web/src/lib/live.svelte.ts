/**
 * The signed-in user's live stream (`GET /api/v1/events`, server-sent
 * events) shared by every page that listens: one `EventSource` while anyone
 * listens, closed when the last listener goes. The browser reconnects by
 * itself and sends `Last-Event-ID`, so the server replays what was missed.
 */
import { OUTAGE_EVENTS, TICKET_EVENTS, parseTicketEvent, type TicketEvent } from '$lib/tickets';

export type LiveState = 'connecting' | 'open' | 'closed';

type Listener = {
	ticket?: (event: TicketEvent) => void;
	outage?: (name: string) => void;
	/** After a reconnection: what happened while away may have been missed (the server replays, but a page may reload to be sure). */
	reconnected?: () => void;
};

class LiveStream {
	state: LiveState = $state('closed');

	#source: EventSource | null = null;
	#listeners = new Set<Listener>();
	#wasOpen = false;

	/** Listens until the returned function is called. */
	listen(listener: Listener): () => void {
		this.#listeners.add(listener);
		this.#open();
		return () => {
			this.#listeners.delete(listener);
			if (this.#listeners.size === 0) this.#close();
		};
	}

	#open(): void {
		if (this.#source || typeof EventSource === 'undefined') return;
		const source = new EventSource('/api/v1/events', { withCredentials: true });
		this.#source = source;
		this.state = 'connecting';
		source.onopen = () => {
			this.state = 'open';
			if (this.#wasOpen) for (const l of this.#listeners) l.reconnected?.();
			this.#wasOpen = true;
		};
		source.onerror = () => {
			// The browser retries on its own unless the server refused (then readyState is CLOSED).
			this.state = source.readyState === EventSource.CLOSED ? 'closed' : 'connecting';
		};
		for (const name of TICKET_EVENTS) {
			source.addEventListener(name, (e) => {
				const event = parseTicketEvent(name, (e as MessageEvent<string>).data);
				if (!event) return;
				for (const l of this.#listeners) l.ticket?.(event);
			});
		}
		for (const name of OUTAGE_EVENTS) {
			source.addEventListener(name, () => {
				for (const l of this.#listeners) l.outage?.(name);
			});
		}
	}

	#close(): void {
		this.#source?.close();
		this.#source = null;
		this.#wasOpen = false;
		this.state = 'closed';
	}
}

export const live = new LiveStream();
