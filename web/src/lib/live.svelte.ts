/**
 * The live event stream (`GET /api/v1/events`, server-sent events) shared by
 * everything on screen: one `EventSource` while anyone listens, closed when
 * the last listener leaves. The browser reconnects by itself and sends
 * `Last-Event-ID`, so the server replays what was missed.
 */

/** The events the server sends (the stream names them; data is JSON naming the record). */
export const LIVE_EVENTS = [
	'ticket.created',
	'ticket.moved',
	'ticket.updated',
	'ticket.comment',
	'ticket.rated',
	'ticket.attachment',
	'outage.declared',
	'outage.updated',
	'outage.resolved'
] as const;

export interface LiveEvent {
	name: string;
	ticket_id?: string;
	number?: string;
	status?: string;
	version?: number;
	technician_id?: string | null;
	[key: string]: unknown;
}

export type LiveListener = (event: LiveEvent) => void;

/** Reads an event's data; anything that is not a JSON object carries only the name. */
export function parseLiveEvent(name: string, data: string): LiveEvent {
	try {
		const parsed: unknown = JSON.parse(data);
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { ...(parsed as object), name };
	} catch {
		/* not JSON */
	}
	return { name };
}

class LiveStream {
	/** Whether the stream is open now (for a "live" dot). */
	connected = $state(false);
	#source: EventSource | null = null;
	#listeners = new Set<LiveListener>();
	#closeTimer: ReturnType<typeof setTimeout> | null = null;

	/** Listens until the returned function is called (use it as an effect's cleanup). */
	listen(listener: LiveListener): () => void {
		this.#listeners.add(listener);
		if (this.#closeTimer) {
			clearTimeout(this.#closeTimer);
			this.#closeTimer = null;
		}
		this.#open();
		return () => {
			this.#listeners.delete(listener);
			// Navigating from one page to the next drops and adds listeners: keep the stream across.
			if (this.#listeners.size === 0 && !this.#closeTimer) {
				this.#closeTimer = setTimeout(() => {
					this.#closeTimer = null;
					if (this.#listeners.size === 0) this.close();
				}, 2_000);
			}
		};
	}

	#open(): void {
		if (this.#source || typeof EventSource === 'undefined') return;
		const source = new EventSource('/api/v1/events', { withCredentials: true });
		this.#source = source;
		source.onopen = () => (this.connected = true);
		source.onerror = () => {
			this.connected = false;
			// A refused stream (signed out) is closed for good by the browser; forget it so a later listener opens anew.
			if (source.readyState === EventSource.CLOSED && this.#source === source) this.#source = null;
		};
		const deliver = (name: string) => (e: MessageEvent) => {
			const event = parseLiveEvent(name, String(e.data ?? ''));
			for (const listener of [...this.#listeners]) {
				try {
					listener(event);
				} catch {
					/* one listener's failure does not stop the others */
				}
			}
		};
		for (const name of LIVE_EVENTS) source.addEventListener(name, deliver(name) as EventListener);
		source.onmessage = deliver('message');
	}

	/** Closes the stream (on sign-out). */
	close(): void {
		this.#source?.close();
		this.#source = null;
		this.connected = false;
	}
}

export const live = new LiveStream();

/** A clock for countdowns: `now.ms` moves on every `everyMs` while something on screen reads it. */
class Clock {
	ms = $state(Date.now());
	#timer: ReturnType<typeof setInterval> | null = null;
	#users = 0;

	/** Ticks until the returned function is called. */
	tick(everyMs = 30_000): () => void {
		this.ms = Date.now();
		this.#users++;
		if (!this.#timer) this.#timer = setInterval(() => (this.ms = Date.now()), everyMs);
		return () => {
			this.#users--;
			if (this.#users <= 0 && this.#timer) {
				clearInterval(this.#timer);
				this.#timer = null;
				this.#users = 0;
			}
		};
	}
}

export const clock = new Clock();
