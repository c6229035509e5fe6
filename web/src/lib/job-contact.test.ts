import { describe, expect, it } from 'vitest';
import { directionsUrl, whatsappUrl } from './job-contact';

describe('job contact links', () => {
	it('opens WhatsApp with the digits of the number and directions to the place', () => {
		expect(whatsappUrl('+6285690467606')).toBe('https://wa.me/6285690467606');
		expect(directionsUrl({ lat: -6.8915, lng: 107.616 })).toBe('https://www.google.com/maps/dir/?api=1&destination=-6.8915,107.616');
	});
});
