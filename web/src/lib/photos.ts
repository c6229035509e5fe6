/**
 * The photo a customer attaches to a report, checked before it is sent (the
 * server checks again, from the bytes): an image, not too large.
 */

/** What the server takes at most (it resizes what it keeps). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** Image types phones produce and the server reads. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export type PhotoProblem = 'not_image' | 'too_big';

export function checkPhoto(file: { type: string; size: number }, maxBytes = MAX_PHOTO_BYTES): PhotoProblem | null {
	// Some Android galleries leave the type empty; the server sniffs the bytes then.
	if (file.type !== '' && !(PHOTO_TYPES as readonly string[]).includes(file.type.toLowerCase())) return 'not_image';
	if (file.size > maxBytes) return 'too_big';
	return null;
}

/** "10 MB" (whole megabytes when whole, else one decimal). */
export function megabytes(bytes: number, locale: string): string {
	const mb = bytes / (1024 * 1024);
	const text = new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-GB', {
		maximumFractionDigits: Number.isInteger(mb) ? 0 : 1
	}).format(mb);
	return `${text} MB`;
}
