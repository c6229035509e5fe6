/**
 * Web Push on this browser: whether it can take notifications, asking for
 * permission, subscribing with the server's VAPID key and handing the
 * subscription to the server, and letting go of it. The browser's objects
 * come in as `PushEnv` (the real ones by default), so the steps are
 * unit-tested without a browser.
 */
import { m } from '$lib/paraglide/messages';
import type { PushDevice, PushSubscriptionInput } from '$lib/api/alerts';
import { describeUserAgent } from '$lib/useragent';

/** The parts of the browser that Web Push needs. */
export interface PushEnv {
	isSecureContext?: boolean;
	navigator?: {
		userAgent?: string;
		serviceWorker?: Pick<ServiceWorkerContainer, 'ready' | 'getRegistration'>;
	};
	Notification?: {
		readonly permission: NotificationPermission;
		requestPermission(): Promise<NotificationPermission>;
	};
	PushManager?: unknown;
}

/** The real browser (nothing outside one). */
export function browserEnv(): PushEnv {
	if (typeof window === 'undefined') return {};
	return window as unknown as PushEnv;
}

/** Whether this browser can take Web Push: `insecure` over plain http (not localhost), `unsupported` without the APIs. */
export type PushSupport = 'supported' | 'insecure' | 'unsupported';

export function pushSupport(env: PushEnv = browserEnv()): PushSupport {
	if (!env.navigator?.serviceWorker || !env.Notification || !env.PushManager) {
		// Browsers hide the APIs outside a secure context: say so rather than "unsupported".
		return env.isSecureContext === false ? 'insecure' : 'unsupported';
	}
	return env.isSecureContext === false ? 'insecure' : 'supported';
}

/** The notification permission of this site, or `unsupported`. */
export function notificationPermission(env: PushEnv = browserEnv()): NotificationPermission | 'unsupported' {
	return env.Notification?.permission ?? 'unsupported';
}

/** A VAPID key as the server gives it (base64url, padding optional) → the bytes `pushManager.subscribe` takes. */
export function urlBase64ToUint8Array(base64url: string): Uint8Array<ArrayBuffer> {
	const clean = base64url.trim();
	const padded = clean + '='.repeat((4 - (clean.length % 4)) % 4);
	const binary = atob(padded.replace(/-/g, '+').replace(/_/g, '/'));
	const bytes = new Uint8Array(new ArrayBuffer(binary.length));
	for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
	return bytes;
}

/** What a device is called in one's list: "Chrome · Android" (the server says "Browser" for nothing known). */
export function deviceLabel(userAgent: string | null | undefined): string {
	const { browser, os } = describeUserAgent(userAgent);
	return [browser, os].filter(Boolean).join(' · ');
}

/**
 * Why this browser could not be subscribed; `service`: the browser could not
 * register with its push service (offline, or a private window, where
 * Chrome refuses push without saying so beforehand).
 */
export type PushProblem = 'unsupported' | 'insecure' | 'denied' | 'dismissed' | 'no_worker' | 'service';

export class PushError extends Error {
	readonly problem: PushProblem;

	constructor(problem: PushProblem) {
		super(`web push: ${problem}`);
		this.name = 'PushError';
		this.problem = problem;
	}
}

/** What to tell the person about a push problem, or null for any other failure (the API's, shown as such). */
export function pushProblemText(error: unknown): string | null {
	return error instanceof PushError ? problemText(error.problem) : null;
}

/** A push problem in the person's words, with what to do about it. */
export function problemText(problem: PushProblem): string {
	switch (problem) {
		case 'unsupported':
			return m.push_unsupported();
		case 'insecure':
			return m.push_insecure();
		case 'denied':
			return m.push_denied();
		case 'dismissed':
			return m.push_dismissed();
		case 'no_worker':
			return m.push_no_worker();
		case 'service':
			return m.push_service();
	}
}

/** The problem known before anything is asked (the button says it at once), or null. */
export function knownProblem(env: PushEnv = browserEnv()): PushProblem | null {
	const support = pushSupport(env);
	if (support !== 'supported') return support;
	return notificationPermission(env) === 'denied' ? 'denied' : null;
}

/** How long to wait for the service worker before giving up. */
const WORKER_WAIT_MS = 15_000;

function withTimeout<T>(promise: Promise<T>, ms: number, problem: PushProblem): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new PushError(problem)), ms);
		promise.then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error: unknown) => {
				clearTimeout(timer);
				reject(error instanceof Error ? error : new Error(String(error)));
			}
		);
	});
}

function sameKey(current: ArrayBuffer | null | undefined, key: Uint8Array): boolean {
	if (!current) return false;
	const bytes = new Uint8Array(current);
	return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}

/** The subscription as the server takes it: `PushSubscription.toJSON()` and a label. */
export function subscriptionInput(subscription: Pick<PushSubscription, 'toJSON'>, label: string): PushSubscriptionInput {
	const json = subscription.toJSON();
	return {
		endpoint: json.endpoint ?? '',
		expirationTime: json.expirationTime ?? null,
		keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
		label: label || null
	};
}

/**
 * Lets this browser take one's Web Push: asks for permission, subscribes
 * with the server's key (a subscription made with another key is replaced)
 * and hands it to the server with `save`. Throws a `PushError` for what the
 * browser refuses, or what `save` throws.
 */
export async function subscribeThisBrowser(
	publicKey: string,
	save: (body: PushSubscriptionInput) => Promise<PushDevice>,
	env: PushEnv = browserEnv(),
	waitMs = WORKER_WAIT_MS
): Promise<PushDevice> {
	const support = pushSupport(env);
	if (support !== 'supported') throw new PushError(support);
	const notification = env.Notification!;
	const worker = env.navigator!.serviceWorker!;
	const permission = notification.permission === 'granted' ? 'granted' : await notification.requestPermission();
	if (permission === 'denied') throw new PushError('denied');
	if (permission !== 'granted') throw new PushError('dismissed');
	const registration = await withTimeout(worker.ready, waitMs, 'no_worker');
	const key = urlBase64ToUint8Array(publicKey);
	let subscription = await registration.pushManager.getSubscription();
	if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
		await subscription.unsubscribe();
		subscription = null;
	}
	if (!subscription) {
		try {
			subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
		} catch (error) {
			throw new PushError(error instanceof Error && error.name === 'NotAllowedError' ? 'denied' : 'service');
		}
	}
	return save(subscriptionInput(subscription, deviceLabel(env.navigator?.userAgent)));
}

/** Lets go of this browser's subscription, if it has one; whether it had. */
export async function unsubscribeThisBrowser(env: PushEnv = browserEnv()): Promise<boolean> {
	if (pushSupport(env) !== 'supported') return false;
	const registration = await env.navigator!.serviceWorker!.getRegistration();
	const subscription = await registration?.pushManager.getSubscription();
	if (!subscription) return false;
	return subscription.unsubscribe();
}

/** Where this browser remembers which of one's devices it is. */
export const THIS_DEVICE_KEY = 'netcrew.push-device';

export function rememberThisDevice(id: string | null, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = globalThis.localStorage): void {
	try {
		if (id) storage?.setItem(THIS_DEVICE_KEY, id);
		else storage?.removeItem(THIS_DEVICE_KEY);
	} catch {
		// Storage refused (private mode): the list just does not mark this device.
	}
}

export function thisDevice(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): string | null {
	try {
		return storage?.getItem(THIS_DEVICE_KEY) ?? null;
	} catch {
		return null;
	}
}
