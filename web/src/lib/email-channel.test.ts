import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { ApiError, type FieldError } from '$lib/api/problem';
import type { EmailChannel } from '$lib/api/messages';
import { formErrors } from '$lib/forms';
import {
	EMAIL_FIELDS,
	emailErrorText,
	emailForm,
	emailFormChanged,
	emailInput,
	passwordState,
	portAfterSecurityChange,
	portNumber,
	SECURITY_PORTS,
	securityHint,
	securityName,
	SMTP_SECURITIES,
	testErrorText
} from './email-channel';
import en from './i18n/en.json';
import id from './i18n/id.json';

type Locale = 'id' | 'en';
let locale: Locale = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

const saved: EmailChannel = {
	enabled: true,
	host: 'smtp.fibernusa.example',
	port: 587,
	security: 'starttls',
	username: 'noreply@fibernusa.example',
	password_set: true,
	from_address: 'noreply@fibernusa.example',
	from_name: 'FiberNusa',
	updated_at: '2026-11-28T08:00:00Z'
};

describe('connection security', () => {
	it('names each way and says what it is for, in both languages', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			const names = SMTP_SECURITIES.map(securityName);
			expect(new Set(names).size).toBe(3);
			for (const s of SMTP_SECURITIES) expect(securityHint(s)).not.toBe('');
		}
		locale = 'id';
		expect(securityName('starttls')).toBe(id.email_security_starttls);
		locale = 'en';
		expect(securityHint('none')).toBe(en.email_security_none_hint);
		expect(securityName('carrier-pigeon')).toBe('carrier-pigeon');
	});

	it('suggests the usual port when the way changes, unless the admin typed one', () => {
		expect(SECURITY_PORTS).toEqual({ starttls: 587, tls: 465, none: 25 });
		expect(portAfterSecurityChange('587', 'starttls', 'tls', false)).toBe('465');
		expect(portAfterSecurityChange('465', 'tls', 'starttls', false)).toBe('587');
		expect(portAfterSecurityChange('', 'tls', 'none', true)).toBe('25');
		// Typed (even the usual one): left alone.
		expect(portAfterSecurityChange('587', 'starttls', 'tls', true)).toBe('587');
		// A port the admin chose before (saved, not usual for the way): left alone.
		expect(portAfterSecurityChange('2525', 'starttls', 'tls', false)).toBe('2525');
	});
});

describe('the channel form', () => {
	it('fills from the saved channel without any password', () => {
		const form = emailForm(saved);
		expect(form).toEqual({
			enabled: true,
			host: 'smtp.fibernusa.example',
			port: '587',
			security: 'starttls',
			username: 'noreply@fibernusa.example',
			password: '',
			removePassword: false,
			from_address: 'noreply@fibernusa.example',
			from_name: 'FiberNusa'
		});
		expect(emailForm({ ...saved, username: null }).username).toBe('');
	});

	it('leaves the password out to keep it, sends it empty to remove it, and as typed to replace it', () => {
		const form = emailForm(saved);
		expect('password' in emailInput(form)).toBe(false);
		expect(emailInput({ ...form, password: ' new secret ' }).password).toBe(' new secret ');
		expect(emailInput({ ...form, password: 'typed', removePassword: true }).password).toBe('');
		expect(emailInput({ ...form, username: '  ' }).username).toBeNull();
		expect(emailInput({ ...form, host: ' smtp.x.example ', from_name: ' ISP ' })).toMatchObject({ host: 'smtp.x.example', from_name: 'ISP' });
	});

	it('sends a port the server refuses at its field when it is not one', () => {
		expect(portNumber('587')).toBe(587);
		expect(portNumber(' 2525 ')).toBe(2525);
		for (const bad of ['', 'abc', '0', '65536', '99999', '58.7', '-1']) expect(portNumber(bad), bad).toBe(0);
		expect(emailInput({ ...emailForm(saved), port: 'x' }).port).toBe(0);
	});

	it('says what saving does to the password', () => {
		expect(passwordState(true, { password: '', removePassword: false })).toBe('kept');
		expect(passwordState(true, { password: 'x', removePassword: false })).toBe('new');
		expect(passwordState(false, { password: 'x', removePassword: false })).toBe('new');
		expect(passwordState(true, { password: '', removePassword: true })).toBe('removed');
		expect(passwordState(false, { password: '', removePassword: false })).toBe('none');
		expect(passwordState(false, { password: '', removePassword: true })).toBe('none');
	});

	it('tells unsaved changes apart (a test e-mail uses the saved settings)', () => {
		const form = emailForm(saved);
		expect(emailFormChanged(form, saved)).toBe(false);
		expect(emailFormChanged({ ...form, host: ' smtp.fibernusa.example ' }, saved)).toBe(false);
		expect(emailFormChanged({ ...form, port: '465' }, saved)).toBe(true);
		expect(emailFormChanged({ ...form, password: 'x' }, saved)).toBe(true);
		expect(emailFormChanged({ ...form, removePassword: true }, saved)).toBe(true);
		expect(emailFormChanged({ ...form, enabled: false }, saved)).toBe(true);
	});
});

describe('channel errors in the user language', () => {
	const error = (field: string, code: string, detail = 'English detail'): FieldError => ({ field, code, detail });

	it('words the server, port, password and sender errors', () => {
		expect(emailErrorText(error('host', 'required'))).toBe(id.email_error_host_required);
		expect(emailErrorText(error('host', 'format'))).toBe(id.email_error_host_format);
		expect(emailErrorText(error('port', 'range', 'from 1 to 65535'))).toBe(id.email_error_port);
		expect(emailErrorText(error('port', 'type'))).toBe(id.email_error_port);
		expect(emailErrorText(error('password', 'format'))).toBe(id.email_error_password_format);
		expect(emailErrorText(error('from_address', 'required'))).toBe(id.email_error_from_required);
		expect(emailErrorText(error('from_address', 'email'))).toBe(id.field_error_email);
		locale = 'en';
		expect(emailErrorText(error('from_name', 'length', 'enter 1 to 80 characters'))).toBe('Enter 1 to 80 characters.');
	});

	it('puts each message at its field, none in a panel', () => {
		const problem = new ApiError('validation', 422, {
			status: 422,
			type: '/problems/validation',
			title: 'Invalid input',
			errors: [error('host', 'format'), error('port', 'range'), error('password', 'format')]
		});
		const result = formErrors(problem, EMAIL_FIELDS, emailErrorText);
		expect(Object.keys(result.fields)).toEqual(['host', 'port', 'password']);
		expect(result.panel).toBe(false);
	});

	it('says a test needs the server and sender saved first', () => {
		expect(testErrorText(error('host', 'required', 'save the SMTP server and the sender first'))).toBe(id.email_test_not_saved);
		expect(testErrorText(error('to', 'email'))).toBe(id.field_error_email);
	});
});
