import { afterAll, describe, expect, it, vi } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import type { PushDevice, PushSubscriptionInput } from '$lib/api/alerts';
import {
	deviceLabel,
	knownProblem,
	notificationPermission,
	PushError,
	pushProblemText,
	pushSupport,
	rememberThisDevice,
	subscribeThisBrowser,
	subscriptionInput,
	thisDevice,
	unsubscribeThisBrowser,
	urlBase64ToUint8Array,
	type PushEnv
} from './push';
import id from './i18n/id.json';

overwriteGetLocale(() => 'id');
afterAll(() => overwriteGetLocale(() => 'id'));

const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
/** A real VAPID public key's shape: 65 bytes, base64url without padding. */
const KEY = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';

interface FakeSubscription {
	endpoint: string;
	options: { applicationServerKey: ArrayBuffer | null };
	unsubscribe: () => Promise<boolean>;
	toJSON: () => PushSubscriptionJSON;
}

/** A browser as far as Web Push goes: its permission, and a service worker with a push manager. */
function fakeBrowser(options: { permission?: NotificationPermission; answer?: NotificationPermission; existing?: FakeSubscription | null; ready?: boolean } = {}) {
	let permission = options.permission ?? 'default';
	let current: FakeSubscription | null = options.existing ?? null;
	const subscribed: unknown[] = [];
	const makeSubscription = (key: Uint8Array): FakeSubscription => {
		const sub: FakeSubscription = {
			endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
			options: { applicationServerKey: key.buffer as ArrayBuffer },
			unsubscribe: vi.fn(async () => {
				if (current === sub) current = null;
				return true;
			}),
			toJSON: () => ({ endpoint: 'https://fcm.googleapis.com/fcm/send/abc', expirationTime: null, keys: { p256dh: 'P256', auth: 'AUTH' } })
		};
		return sub;
	};
	const registration = {
		pushManager: {
			getSubscription: async () => current,
			subscribe: vi.fn(async (opts: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }) => {
				subscribed.push(opts);
				current = makeSubscription(opts.applicationServerKey);
				return current;
			})
		}
	};
	const env: PushEnv = {
		isSecureContext: true,
		PushManager: class {},
		Notification: {
			get permission() {
				return permission;
			},
			requestPermission: vi.fn(async () => {
				permission = options.answer ?? 'granted';
				return permission;
			})
		},
		navigator: {
			userAgent: ANDROID_CHROME,
			serviceWorker: {
				ready: options.ready === false ? new Promise(() => {}) : Promise.resolve(registration as unknown as ServiceWorkerRegistration),
				getRegistration: async () => registration as unknown as ServiceWorkerRegistration
			}
		}
	};
	return { env, registration, subscribed, makeSubscription, current: () => current };
}

const device: PushDevice = { id: 'd1', label: 'Chrome · Android', created_at: '2026-11-29T03:00:00Z', last_used_at: null };

describe('whether this browser takes Web Push', () => {
	it('needs a service worker, notifications and the push manager, over https or localhost', () => {
		const { env } = fakeBrowser();
		expect(pushSupport(env)).toBe('supported');
		expect(pushSupport({ ...env, PushManager: undefined })).toBe('unsupported');
		expect(pushSupport({ ...env, navigator: { userAgent: 'x' } })).toBe('unsupported');
		expect(pushSupport({})).toBe('unsupported');
		// Plain http on a LAN address hides the APIs: said as such.
		expect(pushSupport({ isSecureContext: false })).toBe('insecure');
		expect(pushSupport({ ...env, isSecureContext: false })).toBe('insecure');
	});

	it('knows a blocked site before asking', () => {
		expect(knownProblem(fakeBrowser().env)).toBeNull();
		expect(knownProblem(fakeBrowser({ permission: 'denied' }).env)).toBe('denied');
		expect(knownProblem({})).toBe('unsupported');
		expect(notificationPermission({})).toBe('unsupported');
		expect(notificationPermission(fakeBrowser({ permission: 'granted' }).env)).toBe('granted');
	});
});

