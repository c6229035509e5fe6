/**
 * The dispatch board's map as plain functions: the queued tickets as dots
 * coloured by their SLA, each technician where their phone last said they
 * were (faded once that is more than two hours old) or, without a position,
 * at their home base, and one technician's day as a route from where the
 * server starts their plan through their planned jobs in order. Nothing
 * here knows Leaflet; `MapView.svelte` draws what these return.
 */
import type { Location } from '$lib/api/types';
import type { MapMarker, MapRoute } from '$lib/map/MapView.svelte';
import { slaStateNow, type PlannedJob, type QueueItem, type TechnicianDay } from './dispatch-board';
import { shortDuration, type DurationWords } from './tickets';

/**
 * A position older than this is drawn faded; it is also the age up to which
 * the server starts a technician's planned day from their position rather
 * than their home base (`position_fresh_minutes`).
 */
export const STALE_AFTER_MINUTES = 120;

/** The queue's SLA states as dots: the same green, amber and red as the cards' edges. */
export const SLA_COLORS: Readonly<Record<string, string>> = {
	on_track: '#16a34a',
	at_risk: '#d97706',
	breached: '#c62828'
};
const UNKNOWN_COLOR = '#6b7a90';
const TECH_COLOR = '#0f1b2d';
const ROUTE_COLOR = '#0a55e6';
const LATE_COLOR = '#c62828';

export function slaColor(state: string): string {
	return SLA_COLORS[state] ?? UNKNOWN_COLOR;
}

/** A place worth drawing: finite, on the globe, and not the 0,0 of a missing value. */
export function isPlace(location: Location | null | undefined): location is Location {
	if (!location) return false;
	const { lat, lng } = location;
	return Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && !(lat === 0 && lng === 0);
}

/** Whole minutes since `at` (never negative); null without a readable time. */
export function minutesSince(at: string | null | undefined, now: number): number | null {
	if (!at) return null;
	const t = Date.parse(at);
	if (Number.isNaN(t)) return null;
	return Math.max(0, Math.floor((now - t) / 60_000));
}

/** Whether a position this old still counts as where the technician is (an unreadable time does not). */
export function isFresh(minutes: number | null): boolean {
	return minutes !== null && minutes <= STALE_AFTER_MINUTES;
}

/** Where a technician is drawn: their last position (stale or not), else their home base, else nowhere. */
export type TechPlace =
	| { kind: 'position'; location: Location; minutes: number | null; stale: boolean }
	| { kind: 'home'; location: Location }
	| { kind: 'none' };

export function techPlace(t: Pick<TechnicianDay, 'position' | 'home'>, now: number): TechPlace {
	if (t.position && isPlace(t.position)) {
		const minutes = minutesSince(t.position.at, now);
		return { kind: 'position', location: { lat: t.position.lat, lng: t.position.lng }, minutes, stale: !isFresh(minutes) };
	}
	if (isPlace(t.home)) return { kind: 'home', location: { lat: t.home.lat, lng: t.home.lng } };
	return { kind: 'none' };
}

/**
 * Where the day's route begins, as the server plans it: a position at most
 * two hours old, else the home base, else nowhere (the route then begins
 * at the first job).
 */
export type RouteStart = { kind: 'position' | 'home'; location: Location };

export function routeStart(t: Pick<TechnicianDay, 'position' | 'home'>, now: number): RouteStart | null {
	const place = techPlace(t, now);
	if (place.kind === 'position' && !place.stale) return { kind: 'position', location: place.location };
	if (isPlace(t.home)) return { kind: 'home', location: { lat: t.home.lat, lng: t.home.lng } };
	return null;
}

export interface RouteStop {
	job: PlannedJob;
	/** 1 for the first job of the day. */
	order: number;
	late: boolean;
}

export interface Route {
	start: RouteStart | null;
	/** The planned jobs in order (those with a place to draw). */
	stops: RouteStop[];
	/** The line: the start, then each stop. */
	points: Location[];
}

