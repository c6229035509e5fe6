import { describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, checkPhoto, megabytes } from './photos';

describe('photo check', () => {
	it('takes phone photos up to the limit', () => {
		expect(checkPhoto({ type: 'image/jpeg', size: 2_000_000 })).toBeNull();
		expect(checkPhoto({ type: 'image/png', size: MAX_PHOTO_BYTES })).toBeNull();
		expect(checkPhoto({ type: '', size: 1000 })).toBeNull();
	});

	it('refuses what is no image, or too large', () => {
		expect(checkPhoto({ type: 'application/pdf', size: 1000 })).toBe('not_image');
		expect(checkPhoto({ type: 'image/jpeg', size: MAX_PHOTO_BYTES + 1 })).toBe('too_big');
	});

	it('says megabytes in the UI language', () => {
		expect(megabytes(10 * 1024 * 1024, 'id')).toBe('10 MB');
		expect(megabytes(1.5 * 1024 * 1024, 'id')).toBe('1,5 MB');
		expect(megabytes(1.5 * 1024 * 1024, 'en')).toBe('1.5 MB');
	});
});
