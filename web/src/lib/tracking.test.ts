import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import id from '$lib/i18n/id.json';
import en from '$lib/i18n/en.json';
import {
	ageText,
	etaText,
	headline,
	keepsRefreshing,
	minutesSince,
	trackingView,
	type Tracking
} from './tracking';

type Locale = 'id' | 'en';
let locale: Locale = 'id';
overwriteGetLocale(() => locale);
beforeEach(() => {
	locale = 'id';
});
afterAll(() => overwriteGetLocale(() => 'id'));

const onTheWay: Tracking = {
	number: 'TRB-2026-000123',
	status: 'en_route',
	stage: 'on_the_way',
	technician_name: 'Andi Saputra',
	destination: { lat: -6.91, lng: 107.61 },
	position: {
		location: { lat: -6.93, lng: 107.63 },
		at: '2026-12-01T03:00:00Z',
		distance_m: 3000,
		eta_minutes: 10
	},
	expires_at: '2026-12-02T03:00:00Z'
};

describe('the tracking page', () => {
	it('words the arrival time as a rough number of minutes, in Indonesian first', () => {
		expect(etaText(12)).toBe('± 12 menit');
		expect(etaText(0)).toBe('± 1 menit');
		expect(etaText(Number.NaN)).toBe('± 1 menit');
		expect(etaText(7.4)).toBe('± 7 menit');
		locale = 'en';
		expect(etaText(12)).toBe('± 12 min');
		expect(id.track_eta).toContain('{minutes}');
		expect(en.track_eta).toContain('{minutes}');
	});

	it('says how old the position is', () => {
		const now = Date.parse('2026-12-01T03:04:59Z');
		expect(minutesSince('2026-12-01T03:00:00Z', now)).toBe(4);
		expect(minutesSince('2026-12-01T03:10:00Z', now)).toBe(0);
		expect(minutesSince('not a time', now)).toBe(0);
		expect(ageText('2026-12-01T03:00:00Z', now)).toBe('4 menit lalu');
		expect(ageText('2026-12-01T03:04:30Z', now)).toBe('baru saja');
	});

	it('names the technician on the way and at arrival', () => {
		expect(headline('on_the_way', 'Andi')).toBe('Teknisi Andi sedang dalam perjalanan');
		expect(headline('on_the_way', null)).toBe(id.track_on_the_way_unnamed);
		expect(headline('arrived', 'Andi')).toBe('Teknisi Andi sudah tiba di lokasi Anda.');
		expect(headline('ended', 'Andi')).toBe(id.track_ended);
	});

	it('follows the link until the technician arrives, and knows a dead link', () => {
		expect(trackingView(null, null)).toBe('loading');
		expect(trackingView(onTheWay, null)).toBe('on_the_way');
		expect(trackingView({ ...onTheWay, stage: 'arrived', position: null }, null)).toBe('arrived');
		expect(trackingView(null, 404)).toBe('gone');
		expect(trackingView(onTheWay, 404)).toBe('gone');
		// A passing failure keeps the last answer on screen.
		expect(trackingView(onTheWay, 0)).toBe('on_the_way');
		expect(trackingView(null, 503)).toBe('error');
		expect(keepsRefreshing('on_the_way')).toBe(true);
		expect(keepsRefreshing('error')).toBe(true);
		expect(keepsRefreshing('arrived')).toBe(false);
		expect(keepsRefreshing('ended')).toBe(false);
		expect(keepsRefreshing('gone')).toBe(false);
	});
});
