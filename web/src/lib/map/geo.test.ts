import { describe, expect, it } from 'vitest';
import {
	boundsOf,
	distanceM,
	formatCoordinate,
	OSM_TILE_URL,
	parseCoordinate,
	parseLatLngPair,
	tileSetting,
	tileStatus
} from './geo';

describe('map tiles and their fallback', () => {
	it('uses the server setting; OpenStreetMap only when the server does not say', () => {
		expect(tileSetting('https://tiles.isp.example/{z}/{x}/{y}.png')).toEqual({
			url: 'https://tiles.isp.example/{z}/{x}/{y}.png',
			attribution: ''
		});
		expect(tileSetting('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png').attribution).toBe('© OpenStreetMap contributors');
		expect(tileSetting(undefined)).toEqual({ url: OSM_TILE_URL, attribution: '© OpenStreetMap contributors' });
	});

	it('has no tiles for null, "none" and values that are not tile templates', () => {
		expect(tileSetting(null)).toEqual({ url: null, attribution: '' });
		expect(tileSetting('none').url).toBeNull();
		expect(tileSetting('').url).toBeNull();
		expect(tileSetting('javascript:alert(1)').url).toBeNull();
		expect(tileSetting('https://no-template.example/tiles').url).toBeNull();
		expect(tileSetting('https://half.example/{z}/{x}.png').url).toBeNull();
	});

	it('calls the base map failed when tiles error or never arrive, working once one loads', () => {
		const s = { enabled: true, loaded: 0, failed: 0, timedOut: false };
		expect(tileStatus(s)).toBe('loading');
		expect(tileStatus({ ...s, failed: 3 })).toBe('failed');
		expect(tileStatus({ ...s, timedOut: true })).toBe('failed');
		expect(tileStatus({ ...s, failed: 3, loaded: 1 })).toBe('ok');
		expect(tileStatus({ ...s, enabled: false, failed: 2 })).toBe('off');
	});
});

describe('typed coordinates', () => {
	it('reads dots and Indonesian decimal commas', () => {
		expect(parseCoordinate('-6.9147', 'lat')).toBe(-6.9147);
		expect(parseCoordinate(' -6,9147 ', 'lat')).toBe(-6.9147);
		expect(parseCoordinate('107.6098', 'lng')).toBe(107.6098);
		expect(parseCoordinate('+107', 'lng')).toBe(107);
	});

	it('refuses text and out-of-range values', () => {
		expect(parseCoordinate('', 'lat')).toBeNull();
		expect(parseCoordinate('abc', 'lat')).toBeNull();
		expect(parseCoordinate('95', 'lat')).toBeNull();
		expect(parseCoordinate('181', 'lng')).toBeNull();
		expect(parseCoordinate('1e3', 'lng')).toBeNull();
		expect(parseCoordinate('-6.9.1', 'lat')).toBeNull();
	});

	it('reads a pasted pair and writes six decimals', () => {
		expect(parseLatLngPair('-6.9147, 107.6098')).toEqual({ lat: -6.9147, lng: 107.6098 });
		expect(parseLatLngPair('-6.9147 107.6098')).toEqual({ lat: -6.9147, lng: 107.6098 });
		expect(parseLatLngPair('-6.9147')).toBeNull();
		expect(formatCoordinate(-6.914712345)).toBe('-6.914712');
		expect(formatCoordinate(107.6)).toBe('107.6');
	});

	it('boxes places and measures distances', () => {
		expect(boundsOf([])).toBeNull();
		expect(boundsOf([{ lat: -6.9, lng: 107.6 }, { lat: -6.8, lng: 107.7 }])).toEqual([
			[-6.9, 107.6],
			[-6.8, 107.7]
		]);
		const d = distanceM({ lat: -6.9, lng: 107.6 }, { lat: -6.9, lng: 107.601 });
		expect(d).toBeGreaterThan(105);
		expect(d).toBeLessThan(115);
	});
});
