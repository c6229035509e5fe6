/** Time formatting in the current UI language. */
import { formatDate, formatDateTime } from '$lib/time';
import { getLocale } from './locale.svelte';

export function formDateTime(value: string | null | undefined, timeZone: string): string {
	return formatDateTime(value, getLocale(), timeZone);
}

export function formDate(value: string | null | undefined, timeZone: string): string {
	return formatDate(value, getLocale(), timeZone);
}