describe('the VAPID key and the device', () => {
	it('turns a base64url key into its bytes, with or without padding', () => {
		const bytes = urlBase64ToUint8Array(KEY);
		expect(bytes).toBeInstanceOf(Uint8Array);
		expect(bytes.length).toBe(65);
		expect(bytes[0]).toBe(0x04);
		expect([...urlBase64ToUint8Array('-_8')]).toEqual([0xfb, 0xff]);
		expect([...urlBase64ToUint8Array('-_8=')]).toEqual([0xfb, 0xff]);
		expect([...urlBase64ToUint8Array('AQID')]).toEqual([1, 2, 3]);
	});

	it('calls the device by its browser and system', () => {
		expect(deviceLabel(ANDROID_CHROME)).toBe('Chrome · Android');
		expect(deviceLabel('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toBe('Safari · iOS');
		expect(deviceLabel('')).toBe('');
		expect(deviceLabel(null)).toBe('');
	});

	it('hands the server the subscription as the browser gives it, with the label', () => {
		const sub = fakeBrowser().makeSubscription(urlBase64ToUint8Array(KEY));
		expect(subscriptionInput(sub, 'Chrome · Android')).toEqual({
			endpoint: 'https://fcm.googleapis.com/fcm/send/abc',
			expirationTime: null,
			keys: { p256dh: 'P256', auth: 'AUTH' },
			label: 'Chrome · Android'
		});
		expect(subscriptionInput(sub, '').label).toBeNull();
	});
});

describe('turning push on for this browser', () => {
	it('asks for permission, subscribes visibly with the server\'s key and saves the subscription', async () => {
		const browser = fakeBrowser();
		const saved: PushSubscriptionInput[] = [];
		const answer = await subscribeThisBrowser(KEY, async (body) => (saved.push(body), device), browser.env);
		expect(answer).toBe(device);
		expect(browser.env.Notification!.requestPermission).toHaveBeenCalledOnce();
		expect(browser.subscribed).toHaveLength(1);
		const options = browser.subscribed[0] as { userVisibleOnly: boolean; applicationServerKey: Uint8Array };
		expect(options.userVisibleOnly).toBe(true);
		expect([...options.applicationServerKey]).toEqual([...urlBase64ToUint8Array(KEY)]);
		expect(saved).toEqual([{ endpoint: 'https://fcm.googleapis.com/fcm/send/abc', expirationTime: null, keys: { p256dh: 'P256', auth: 'AUTH' }, label: 'Chrome · Android' }]);
	});

	it('does not ask again once allowed, and keeps a subscription made with the same key', async () => {
		const existing = fakeBrowser().makeSubscription(urlBase64ToUint8Array(KEY));
		const again = fakeBrowser({ permission: 'granted', existing });
		await subscribeThisBrowser(KEY, async () => device, again.env);
		expect(again.env.Notification!.requestPermission).not.toHaveBeenCalled();
		expect(again.registration.pushManager.subscribe).not.toHaveBeenCalled();
		expect(existing.unsubscribe).not.toHaveBeenCalled();
	});

	it('replaces a subscription made with another key (the server\'s key changed)', async () => {
		const other = fakeBrowser().makeSubscription(urlBase64ToUint8Array('AQID'));
		const browser = fakeBrowser({ permission: 'granted', existing: other });
		await subscribeThisBrowser(KEY, async () => device, browser.env);
		expect(other.unsubscribe).toHaveBeenCalledOnce();
		expect(browser.registration.pushManager.subscribe).toHaveBeenCalledOnce();
	});

	it('says why it cannot: blocked, dismissed, unsupported, plain http, or no service worker', async () => {
		const save = vi.fn(async () => device);
		const problem = async (env: PushEnv, waitMs?: number) => {
			try {
				await subscribeThisBrowser(KEY, save, env, waitMs);
				return null;
			} catch (e) {
				return e instanceof PushError ? e.problem : e;
			}
		};
		expect(await problem(fakeBrowser({ answer: 'denied' }).env)).toBe('denied');
		expect(await problem(fakeBrowser({ answer: 'default' }).env)).toBe('dismissed');
		expect(await problem({})).toBe('unsupported');
		expect(await problem({ isSecureContext: false })).toBe('insecure');
		expect(await problem(fakeBrowser({ permission: 'granted', ready: false }).env, 20)).toBe('no_worker');
		// The push service refuses (offline, a private window), or the browser says no at the last step.
		const refusing = (name: string) => {
			const browser = fakeBrowser({ permission: 'granted' });
			browser.registration.pushManager.subscribe.mockRejectedValue(new DOMException('Registration failed', name));
			return browser.env;
		};
		expect(await problem(refusing('AbortError'))).toBe('service');
		expect(await problem(refusing('NotAllowedError'))).toBe('denied');
		expect(save).not.toHaveBeenCalled();
		expect(pushProblemText(new PushError('denied'))).toBe(id.push_denied);
		expect(pushProblemText(new PushError('unsupported'))).toBe(id.push_unsupported);
		expect(pushProblemText(new PushError('service'))).toBe(id.push_service);
		expect(pushProblemText(new Error('offline'))).toBeNull();
	});

	it('lets go of this browser\'s subscription when there is one', async () => {
		const browser = fakeBrowser({ permission: 'granted' });
		expect(await unsubscribeThisBrowser(browser.env)).toBe(false);
		await subscribeThisBrowser(KEY, async () => device, browser.env);
		expect(browser.current()).not.toBeNull();
		expect(await unsubscribeThisBrowser(browser.env)).toBe(true);
		expect(browser.current()).toBeNull();
		expect(await unsubscribeThisBrowser({})).toBe(false);
	});
});

describe('which device this browser is', () => {
	it('is remembered, forgotten, and survives a storage that refuses', () => {
		const data = new Map<string, string>();
		const storage = {
			getItem: (key: string) => data.get(key) ?? null,
			setItem: (key: string, value: string) => void data.set(key, value),
			removeItem: (key: string) => void data.delete(key)
		};
		expect(thisDevice(storage)).toBeNull();
		rememberThisDevice('d1', storage);
		expect(thisDevice(storage)).toBe('d1');
		rememberThisDevice(null, storage);
		expect(thisDevice(storage)).toBeNull();
		const refusing = {
			getItem: (): string | null => {
				throw new DOMException('denied', 'SecurityError');
			},
			setItem: () => {
				throw new DOMException('denied', 'SecurityError');
			},
			removeItem: () => {
				throw new DOMException('denied', 'SecurityError');
			}
		};
		expect(() => rememberThisDevice('d1', refusing)).not.toThrow();
		expect(thisDevice(refusing)).toBeNull();
		expect(thisDevice(undefined)).toBeNull();
	});
});
