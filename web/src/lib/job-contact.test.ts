import { describe, expect, it } from 'vitest';
import { directionsUrl, reportPhotos, whatsappUrl } from './job-contact';

describe('job contact links', () => {
	it('opens WhatsApp with the digits of the number and directions to the place', () => {
		expect(whatsappUrl('+6285690467606')).toBe('https://wa.me/6285690467606');
		expect(directionsUrl({ lat: -6.8915, lng: 107.616 })).toBe('https://www.google.com/maps/dir/?api=1&destination=-6.8915,107.616');
	});
});

describe('the report photos', () => {
	const f = (id: string, over: Partial<{ content_type: string; internal: boolean; created_at: string; uploaded_by: string | null; removed_at: string | null }> = {}) => ({
		id,
		content_type: 'image/jpeg',
		internal: false,
		created_at: '2026-11-29T01:00:00Z',
		uploaded_by: 'customer-user',
		removed_at: null,
		...over
	});

	it('shows what others attached before the job was accepted, not the technician\'s own, internal, removed or later files', () => {
		const files = [
			f('later', { created_at: '2026-11-29T05:00:00Z' }),
			f('report', { created_at: '2026-11-29T00:30:00Z' }),
			f('cs', { uploaded_by: 'cs-user' }),
			f('mine', { uploaded_by: 'tech' }),
			f('internal', { internal: true }),
			f('removed', { removed_at: '2026-11-29T02:00:00Z' }),
			f('pdf', { content_type: 'application/pdf' })
		];
		expect(reportPhotos(files, 'tech', '2026-11-29T03:00:00Z').map((x) => x.id)).toEqual(['report', 'cs']);
		// Not yet accepted: everything so far counts.
		expect(reportPhotos(files, 'tech', null).map((x) => x.id)).toEqual(['report', 'cs', 'later']);
	});
});
