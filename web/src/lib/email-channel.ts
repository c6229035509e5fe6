/**
 * The e-mail channel's form in the console: the SMTP server, how the
 * connection is protected (with the port each way usually takes), the
 * login whose password is written but never read back, and the sender.
 * Pure functions, unit-tested.
 */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/api/problem';
import { fieldErrorText } from '$lib/i18n/field-errors';
import type { EmailChannel, EmailInput, SmtpSecurity } from '$lib/api/messages';

/** The ways to protect the connection, the recommended one first. */
export const SMTP_SECURITIES: readonly SmtpSecurity[] = ['starttls', 'tls', 'none'];

/** The port each way usually takes: 587 for STARTTLS, 465 for TLS, 25 for a relay. */
export const SECURITY_PORTS: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, none: 25 };

const SECURITY_NAMES: Record<SmtpSecurity, () => string> = {
	starttls: () => m.email_security_starttls(),
	tls: () => m.email_security_tls(),
	none: () => m.email_security_none()
};

const SECURITY_HINTS: Record<SmtpSecurity, () => string> = {
	starttls: () => m.email_security_starttls_hint(),
	tls: () => m.email_security_tls_hint(),
	none: () => m.email_security_none_hint()
};

export function securityName(security: string): string {
	return SECURITY_NAMES[security as SmtpSecurity]?.() ?? security;
}

export function securityHint(security: string): string {
	return SECURITY_HINTS[security as SmtpSecurity]?.() ?? '';
}

/**
 * The port once the protection changes from `from` to `to`: the usual port
 * of the new way while the field is empty, or still holds the usual port of
 * the old way and the admin did not type it; else what is there (a port the
 * admin chose stays).
 */
export function portAfterSecurityChange(port: string, from: SmtpSecurity, to: SmtpSecurity, typed: boolean): string {
	const value = port.trim();
	if (value === '' || (!typed && value === String(SECURITY_PORTS[from]))) return String(SECURITY_PORTS[to]);
	return port;
}

/** The form's fields in form order (for `FormErrorState`). */
export const EMAIL_FIELDS = ['enabled', 'host', 'security', 'port', 'username', 'password', 'from_address', 'from_name'] as const;

export interface EmailForm {
	enabled: boolean;
	host: string;
	port: string;
	security: SmtpSecurity;
	username: string;
	/** A new password; empty: keep the stored one (unless `removePassword`). */
	password: string;
	/** Remove the stored password on saving. */
	removePassword: boolean;
	from_address: string;
	from_name: string;
}

/** The form's values for the saved channel (the password is never among them). */
export function emailForm(channel: EmailChannel): EmailForm {
	return {
		enabled: channel.enabled,
		host: channel.host,
		port: String(channel.port || SECURITY_PORTS[channel.security]),
		security: channel.security,
		username: channel.username ?? '',
		password: '',
		removePassword: false,
		from_address: channel.from_address,
		from_name: channel.from_name
	};
}

/** The port as the server takes it: a whole number from 1 to 65535; anything else is sent as 0, which the server refuses at the field. */
export function portNumber(port: string): number {
	const value = port.trim();
	if (!/^\d{1,5}$/.test(value)) return 0;
	const n = Number(value);
	return n >= 1 && n <= 65535 ? n : 0;
}

/**
 * What the server is sent. No password: the stored one is kept; an empty
 * one removes it; a typed one replaces it (as typed: spaces may belong to
 * a password).
 */
export function emailInput(form: EmailForm): EmailInput {
	const input: EmailInput = {
		enabled: form.enabled,
		host: form.host.trim(),
		port: portNumber(form.port),
		security: form.security,
		username: form.username.trim() || null,
		from_address: form.from_address.trim(),
		from_name: form.from_name.trim()
	};
	if (form.removePassword) input.password = '';
	else if (form.password !== '') input.password = form.password;
	return input;
}

/**
 * What saving does to the password: `kept` (one is stored and stays),
 * `new` (the typed one replaces or sets it), `removed` (the stored one
 * goes), `none` (none stored, none typed).
 */
export type PasswordState = 'kept' | 'new' | 'removed' | 'none';

export function passwordState(passwordSet: boolean, form: Pick<EmailForm, 'password' | 'removePassword'>): PasswordState {
	if (form.removePassword) return passwordSet ? 'removed' : 'none';
	if (form.password !== '') return 'new';
	return passwordSet ? 'kept' : 'none';
}

/** Whether the form differs from the saved channel (a test e-mail uses the saved settings). */
export function emailFormChanged(form: EmailForm, saved: EmailChannel): boolean {
	const now = emailInput(form);
	const was = emailInput(emailForm(saved));
	return (
		now.password !== undefined ||
		now.enabled !== was.enabled ||
		now.host !== was.host ||
		now.port !== was.port ||
		now.security !== was.security ||
		now.username !== was.username ||
		now.from_address !== was.from_address ||
		now.from_name !== was.from_name
	);
}

/** A channel field error in the user's words: the server's name, the port and the password have their own sentences. */
export function emailErrorText(error: FieldError): string {
	if (error.field === 'host' && error.code === 'required') return m.email_error_host_required();
	if (error.field === 'host' && error.code === 'format') return m.email_error_host_format();
	if (error.field === 'port') return m.email_error_port();
	if (error.field === 'password' && error.code === 'format') return m.email_error_password_format();
	if (error.field === 'from_address' && error.code === 'required') return m.email_error_from_required();
	return fieldErrorText(error);
}

/**
 * A test e-mail's field error in the user's words: `host` means the server
 * or the sender is not saved yet.
 */
export function testErrorText(error: FieldError): string {
	if (error.field === 'host') return m.email_test_not_saved();
	return fieldErrorText(error);
}
