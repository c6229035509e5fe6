/**
 * Customers signing in with a one-time code sent by WhatsApp
 * (`POST /api/v1/auth/code`, then `/auth/code/sign-in`): what the sign-in
 * page carries over, how a typed code is read, and when "send again" is
 * offered. Pure functions, unit-tested.
 */
import { looksLikePhone, phoneDigits } from '$lib/registration';

/** The code's length, as the server sends it. */
export const CODE_LENGTH = 6;
/** How long the code works, in minutes (the server's rule, said on the page). */
export const CODE_MINUTES = 5;
/** Codes sent per account in a window, and the window in minutes (the server's rule, said on the page). */
export const CODES_PER_WINDOW = 3;
export const CODE_WINDOW_MINUTES = 15;
/** Seconds before "send again" is offered. */
export const RESEND_SECONDS = 60;

/** Which way of signing in the page shows: the password, or a code by WhatsApp. */
export type SignInMethod = 'password' | 'code';

/**
 * The way asked for in the address (`/login?with=code`, for links that lead
 * customers straight to the code); the password otherwise.
 */
export function signInMethod(query: string | null | undefined): SignInMethod {
	return query === 'code' ? 'code' : 'password';
}

/** The sign-in page's address for a way of signing in, keeping everything else (`next`). */
export function methodUrl(url: URL, method: SignInMethod): URL {
	const next = new URL(url);
	if (method === 'code') next.searchParams.set('with', 'code');
	else next.searchParams.delete('with');
	return next;
}

/** The login typed so far, as the WhatsApp number to send a code to: kept only when it looks like a phone number. */
export function phoneFromLogin(login: unknown): string {
	if (typeof login !== 'string') return '';
	const value = login.trim();
	return looksLikePhone(value) ? value : '';
}

/**
 * A typed or pasted code as the digits the server reads: spaces, dashes and
 * dots (as in "123 456" or "123-456") and anything else left out, at most
 * six (a pasted message starts with its code).
 */
export function codeDigits(value: string): string {
	return value.replace(/\D/g, '').slice(0, CODE_LENGTH);
}

/** Whether a code is complete: exactly six digits. */
export function isCompleteCode(code: string): boolean {
	return new RegExp(`^\\d{${CODE_LENGTH}}$`).test(code);
}

/** Seconds left before "send again" is offered (0 once it is), from when the last code was asked for. */
export function resendWait(sentAt: number | null, now: number, seconds = RESEND_SECONDS): number {
	if (sentAt === null) return 0;
	const left = Math.ceil((sentAt + seconds * 1000 - now) / 1000);
	return Math.min(seconds, Math.max(0, left));
}

/** Whole minutes to wait after a 429 (its `Retry-After` in seconds), at least one. */
export function waitMinutes(retryAfter: number | null | undefined): number {
	const seconds = typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 60;
	return Math.max(1, Math.ceil(seconds / 60));
}

/**
 * A number as typed, the way people say it, for "sent to …": "+62 812-3456-7890",
 * "6281234567890" and "0812.3456.7890" become "0812 3456 7890"; other
 * numbers (landlines, other countries) stay as typed.
 */
export function phoneShown(typed: string): string {
	const value = typed.trim();
	const digits = phoneDigits(value);
	let local: string | null = null;
	if (value.startsWith('+')) local = digits.startsWith('62') ? `0${digits.slice(2)}` : null;
	else if (digits.startsWith('0')) local = digits;
	else if (digits.startsWith('62')) local = `0${digits.slice(2)}`;
	// "+62 0812…" carries the trunk 0 twice.
	local = local?.replace(/^00/, '0') ?? null;
	// Mobile numbers in fours; anything else as typed.
	if (local === null || !/^08\d{6,}$/.test(local)) return value;
	return local.replace(/^(\d{4})(\d{4})(\d+)$/, '$1 $2 $3');
}
