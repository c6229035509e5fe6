/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />

/*
 * NetCrew's service worker:
 * - keeps the app shell (the built scripts and styles, the icons, the
 *   manifest and index.html) so that the app opens at once and without
 *   network: the technician app's data is kept by the page itself, in
 *   IndexedDB (src/lib/offline);
 * - shows the staff alerts that arrive by Web Push and opens the page they
 *   are about when tapped.
 * API requests are never touched here.
 */
import { build, files, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;

/** This build's shell; an older build's is deleted when this one takes over. */
const SHELL = `netcrew-shell-${version}`;
const SHELL_FILES = [...build, ...files, '/index.html'];
const SHELL_SET = new Set<string>(SHELL_FILES);
/** A page is asked from the network first; without an answer by then, the kept shell opens. */
const NAVIGATION_TIMEOUT_MS = 3000;

async function navigation(request: Request): Promise<Response> {
	const cache = await caches.open(SHELL);
	try {
		const response = await fetch(request, { signal: AbortSignal.timeout(NAVIGATION_TIMEOUT_MS) });
		if (response.ok && (response.headers.get('content-type') ?? '').includes('text/html')) {
			await cache.put('/index.html', response.clone());
		}
		return response;
	} catch (error) {
		const kept = await cache.match('/index.html');
		if (kept) return kept;
		throw error;
	}
}

async function shellFile(request: Request, path: string): Promise<Response> {
	const cache = await caches.open(SHELL);
	const kept = await cache.match(path);
	if (kept) return kept;
	const response = await fetch(request);
	if (response.ok) await cache.put(path, response.clone());
	return response;
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin || url.pathname.startsWith('/api/')) return;
	if (request.mode === 'navigate') {
		event.respondWith(navigation(request));
	} else if (SHELL_SET.has(url.pathname)) {
		event.respondWith(shellFile(request, url.pathname));
	}
});

/** What the server sends (crates/netcrew/src/messaging.rs). */
interface PushPayload {
	title?: string;
	body?: string;
	/** A path of this app, e.g. /tech or /console/tickets/…. */
	url?: string;
	/** Notifications with one tag replace each other. */
	tag?: string;
}

/** An app icon from web/static. */
const ICON = '/icon-192.png';

function payloadOf(data: PushMessageData | null): PushPayload {
	if (!data) return {};
	try {
		const value: unknown = data.json();
		return typeof value === 'object' && value !== null ? (value as PushPayload) : {};
	} catch {
		// Not JSON: the text is the message.
		return { body: data.text() };
	}
}

/** A path of this origin only: a notification never sends anyone elsewhere. */
function sameOrigin(url: unknown): string {
	if (typeof url !== 'string' || url === '') return '/';
	try {
		const target = new URL(url, sw.location.origin);
		return target.origin === sw.location.origin ? target.href : '/';
	} catch {
		return '/';
	}
}

// A new worker keeps its shell, then takes over at once: the page's data is in IndexedDB, not here.
sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(SHELL);
			await cache.addAll(SHELL_FILES);
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key.startsWith('netcrew-shell-') && key !== SHELL) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('push', (event) => {
	const payload = payloadOf(event.data);
	const options: NotificationOptions = {
		body: payload.body ?? '',
		icon: ICON,
		data: { url: sameOrigin(payload.url) }
	};
	if (payload.tag) options.tag = payload.tag;
	event.waitUntil(sw.registration.showNotification(payload.title || 'NetCrew', options));
});

sw.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const data: unknown = event.notification.data;
	const url = sameOrigin(typeof data === 'object' && data !== null ? (data as { url?: unknown }).url : undefined);
	event.waitUntil(
		(async () => {
			const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
			const open = windows.find((client) => new URL(client.url).origin === sw.location.origin);
			if (open) {
				const focused = await open.focus().catch(() => open);
				// A window this worker does not control cannot be navigated: a new one is opened instead.
				const moved = await focused.navigate(url).catch(() => null);
				if (moved) return;
			}
			await sw.clients.openWindow(url);
		})()
	);
});
