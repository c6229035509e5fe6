/**
 * Staff alerts beyond the bell: the admin's channels per alert and role,
 * each person's own choices and quiet hours, and the devices that take
 * their Web Push.
 */
import { unwrap, unwrapEmpty, type ApiClient } from './client';
import type { components } from './schema';
import type { MessageEvent } from './messages';

type Schemas = components['schemas'];
export type AlertChannel = Schemas['AlertChannel'];
export type NotificationRoute = Schemas['NotificationRoute'];
export type AlertChoice = Schemas['AlertChoice'];
export type AlertPreferences = Schemas['AlertPreferences'];
export type AlertPreferencesInput = Schemas['AlertPreferencesInput'];
export type Reachable = Schemas['Reachable'];
export type PushDevice = Schemas['PushDevice'];
export type PushSubscriptionInput = Schemas['PushSubscriptionInput'];

/** Every staff alert, for every role it reaches (admins, `messages.manage`). */
export async function listRoutes(client: ApiClient): Promise<NotificationRoute[]> {
	return (await unwrap(client.GET('/api/v1/notification-routes'))).items;
}

/** Sets the channels a role gets an alert by (empty: the bell only). */
export function saveRoute(client: ApiClient, event: MessageEvent, role: string, channels: AlertChannel[]): Promise<NotificationRoute> {
	return unwrap(client.PUT('/api/v1/notification-routes/{event}/{role}', { params: { path: { event, role } }, body: { channels } }));
}

/** Puts a role's channels for an alert back to the built-in ones. */
export function resetRoute(client: ApiClient, event: MessageEvent, role: string): Promise<NotificationRoute> {
	return unwrap(client.DELETE('/api/v1/notification-routes/{event}/{role}', { params: { path: { event, role } } }));
}

/** How one's own alerts arrive (any member of staff, `alerts.own`). */
export function getPreferences(client: ApiClient): Promise<AlertPreferences> {
	return unwrap(client.GET('/api/v1/me/notification-preferences'));
}

/** Replaces one's choices: an alert left out of `channels` follows the role. */
export function savePreferences(client: ApiClient, body: AlertPreferencesInput): Promise<AlertPreferences> {
	return unwrap(client.PUT('/api/v1/me/notification-preferences', { body }));
}

export async function listDevices(client: ApiClient): Promise<PushDevice[]> {
	return (await unwrap(client.GET('/api/v1/me/push-subscriptions'))).items;
}

/** Lets this browser take one's Web Push (the same subscription again is updated). */
export function addDevice(client: ApiClient, body: PushSubscriptionInput): Promise<PushDevice> {
	return unwrap(client.POST('/api/v1/me/push-subscriptions', { body }));
}

export function removeDevice(client: ApiClient, id: string): Promise<void> {
	return unwrapEmpty(client.DELETE('/api/v1/me/push-subscriptions/{id}', { params: { path: { id } } }));
}

/** Sends a test notification to each of one's devices: how many were queued (409 with none). */
export async function testDevices(client: ApiClient): Promise<number> {
	return (await unwrap(client.POST('/api/v1/me/push-subscriptions/test'))).queued;
}