export function routeOf(t: Pick<TechnicianDay, 'position' | 'home' | 'jobs'>, now: number): Route {
	const start = routeStart(t, now);
	const stops: RouteStop[] = [];
	t.jobs.forEach((job, i) => {
		if (isPlace(job.location)) stops.push({ job, order: i + 1, late: job.late_minutes >= 1 });
	});
	const points = [...(start ? [start.location] : []), ...stops.map((s) => s.job.location)];
	return { start, stops, points };
}

/** "12 menit lalu", "2 jam 5 menit lalu", "baru saja"; the words come from the app. */
export interface AgeWords extends DurationWords {
	justNow: () => string;
	ago: (time: string) => string;
	unknown: () => string;
}

export function ageText(minutes: number | null, words: AgeWords): string {
	if (minutes === null) return words.unknown();
	if (minutes < 1) return words.justNow();
	return words.ago(shortDuration(minutes, words));
}

/** "Budi Santoso" → "BS", "Agus" → "AG", for a technician's marker. */
export function initials(name: string): string {
	const words = name
		.trim()
		.split(/\s+/)
		.map((w) => [...w].filter((c) => /[\p{L}\p{N}]/u.test(c)))
		.filter((w) => w.length > 0);
	if (words.length === 0) return '?';
	const first = words[0]!;
	const last = words[words.length - 1]!;
	const letters = words.length === 1 ? first.slice(0, 2) : [first[0]!, last[0]!];
	return letters.join('').toUpperCase();
}

// ----------------------------------------------------------------------
// Marker ids: one namespace for the whole map, read back on a click.

export type MarkerTarget =
	| { kind: 'ticket'; id: string }
	| { kind: 'tech'; id: string }
	| { kind: 'stop'; techId: string; ticketId: string }
	| { kind: 'start'; techId: string };

export function markerId(target: MarkerTarget): string {
	switch (target.kind) {
		case 'ticket':
		case 'tech':
			return `${target.kind}:${target.id}`;
		case 'stop':
			return `stop:${target.techId}:${target.ticketId}`;
		case 'start':
			return `start:${target.techId}`;
	}
}

export function readMarkerId(id: string): MarkerTarget | null {
	const [kind, a, b, ...rest] = id.split(':');
	if (!a || rest.length > 0) return null;
	if ((kind === 'ticket' || kind === 'tech') && b === undefined) return { kind, id: a };
	if (kind === 'stop' && b) return { kind, techId: a, ticketId: b };
	if (kind === 'start' && b === undefined) return { kind, techId: a };
	return null;
}

// ----------------------------------------------------------------------
// What the map shows

/** The app's words for the markers' labels and popups. */
export interface MapWords extends AgeWords {
	/** "Titik awal" (a technician drawn at their home base). */
	homeBase: () => string;
	/** The popup line of a position: "Posisi terakhir 12 menit lalu". */
	positionLine: (age: string) => string;
	/** The popup line of a technician without a position. */
	noPosition: () => string;
	/** A technician's day in a few words (shift, load). */
	dayLine: (t: TechnicianDay) => string;
	/** A queued ticket's lines: customer, SLA, due, address. */
	ticketLines: (item: QueueItem, sla: string) => string[];
	/** A planned job's lines: customer, times, late. */
	jobLines: (job: PlannedJob) => string[];
	openTicket: () => string;
	openTechnician: () => string;
}

export interface BoardMapInput {
	/** The queued tickets shown (the queue as filtered). */
	queue: readonly QueueItem[];
	technicians: readonly TechnicianDay[];
	now: number;
	/** The queued ticket picked on the map or in the queue. */
	ticketId?: string | null;
	/** The technician whose route is drawn. */
	techId?: string | null;
}

export interface BoardMap {
	markers: MapMarker[];
	routes: MapRoute[];
	/** Technicians with neither a position nor a home base (not on the map). */
	unplaced: TechnicianDay[];
	/** The route drawn, if any. */
	route: (Route & { tech: TechnicianDay }) | null;
}

