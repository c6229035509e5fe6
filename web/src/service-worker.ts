/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />

/*
 * NetCrew's service worker: shows the staff alerts that arrive by Web Push
 * and opens the page they are about when tapped. It handles no fetches and
 * caches nothing (the app needs the server to work).
 */

const sw = self as unknown as ServiceWorkerGlobalScope;

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

// A new worker takes over at once: it holds no state worth waiting for.
sw.addEventListener('install', () => {
	void sw.skipWaiting();
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(sw.clients.claim());
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
