/** Links a technician opens from a job: directions in the phone's maps app, a WhatsApp chat with the customer, and the report's photos. */

/** Directions to a place (Google Maps; Android opens its app). */
export function directionsUrl(at: { lat: number; lng: number }): string {
	return `https://www.google.com/maps/dir/?api=1&destination=${at.lat},${at.lng}`;
}

/** A WhatsApp chat with a number kept as E.164 (`+62…`): wa.me takes the digits only. */
export function whatsappUrl(e164: string): string {
	return `https://wa.me/${e164.replace(/\D/g, '')}`;
}

/** What the report photos are chosen from. */
export interface FileLike {
	id: string;
	content_type: string;
	internal: boolean;
	created_at: string;
	uploaded_by?: string | null;
	removed_at?: string | null;
}

/**
 * The photos that came with the report: images anyone but this technician
 * attached before the job was accepted (the customer's, or customer
 * service's from a WhatsApp chat), not internal, not removed; the oldest
 * first. The technician's own photos belong to the documentation.
 */
export function reportPhotos<F extends FileLike>(files: readonly F[], me: string | null, acceptedAt: string | null): F[] {
	const until = acceptedAt ? Date.parse(acceptedAt) : Number.POSITIVE_INFINITY;
	return files
		.filter((f) => f.content_type.startsWith('image/') && !f.internal && !f.removed_at && f.uploaded_by !== me && Date.parse(f.created_at) <= until)
		.sort((a, b) => a.created_at.localeCompare(b.created_at));
}