export function boardMap(input: BoardMapInput, words: MapWords): BoardMap {
	const { now } = input;
	const markers: MapMarker[] = [];
	const unplaced: TechnicianDay[] = [];

	for (const item of input.queue) {
		if (!isPlace(item.location)) continue;
		const sla = slaStateNow(item, now);
		const picked = item.id === input.ticketId;
		markers.push({
			id: markerId({ kind: 'ticket', id: item.id }),
			location: item.location,
			kind: 'ticket',
			color: slaColor(sla),
			radius: 8,
			title: item.number,
			lines: words.ticketLines(item, sla),
			href: `/console/tickets/${item.id}`,
			hrefLabel: words.openTicket(),
			className: `sla-${sla}`,
			emphasis: picked
		});
	}

	const routeTech = input.techId ? (input.technicians.find((t) => t.id === input.techId) ?? null) : null;
	const route = routeTech ? { ...routeOf(routeTech, now), tech: routeTech } : null;

	for (const t of input.technicians) {
		const place = techPlace(t, now);
		if (place.kind === 'none') {
			unplaced.push(t);
			continue;
		}
		const selected = t.id === routeTech?.id;
		const common = {
			id: markerId({ kind: 'tech', id: t.id }),
			location: place.location,
			badge: initials(t.name),
			title: t.name,
			href: `/console/technicians/${t.id}`,
			hrefLabel: words.openTechnician(),
			emphasis: selected
		};
		if (place.kind === 'position') {
			const age = ageText(place.minutes, words);
			markers.push({
				...common,
				kind: 'tech',
				color: TECH_COLOR,
				label: `${t.name} · ${age}`,
				lines: [words.positionLine(age), words.dayLine(t)],
				className: place.stale ? 'tech-stale' : 'tech-fresh',
				faded: place.stale
			});
		} else {
			markers.push({
				...common,
				kind: 'tech-home',
				color: TECH_COLOR,
				label: `${t.name} · ${words.homeBase()}`,
				lines: [words.noPosition(), words.dayLine(t)],
				className: 'tech-home'
			});
		}
	}

	const routes: MapRoute[] = [];
	if (route) {
		const t = route.tech;
		const drawnAt = techPlace(t, now);
		// The route begins at the home base while the technician is drawn at an old position: mark the start too.
		if (route.start && (drawnAt.kind === 'none' || !samePlace(drawnAt.location, route.start.location))) {
			markers.push({
				id: markerId({ kind: 'start', techId: t.id }),
				location: route.start.location,
				kind: 'start',
				color: '#ffffff',
				badge: '⌂',
				title: `${t.name} · ${words.homeBase()}`,
				className: 'route-start',
				fit: false
			});
		}
		for (const stop of route.stops) {
			markers.push({
				id: markerId({ kind: 'stop', techId: t.id, ticketId: stop.job.ticket_id }),
				location: stop.job.location,
				kind: 'stop',
				color: stop.late ? LATE_COLOR : ROUTE_COLOR,
				badge: String(stop.order),
				title: `${stop.order}. ${stop.job.number}`,
				lines: words.jobLines(stop.job),
				href: `/console/tickets/${stop.job.ticket_id}`,
				hrefLabel: words.openTicket(),
				className: stop.late ? 'stop-late' : 'stop-on-time',
				fit: false
			});
		}
		if (route.points.length >= 2) {
			routes.push({ id: `route:${t.id}`, points: route.points, color: ROUTE_COLOR, title: t.name });
		}
	}

	return { markers, routes, unplaced, route };
}

function samePlace(a: Location, b: Location): boolean {
	return Math.abs(a.lat - b.lat) < 1e-7 && Math.abs(a.lng - b.lng) < 1e-7;
}

/**
 * What, when it changes, makes the map fit itself again: the day, the area,
 * the queue's filters and whether anything is shown at all (live updates
 * move markers without moving the view; new ones outside it still do).
 */
export function fitKey(parts: { date: string; areaId: string; filter: object; shown: number }): string {
	return JSON.stringify([parts.date, parts.areaId, parts.filter, parts.shown > 0]);
}
