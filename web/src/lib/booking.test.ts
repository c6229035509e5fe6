import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/problem';
import {
	areaAt,
	bookingDayName,
	bookingDayParts,
	bookingWindowOf,
	dayHasRoom,
	daysWithRoom,
	freeJobs,
	keepWindow,
	slotState,
	windowFullOf,
	windowHours,
	windowsWithRoom,
	type BookingWindows
} from './booking';

const room = (free_jobs: number) => ({ units: 2, total_minutes: 480, booked_minutes: 480 - free_jobs * 120, free_minutes: free_jobs * 120, free_jobs });

const windows: BookingWindows = {
	area_id: 'a1',
	service_type_id: 's1',
	job_minutes: 120,
	days: [
		{
			date: '2026-12-01',
			windows: [
				{ window: '08:00-12:00', has_room: false, open: false, room: null },
				{ window: '13:00-17:00', has_room: true, open: true, room: room(2) }
			]
		},
		{
			date: '2026-12-02',
			windows: [
				{ window: '08:00-12:00', has_room: false, open: true, room: room(0) },
				{ window: '13:00-17:00', has_room: false, open: true }
			]
		},
		{
			date: '2026-12-03',
			windows: [
				{ window: '08:00-12:00', has_room: true, open: true },
				{ window: '13:00-17:00', has_room: true, open: true }
			]
		}
	]
};

describe('booking windows', () => {
	it('tells each window as room, full, over or not known', () => {
		expect(slotState(windows, '2026-12-01', '08:00-12:00')).toBe('ended');
		expect(slotState(windows, '2026-12-01', '13:00-17:00')).toBe('room');
		expect(slotState(windows, '2026-12-02', '08:00-12:00')).toBe('full');
		expect(slotState(windows, '2026-12-09', '08:00-12:00')).toBe('unknown');
		expect(slotState(null, '2026-12-01', '13:00-17:00')).toBe('unknown');
	});

	it('finds the days with room, in order, and their windows with room', () => {
		expect(daysWithRoom(windows).map((d) => d.date)).toEqual(['2026-12-01', '2026-12-03']);
		expect(daysWithRoom(windows, 1).map((d) => d.date)).toEqual(['2026-12-01']);
		expect(daysWithRoom(null)).toEqual([]);
		expect(windowsWithRoom(windows.days[0])).toEqual(['13:00-17:00']);
		expect(windowsWithRoom(windows.days[2])).toEqual(['08:00-12:00', '13:00-17:00']);
		expect(dayHasRoom(windows, '2026-12-02')).toBe(false);
		expect(dayHasRoom(windows, '2026-12-03')).toBe(true);
		expect(dayHasRoom(windows, '2027-01-01')).toBeNull();
	});

	it('gives staff the jobs that still fit, and nothing when the server sent no figures', () => {
		expect(freeJobs(bookingWindowOf(windows, '2026-12-01', '13:00-17:00'))).toBe(2);
		expect(freeJobs(bookingWindowOf(windows, '2026-12-02', '08:00-12:00'))).toBe(0);
		expect(freeJobs(bookingWindowOf(windows, '2026-12-02', '13:00-17:00'))).toBeNull();
		expect(freeJobs(null)).toBeNull();
	});

	it('lets go of a chosen window only when the new day has it full or over', () => {
		expect(keepWindow(windows, '2026-12-02', '08:00-12:00')).toBe('');
		expect(keepWindow(windows, '2026-12-01', '08:00-12:00')).toBe('');
		expect(keepWindow(windows, '2026-12-03', '08:00-12:00')).toBe('08:00-12:00');
		// Not read (another day, or nothing loaded): kept, the server decides.
		expect(keepWindow(windows, '2027-01-04', '13:00-17:00')).toBe('13:00-17:00');
		expect(keepWindow(null, '2026-12-02', '08:00-12:00')).toBe('08:00-12:00');
		expect(keepWindow(windows, '2026-12-02', '')).toBe('');
	});
});

describe('a booking refused as full', () => {
	const refused = (errors: unknown[]) =>
		new ApiError('validation', 422, { type: '/problems/validation', title: 'Invalid', status: 422, errors: errors as never });

	it('reads the field and the next window with room', () => {
		const error = refused([
			{ field: 'preferred_window', code: 'window_full', detail: 'full', params: { next_date: '2026-12-03', next_window: '13:00-17:00' } }
		]);
		expect(windowFullOf(error)).toEqual({ field: 'preferred_window', next: { date: '2026-12-03', window: '13:00-17:00' } });
	});

	it('has no next window when the server found none, and is null for other failures', () => {
		expect(windowFullOf(refused([{ field: 'appointment_window', code: 'window_full', detail: 'full' }]))).toEqual({
			field: 'appointment_window',
			next: null
		});
		expect(windowFullOf(refused([{ field: 'appointment_window', code: 'window_past', detail: 'over' }]))).toBeNull();
		expect(windowFullOf(new Error('offline'))).toBeNull();
		expect(windowFullOf(null)).toBeNull();
	});
});

describe('booking words', () => {
	it('names a day without its year, and a window the local way', () => {
		expect(bookingDayName('2026-12-03', 'id')).toBe('Kamis, 3 Des');
		expect(bookingDayName('2026-12-03', 'id', 'short')).toBe('Kam, 3 Des');
		expect(bookingDayName('2026-12-03', 'en')).toBe('Thursday 3 Dec');
		expect(bookingDayName('besok', 'id')).toBe('besok');
		expect(bookingDayParts('2026-12-03', 'id')).toEqual({ weekday: 'Kam', day: '3 Des' });
		expect(bookingDayParts('2026-12-03', 'en')).toEqual({ weekday: 'Thu', day: '3 Dec' });
		expect(windowHours('08:00-12:00', 'id')).toBe('08.00–12.00');
		expect(windowHours('13:00-17:00', 'en')).toBe('13:00–17:00');
		expect(windowHours('pagi', 'en')).toBe('pagi');
	});
});

describe('the service area of a place', () => {
	const areas = [
		{ id: 'cbl', center: { lat: -6.8935, lng: 107.6135 }, radius_m: 3000 },
		{ id: 'ckd', center: { lat: -6.8835, lng: 107.6235 }, radius_m: 3000 }
	];

	it('is the area whose centre is nearest among those holding the place, as the server decides', () => {
		expect(areaAt(areas, { lat: -6.8935, lng: 107.6135 })?.id).toBe('cbl');
		expect(areaAt(areas, { lat: -6.884, lng: 107.623 })?.id).toBe('ckd');
	});

	it('is none outside every circle, or without a place', () => {
		expect(areaAt(areas, { lat: -6.2, lng: 106.8 })).toBeNull();
		expect(areaAt(areas, null)).toBeNull();
		expect(areaAt([], { lat: -6.8935, lng: 107.6135 })).toBeNull();
	});
});
