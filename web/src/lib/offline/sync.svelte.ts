/**
 * The technician app works without network: every read it makes is kept on
 * the phone and answered from there when the network is gone; every action
 * (a move, a checklist entry, a photo, the equipment used) is kept in a
 * queue when it cannot be sent, shown on the job at once, and sent in order
 * when the network returns — each POST with its own `Idempotency-Key`, each
 * move with the `If-Match` the phone read. A job changed by someone else
 * meanwhile (412) is put before the technician, who sends again on the new
 * version or drops the action; a refusal (an ONT installed elsewhere, a
 * photo that is not an image) is shown with the server's words until the
 * technician corrects it. The pure rules are in `rules.ts`.
 *
 * It works as the API client's `fetch` (every component keeps calling the
 * API as it does online), and only for a technician: for anyone else it is
 * the browser's `fetch`. What a technician kept is wiped when another
 * account signs in on the phone, on signing out, and when the server says
 * the session is gone (an admin ended it: a lost phone); unsent actions
 * then wait for the same technician to sign in again, and go with anyone
 * else's sign-in.
 */
import type { JobChecklist } from '$lib/checklist';
import type { Ticket } from '$lib/api/types';
import { openOfflineDb, DB_NAME, type KeptRead, type OfflineDb } from './db';
import { installation } from '$lib/system.svelte';
import { todayIn } from '$lib/time';
import {
	applyEntry,
	applyMove,
	isDay,
	isTicketList,
	keptRead,
	overlayDay,
	nextIfMatch,
	overlayChecklist,
	overlayTicket,
	queuedKind,
	refuseMove,
	replaceIds,
	superseded,
	ticketOfRead,
	type MoveBody,
	type Queued,
	type QueuedProblem
} from './rules';

