/** Links a technician opens from a job: directions in the phone's maps app, and a WhatsApp chat with the customer. */

/** Directions to a place (Google Maps; Android opens its app). */
export function directionsUrl(at: { lat: number; lng: number }): string {
	return `https://www.google.com/maps/dir/?api=1&destination=${at.lat},${at.lng}`;
}

/** A WhatsApp chat with a number kept as E.164 (`+62…`): wa.me takes the digits only. */
export function whatsappUrl(e164: string): string {
	return `https://wa.me/${e164.replace(/\D/g, '')}`;
}
