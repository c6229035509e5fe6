/**
 * The portal's registration form, checked before it is sent (the server
 * checks everything again). Each problem is a code the page translates.
 */
import type { Location } from '$lib/api/types';
import { checkPreferredDate, isPreferredWindow, type DateProblem } from './dates';

export const REGISTRATION_FIELDS = [
	'name',
	'phone',
	'email',
	'address',
	'location',
	'package_id',
	'preferred_date',
	'preferred_window',
	'password'
] as const;
export type RegistrationField = (typeof REGISTRATION_FIELDS)[number];

export interface RegistrationValues {
	name: string;
	phone: string;
	email: string;
	address: string;
	location: Location | null;
	package_id: string;
	preferred_date: string;
	preferred_window: string;
	password: string;
}

export type RegistrationProblem = 'required' | 'phone' | 'email' | 'too_long' | 'password_short' | DateProblem;

/** Digits of a phone number as typed: "0812-3456 7890" → "081234567890". */
export function phoneDigits(phone: string): string {
	return phone.replace(/\D/g, '');
}

/** Looks like a phone number: digits with spaces, dashes, dots or brackets, an optional leading +, 8 to 15 digits. */
export function looksLikePhone(phone: string): boolean {
	const value = phone.trim();
	if (!/^\+?[\d\s().-]+$/.test(value)) return false;
	const digits = phoneDigits(value).length;
	return digits >= 8 && digits <= 15;
}

export function looksLikeEmail(email: string): boolean {
	return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim());
}

/** Problems by field; an empty object means the form may be sent. */
export function checkRegistration(
	values: RegistrationValues,
	today: string
): Partial<Record<RegistrationField, RegistrationProblem>> {
	const problems: Partial<Record<RegistrationField, RegistrationProblem>> = {};
	const name = values.name.trim();
	if (!name) problems.name = 'required';
	else if (name.length > 100) problems.name = 'too_long';
	if (!values.phone.trim()) problems.phone = 'required';
	else if (!looksLikePhone(values.phone)) problems.phone = 'phone';
	if (values.email.trim() && !looksLikeEmail(values.email)) problems.email = 'email';
	const address = values.address.trim();
	if (!address) problems.address = 'required';
	else if (address.length > 300) problems.address = 'too_long';
	if (!values.location) problems.location = 'required';
	if (!values.package_id) problems.package_id = 'required';
	const date = checkPreferredDate(values.preferred_date, today);
	if (date) problems.preferred_date = date;
	if (!isPreferredWindow(values.preferred_window)) problems.preferred_window = 'required';
	if (!values.password) problems.password = 'required';
	else if (values.password.length < 8) problems.password = 'password_short';
	return problems;
}

/** "+6281234567890" → "0812 3456 7890", the way people say their number; other numbers unchanged. */
export function localPhone(e164: string): string {
	if (!e164.startsWith('+62')) return e164;
	const digits = `0${e164.slice(3)}`;
	return digits.replace(/^(\d{4})(\d{4})(\d+)$/, '$1 $2 $3');
}