/** A version 4 UUID from the browser's random numbers (`crypto.randomUUID` needs https). */
export function uuid4(random: (b: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
	const b = random(new Uint8Array(16));
	b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
	b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
	const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** How long a read may take before the phone answers from what it kept. */
const READ_TIMEOUT_MS = 8000;
/** How often a waiting queue is tried again while the app is open. */
const RETRY_MS = 20_000;

type Who = { id: string; name: string; role: string };

/** Requests that sign someone in and answer with their account. */
const SIGN_INS = new Set(['/api/v1/auth/login', '/api/v1/auth/code/sign-in']);

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function problemResponse(p: QueuedProblem): Response {
	return json({ type: p.type ?? 'about:blank', title: p.title, status: p.status, detail: p.detail ?? '', ...(p.missing ? { missing: p.missing } : {}) }, p.status, {
		'content-type': 'application/problem+json'
	});
}

async function problemOf(res: Response): Promise<QueuedProblem> {
	let body: Record<string, unknown> = {};
	try {
		body = (await res.clone().json()) as Record<string, unknown>;
	} catch {
		/* no problem document: the status says enough */
	}
	const errors = Array.isArray(body.errors) ? (body.errors as { field?: string; detail?: string }[]) : [];
	const detail = errors.length > 0 ? errors.map((e) => `${e.field ?? ''}: ${e.detail ?? ''}`).join('; ') : typeof body.detail === 'string' ? body.detail : null;
	return {
		status: res.status,
		type: typeof body.type === 'string' ? body.type : null,
		title: typeof body.title === 'string' ? body.title : res.statusText,
		detail,
		...(Array.isArray(body.missing) ? { missing: body.missing as string[] } : {})
	};
}

/** Whether an answer means "try again later" rather than a verdict. */
function transient(res: Response): boolean {
	return res.status === 502 || res.status === 503 || res.status === 504 || res.status === 408;
}

export class OfflineSync {
	/** The browser thinks it has a network. */
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
	/** What waits to be sent (or was refused, or conflicts), in order. */
	queue = $state.raw<Queued[]>([]);
	/** Sending the queue now. */
	sending = $state(false);
	/** When something read was last answered from the phone (the screen says it may be old). */
	servedFromPhone = $state<string | null>(null);
	/** When the queue was last sent completely. */
	lastSent = $state<string | null>(null);
	/** The technician whose data is on this phone. */
	owner = $state<string | null>(null);

	#db: Promise<OfflineDb> | null = null;
	#ready: Promise<void> | null = null;
	#ids: Record<string, string> = {};
	#who: Who | null = null;
	#csrf: () => string | null = () => null;
	#sentListeners = new Set<(tickets: Ticket[]) => void>();
	#timer: ReturnType<typeof setInterval> | null = null;
	#flushing: Promise<void> | null = null;

	/** The CSRF token of the session (read at the moment of sending). */
	configure(options: { csrf: () => string | null }): void {
		this.#csrf = options.csrf;
	}

	get waiting(): number {
		return this.queue.length;
	}

	/** Reads and queues are kept only for a technician. */
	get active(): boolean {
		return this.owner !== null;
	}

	#open(): Promise<OfflineDb> {
		this.#db ??= openOfflineDb();
		return this.#db;
	}

	/** Loads what the phone kept (once); starts listening for the network. */
	ready(): Promise<void> {
		if (typeof indexedDB === 'undefined') return Promise.resolve();
		this.#ready ??= (async () => {
			try {
				const db = await this.#open();
				this.owner = ((await db.get('meta', 'owner')) as string | undefined) ?? null;
				this.#who = ((await db.get('meta', 'who')) as Who | undefined) ?? null;
				this.#ids = ((await db.get('meta', 'ids')) as Record<string, string> | undefined) ?? {};
				this.queue = await db.getAll('queue');
			} catch {
				// Storage refused (private mode, full): the app works online only.
				this.#db = null;
			}
			if (typeof window !== 'undefined') {
				window.addEventListener('online', () => {
					this.online = true;
					void this.flush();
				});
				window.addEventListener('offline', () => (this.online = false));
				this.#timer ??= setInterval(() => {
					if (this.queue.some((q) => q.state === 'waiting')) void this.flush();
				}, RETRY_MS);
			}
		})();
		return this.#ready;
	}

	/**
	 * Told each time the queue was sent (some of it accepted, or held for the
	 * technician): with the jobs as the server answered the moves, so pages
	 * show them at once, and read the rest again.
	 */
	onSent(listener: (tickets: Ticket[]) => void): () => void {
		this.#sentListeners.add(listener);
		return () => this.#sentListeners.delete(listener);
	}

	/** The API client's fetch. */
	fetch = async (request: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		const input = request instanceof Request && !init ? request : new Request(request, init);
		await this.ready();
		const url = new URL(input.url, typeof location === 'undefined' ? 'http://localhost' : location.href);
		const path = url.pathname + url.search;
		const method = input.method.toUpperCase();
		if (method === 'GET') {
			if (path === '/api/v1/me') return this.#readMe(input);
			if (this.active && this.#db && keptRead(path)) return this.#read(input, path);
			return fetch(input);
		}
		const hit = this.active && this.#db ? queuedKind(method, path) : null;
		if (hit) return this.#write(input, path, hit);
		const res = await fetch(input);
		if (path === '/api/v1/auth/logout' && (res.ok || res.status === 401)) await this.wipe();
		if (SIGN_INS.has(path) && res.ok) await this.#signedInBy(res.clone());
		return res;
	};

	/** A sign-in answers with the account (as `/me` does): it decides whose data the phone keeps. */
	async #signedInBy(res: Response): Promise<void> {
		try {
			const text = await res.text();
			await this.#signedIn(JSON.parse(text) as Who);
			if (this.active) await this.#keep({ url: '/api/v1/me', status: 200, contentType: 'application/json', text, savedAt: new Date().toISOString() });
		} catch {
			/* not an account: nothing kept */
		}
	}

	/** `/me` decides whose data the phone keeps. */
	async #readMe(input: Request): Promise<Response> {
		let res: Response;
		try {
			res = await fetch(input, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
		} catch (error) {
			const kept = this.active ? await this.#kept('/api/v1/me') : null;
			if (kept) return this.#fromPhone(kept, '/api/v1/me');
			throw error;
		}
		if (res.status === 401) {
			// The session is gone (signed out elsewhere, ended by an admin): what was read goes; what was done waits for its owner.
			if (this.owner) await this.#forgetReads();
			return res;
		}
		if (!res.ok) return res;
		const text = await res.clone().text();
		try {
			const me = JSON.parse(text) as Who & { id: string; name: string; role: string };
			await this.#signedIn(me);
			if (this.active) await this.#keep({ url: '/api/v1/me', status: res.status, contentType: 'application/json', text, savedAt: new Date().toISOString() });
		} catch {
			/* not JSON: nothing to keep */
		}
		return res;
	}

	async #signedIn(me: Who): Promise<void> {
		const db = this.#db ? await this.#open() : null;
		if (this.owner && this.owner !== me.id) await this.wipe();
		if (me.role !== 'technician') {
			if (this.owner) await this.wipe();
			return;
		}
		this.owner = me.id;
		this.#who = { id: me.id, name: me.name, role: me.role };
		await db?.put('meta', me.id, 'owner');
		await db?.put('meta', this.#who, 'who');
		if (this.queue.length > 0) void this.flush();
	}

	async #kept(url: string): Promise<KeptRead | null> {
		try {
			return (await (await this.#open()).get('reads', url)) ?? null;
		} catch {
			return null;
		}
	}

	async #keep(read: KeptRead): Promise<void> {
		try {
			await (await this.#open()).put('reads', read);
		} catch {
			/* storage full: the next read from the network is still shown */
		}
	}

	#fromPhone(kept: KeptRead, path: string): Response {
		this.servedFromPhone = kept.savedAt;
		return new Response(this.#overlay(path, kept.text), {
			status: kept.status,
			headers: { 'content-type': kept.contentType, 'x-netcrew-kept': kept.savedAt }
		});
	}

	async #read(input: Request, path: string): Promise<Response> {
		if (!navigator.onLine) {
			const kept = await this.#kept(path);
			if (kept) return this.#fromPhone(kept, path);
		}
		let res: Response;
		try {
			res = await fetch(input, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
		} catch (error) {
			const kept = await this.#kept(path);
			if (kept) return this.#fromPhone(kept, path);
			throw error;
		}
		const type = res.headers.get('content-type') ?? '';
		if (!res.ok || !type.includes('json')) return res;
		const text = await res.text();
		this.servedFromPhone = null;
		await this.#keep({ url: path, status: res.status, contentType: type, text, savedAt: new Date().toISOString() });
		return new Response(this.#overlay(path, text), { status: res.status, headers: res.headers });
	}

	/** A read as the queue leaves it: the jobs moved, the entries recorded, the photos taken. */
	#overlay(path: string, text: string): string {
		const queue = this.queue.filter((q) => q.owner === this.owner);
		if (queue.length === 0) return text;
		try {
			if (isTicketList(path)) {
				const page = JSON.parse(text) as { items: Ticket[] };
				return JSON.stringify({ ...page, items: page.items.map((t) => overlayTicket(t, queue)) });
			}
			const of = ticketOfRead(path);
			if (of?.what === 'ticket') return JSON.stringify(overlayTicket(JSON.parse(text) as Ticket, queue));
			if (of?.what === 'checklist' && this.#who) return JSON.stringify(overlayChecklist(JSON.parse(text) as JobChecklist, queue, this.#who));
			if (isDay(path)) return JSON.stringify(overlayDay(JSON.parse(text) as { date: string }, queue, installation.timeZone));
			if (of?.what === 'attachments') {
				const page = JSON.parse(text) as { items: unknown[] };
				const local = queue.filter((q) => q.kind === 'photo' && q.ticketId === of.ticketId && q.state === 'waiting').map((q) => this.#localAttachment(q));
				return JSON.stringify({ ...page, items: [...page.items, ...local] });
			}
		} catch {
			/* not the shape expected: shown as the server said */
		}
		return text;
	}

	#localAttachment(q: Queued): Record<string, unknown> {
		const photo = q.photo ?? null;
		return {
			id: q.localId,
			file_name: 'photo.jpg',
			content_type: photo?.type || 'image/jpeg',
			size_bytes: photo?.size ?? 0,
			internal: false,
			url: photo ? URL.createObjectURL(photo) : '',
			created_at: q.createdAt,
			uploaded_by: this.#who?.id ?? null
		};
	}

	/** The job as the phone has it now (kept, with the queue applied). */
	async #ticket(ticketId: string): Promise<Ticket | null> {
		const own = await this.#kept(`/api/v1/tickets/${ticketId}`);
		let ticket: Ticket | null = own ? (JSON.parse(own.text) as Ticket) : null;
		const db = await this.#open();
		for (const read of await db.getAll('reads')) {
			if (!isTicketList(read.url)) continue;
			try {
				const found = (JSON.parse(read.text) as { items: Ticket[] }).items.find((t) => t.id === ticketId);
				if (found && (!ticket || found.version > ticket.version)) ticket = found;
			} catch {
				/* skip */
			}
		}
		return ticket ? overlayTicket(ticket, this.queue) : null;
	}

	async #checklist(ticketId: string): Promise<JobChecklist | null> {
		const kept = await this.#kept(`/api/v1/tickets/${ticketId}/checklist`);
		if (!kept || !this.#who) return null;
		return overlayChecklist(JSON.parse(kept.text) as JobChecklist, this.queue, this.#who);
	}

	/** The request a queued action is sent as. */
	#request(q: Queued): Request {
		const headers = new Headers({ Accept: 'application/json, application/problem+json' });
		if (q.contentType) headers.set('content-type', q.contentType);
		if (q.ifMatch) headers.set('If-Match', q.ifMatch);
		if (q.idempotencyKey) headers.set('Idempotency-Key', q.idempotencyKey);
		const csrf = this.#csrf();
		if (csrf) headers.set('X-CSRF-Token', csrf);
		const body = q.text !== null ? replaceIds(q.text, this.#ids) : q.blob;
		return new Request(q.url, { method: q.method, headers, body, credentials: 'same-origin' });
	}

	async #write(input: Request, path: string, hit: NonNullable<ReturnType<typeof queuedKind>>): Promise<Response> {
		const contentType = input.headers.get('content-type');
		const isJson = !!contentType?.includes('json');
		const q: Queued = {
			owner: this.owner ?? '',
			kind: hit.kind,
			ticketId: hit.ticketId,
			...(hit.entry ? { entry: hit.entry } : {}),
			method: input.method.toUpperCase(),
			url: path,
			contentType,
			ifMatch: input.headers.get('if-match'),
			idempotencyKey: input.headers.get('idempotency-key') ?? (input.method.toUpperCase() === 'POST' ? uuid4() : null),
			text: isJson ? await input.clone().text() : null,
			blob: !isJson && input.body ? await input.clone().blob() : null,
			createdAt: new Date().toISOString(),
			state: 'waiting'
		};
		if (q.kind === 'photo') {
			q.localId = uuid4();
			try {
				const file = (await input.clone().formData()).get('file');
				q.photo = file instanceof Blob ? file : null;
			} catch {
				q.photo = null;
			}
		}
		// Nothing of this job waits: sent now, as online. Something waits: this goes after it, in order.
		const behind = this.queue.some((x) => x.ticketId === q.ticketId);
		if (navigator.onLine && !behind) {
			try {
				const res = await fetch(this.#request(q));
				if (!transient(res)) {
					if (res.ok) await this.#accepted(q, res.clone());
					return res;
				}
			} catch {
				/* no network: queued below */
			}
		}
		return this.#enqueue(q);
	}

	/** Keeps an action and answers as the server will (what the screen shows until it is sent). */
	async #enqueue(q: Queued): Promise<Response> {
		let answer: Response;
		const ticket = await this.#ticket(q.ticketId);
		if (ticket) q.number = ticket.number;
		if (q.kind === 'move') {
			if (!ticket) return problemResponse(this.#notOnPhone());
			const body = JSON.parse(q.text ?? '{}') as MoveBody;
			const refusal = refuseMove(ticket, body, await this.#checklist(q.ticketId));
			if (refusal) return problemResponse(refusal);
			q.ifMatch ??= `"${ticket.version}"`;
			answer = json(applyMove(ticket, body));
		} else if (q.kind === 'entry' || q.kind === 'entry_delete') {
			const checklist = await this.#checklist(q.ticketId);
			if (!checklist || !this.#who || !q.entry) return problemResponse(this.#notOnPhone());
			const value = q.kind === 'entry' ? ((JSON.parse(q.text ?? '{}') as { value?: Record<string, unknown> }).value ?? null) : null;
			answer = json(applyEntry(checklist, q.entry, value, this.#who));
		} else if (q.kind === 'photo') {
			answer = json(this.#localAttachment(q), 201);
		} else if (q.kind === 'check_in') {
			const body = JSON.parse(q.text ?? '{}') as { at?: string; position?: unknown };
			const at = body.at ?? q.createdAt;
			answer = json({ date: todayIn(installation.timeZone, new Date(at)), checked_in_at: at, position: body.position ?? null }, 201);
		} else {
			const body = JSON.parse(q.text ?? '{}') as { id?: string; item_id?: string; quantity?: number; serial?: string };
			answer = json(
				{
					id: body.id ?? uuid4(),
					kind: 'used',
					item_id: body.item_id ?? '',
					item_code: '',
					item_name: body.serial ?? '',
					unit: 'pcs',
					quantity: body.quantity ?? 1,
					serial: body.serial ?? null,
					reason: '',
					unit_cost: 0,
					created_at: q.createdAt
				},
				201
			);
		}
		const db = await this.#open();
		const tx = db.transaction('queue', 'readwrite');
		for (const old of superseded(this.queue, q)) if (old.seq !== undefined) await tx.store.delete(old.seq);
		q.seq = await tx.store.add(q);
		await tx.done;
		this.queue = await db.getAll('queue');
		answer.headers.set('x-netcrew-queued', String(q.seq));
		return answer;
	}

	#notOnPhone(): QueuedProblem {
		return { status: 503, type: '/problems/offline', title: 'Offline', detail: 'This job is not kept on this phone; it needs the network.' };
	}

	/** The server took an action: what the phone keeps follows it. A move's answer (the job now) is returned. */
	async #accepted(q: Queued, res: Response): Promise<Ticket | null> {
		if (q.kind === 'photo' && q.localId) {
			try {
				const made = (await res.clone().json()) as { id?: string };
				if (made.id) {
					this.#ids = { ...this.#ids, [q.localId]: made.id };
					await (await this.#open()).put('meta', this.#ids, 'ids');
				}
			} catch {
				/* keep going */
			}
		}
		if (q.kind === 'move') {
			try {
				const ticket = (await res.clone().json()) as Ticket;
				await this.#keepTicket(ticket);
				const db = await this.#open();
				for (const later of nextIfMatch(this.queue, q.ticketId, q.ifMatch, `"${ticket.version}"`)) await db.put('queue', later);
				this.queue = await db.getAll('queue');
				return ticket;
			} catch {
				/* keep going */
			}
		}
		return null;
	}

	/** A job as the server answered a move: kept on its own and in every kept list that shows it (a move made here is not read again). */
	async #keepTicket(ticket: Ticket): Promise<void> {
		const savedAt = new Date().toISOString();
		await this.#keep({ url: `/api/v1/tickets/${ticket.id}`, status: 200, contentType: 'application/json', text: JSON.stringify(ticket), savedAt });
		const db = await this.#open();
		for (const read of await db.getAll('reads')) {
			if (!isTicketList(read.url)) continue;
			try {
				const page = JSON.parse(read.text) as { items: Ticket[] };
				if (!page.items.some((t) => t.id === ticket.id && t.version <= ticket.version)) continue;
				const items = page.items.map((t) => (t.id === ticket.id ? ticket : t));
				await db.put('reads', { ...read, text: JSON.stringify({ ...page, items }) });
			} catch {
				/* a list not as expected stays as it was */
			}
		}
	}

	/** Sends what waits, in order; stops at the first network failure (tried again later). */
	flush(): Promise<void> {
		this.#flushing ??= this.#flush().finally(() => (this.#flushing = null));
		return this.#flushing;
	}

	async #flush(): Promise<void> {
		await this.ready();
		if (!this.#db || !this.owner || this.queue.length === 0) return;
		this.sending = true;
		let changed = 0;
		const moved: Ticket[] = [];
		try {
			const db = await this.#open();
			const held = new Set<string>();
			for (const stale of await db.getAll('queue')) {
				const q = (await db.get('queue', stale.seq ?? -1)) ?? null;
				if (!q || q.owner !== this.owner) continue;
				if (q.state !== 'waiting') {
					held.add(q.ticketId);
					continue;
				}
				if (held.has(q.ticketId)) continue;
				let res: Response;
				try {
					res = await fetch(this.#request(q));
				} catch {
					this.online = navigator.onLine;
					break;
				}
				this.online = true;
				if (transient(res) || res.status === 401 || (res.status === 409 && (await problemOf(res)).type === '/problems/idempotency-in-progress')) break;
				changed++;
				if (res.ok) {
					const ticket = await this.#accepted(q, res);
					if (ticket) moved.push(ticket);
					await db.delete('queue', q.seq ?? -1);
				} else {
					const problem = await problemOf(res);
					await db.put('queue', { ...q, state: res.status === 412 ? 'conflict' : 'refused', problem });
					held.add(q.ticketId);
				}
				this.queue = await db.getAll('queue');
			}
			this.queue = await db.getAll('queue');
			if (this.queue.length === 0) this.lastSent = new Date().toISOString();
		} finally {
			this.sending = false;
		}
		if (changed > 0) for (const listener of this.#sentListeners) listener(moved);
	}

	/**
	 * Sends a held action again: a move that met a changed job goes on the
	 * version the server has now (the technician saw it and chose so); a
	 * refused one, after the technician corrected what was wrong, as a new
	 * request.
	 */
	async retry(seq: number, currentVersion?: number): Promise<void> {
		const db = await this.#open();
		const q = await db.get('queue', seq);
		if (!q) return;
		const next: Queued = { ...q, state: 'waiting', problem: undefined, idempotencyKey: q.method === 'POST' ? uuid4() : null };
		if (q.kind === 'move' && currentVersion !== undefined) next.ifMatch = `"${currentVersion}"`;
		await db.put('queue', next);
		this.queue = await db.getAll('queue');
		await this.flush();
	}

	/** Drops an action the technician no longer wants sent. */
	async drop(seq: number): Promise<void> {
		const db = await this.#open();
		await db.delete('queue', seq);
		this.queue = await db.getAll('queue');
		for (const listener of this.#sentListeners) listener([]);
	}

	/** Forgets what was read (the customers' data), keeping what waits to be sent. */
	async #forgetReads(): Promise<void> {
		try {
			const db = await this.#open();
			await db.clear('reads');
			if (this.queue.length === 0) await this.wipe();
		} catch {
			/* nothing kept */
		}
	}

	/** Forgets everything kept for the technician on this phone. */
	async wipe(): Promise<void> {
		this.owner = null;
		this.#who = null;
		this.#ids = {};
		this.queue = [];
		this.servedFromPhone = null;
		try {
			const db = await this.#open();
			await Promise.all([db.clear('reads'), db.clear('queue'), db.clear('meta')]);
		} catch {
			try {
				indexedDB.deleteDatabase(DB_NAME);
			} catch {
				/* nothing to delete */
			}
		}
	}
}

export const offline = new OfflineSync();
