/**
 * Messages: WhatsApp to and from customers (the channel's set-up, the
 * wording per event and language, CS's inbox of messages customers sent),
 * the e-mail channel that carries links to staff accounts, and the delivery
 * log of both with "send again".
 */
import { unwrap, type ApiClient } from './client';
import type { components } from './schema';
import type { Page } from './types';

type Schemas = components['schemas'];
export type WhatsAppChannel = Schemas['WhatsAppChannel'];
export type WhatsAppInput = Schemas['WhatsAppInput'];
export type GatewayKind = Schemas['GatewayKind'];
export type GatewayInput = Schemas['GatewayInputBody'];
/** A template approved at Meta that an event goes as through the Cloud API. */
export type CloudTemplate = Schemas['CloudTemplateBody'];
export type MessageEvent = Schemas['MessageEvent'];
export type MessageTemplate = Schemas['MessageTemplate'];
export type OutboundMessage = Schemas['List_Message']['items'][number];
export type InboundMessage = Schemas['InboundMessage'];
export type EmailChannel = Schemas['EmailChannel'];
export type EmailInput = Schemas['EmailInputBody'];
export type SmtpSecurity = Schemas['SmtpSecurity'];
export type EmailTestResult = Schemas['EmailTestResult'];

export function getChannel(client: ApiClient): Promise<WhatsAppChannel> {
	return unwrap(client.GET('/api/v1/channels/whatsapp'));
}

export function saveChannel(client: ApiClient, body: WhatsAppInput): Promise<WhatsAppChannel> {
	return unwrap(client.PUT('/api/v1/channels/whatsapp', { body }));
}

export function getEmailChannel(client: ApiClient): Promise<EmailChannel> {
	return unwrap(client.GET('/api/v1/channels/email'));
}

/** Saves the e-mail channel; a `password` left out keeps the stored one, an empty one removes it. */
export function saveEmailChannel(client: ApiClient, body: EmailInput): Promise<EmailChannel> {
	return unwrap(client.PUT('/api/v1/channels/email', { body }));
}

/** Sends one test e-mail now with the stored settings; `sent: false` with the server's reason when it did not go. */
export function sendTestEmail(client: ApiClient, to: string): Promise<EmailTestResult> {
	return unwrap(client.POST('/api/v1/channels/email/test', { body: { to } }));
}

export interface MessageQuery {
	status?: string | undefined;
	q?: string | undefined;
	customer_id?: string | undefined;
	ticket_id?: string | undefined;
}

/** One page of the delivery log, newest first. */
export function listMessages(client: ApiClient, query: MessageQuery, cursor?: string, limit = 50): Promise<Page<OutboundMessage>> {
	return unwrap(client.GET('/api/v1/messages', { params: { query: { ...query, limit, cursor } } }));
}

/** Sends a failed or skipped message again (409 for any other). */
export function sendAgain(client: ApiClient, id: string): Promise<OutboundMessage> {
	return unwrap(client.POST('/api/v1/messages/{id}/resend', { params: { path: { id } } }));
}

export async function listTemplates(client: ApiClient): Promise<MessageTemplate[]> {
	return (await unwrap(client.GET('/api/v1/message-templates'))).items;
}

export function saveTemplate(client: ApiClient, event: MessageEvent, locale: string, body: string): Promise<MessageTemplate> {
	return unwrap(client.PUT('/api/v1/message-templates/{event}/{locale}', { params: { path: { event, locale } }, body: { body } }));
}

/** Puts the wording back to the built-in one. */
export function resetTemplate(client: ApiClient, event: MessageEvent, locale: string): Promise<MessageTemplate> {
	return unwrap(client.DELETE('/api/v1/message-templates/{event}/{locale}', { params: { path: { event, locale } } }));
}

/** What a wording makes with example values (422 for a wording the event cannot fill). */
export async function previewTemplate(client: ApiClient, event: MessageEvent, body: string, signal?: AbortSignal): Promise<string> {
	return (await unwrap(client.POST('/api/v1/message-templates/preview', { body: { event, body }, signal }))).text;
}

/** One page of the inbox: only messages nobody dealt with yet when `open`, else all (the server's default is open). */
export function listInbound(client: ApiClient, open: boolean, cursor?: string, limit = 50): Promise<Page<InboundMessage>> {
	return unwrap(client.GET('/api/v1/inbound-messages', { params: { query: { open, limit, cursor } } }));
}

/**
 * Marks a message dealt with, with the ticket opened for it if any (409 when
 * someone did already). Needs `messages.read` and `tickets.create`.
 */
export function markHandled(client: ApiClient, id: string, ticketId?: string | null): Promise<InboundMessage> {
	return unwrap(
		client.POST('/api/v1/inbound-messages/{id}/handled', {
			params: { path: { id } },
			body: ticketId ? { ticket_id: ticketId } : {}
		})
	);
}
