import { describe, expect, it } from 'vitest';
import { describeUserAgent } from './useragent';

describe('describeUserAgent', () => {
	it('names common browsers and systems', () => {
		expect(
			describeUserAgent(
				'Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36'
			)
		).toEqual({ browser: 'Chrome', os: 'Android' });
		expect(
			describeUserAgent(
				'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1'
			)
		).toEqual({ browser: 'Safari', os: 'iOS' });
		expect(
			describeUserAgent(
				'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0'
			)
		).toEqual({ browser: 'Edge', os: 'Windows' });
		expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0')).toEqual({
			browser: 'Firefox',
			os: 'Linux'
		});
	});

	it('copes with nothing or something unknown', () => {
		expect(describeUserAgent(null)).toEqual({ browser: null, os: null });
		expect(describeUserAgent('okhttp/4.9')).toEqual({ browser: null, os: null });
	});
});
