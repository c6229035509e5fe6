/**
 * Map logic without Leaflet: the tile setting, whether the tiles work, and
 * coordinates typed by hand. The map must stay usable when no tile loads
 * (no internet, a blocked tile host): markers and the pin still show on a
 * plain background and places can be typed as latitude/longitude.
 */
import type { Location } from '$lib/api/types';

export const OSM_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors';

export interface TileSetting {
	/** `{z}/{x}/{y}` template, or null for no tiles at all. */
	url: string | null;
	attribution: string;
}

const NO_TILES: TileSetting = { url: null, attribution: '' };

/**
 * The tile source from the server's `map_tile_url` (`GET /api/v1/system`,
 * set with `NETCREW_MAP_TILE_URL`): `null` (or `"none"`, or empty) means maps
 * without tiles; a value that is not an http(s) `{z}/{x}/{y}` template is
 * refused the same way rather than guessed at. Only a server too old to send
 * the setting (`undefined`) gets OpenStreetMap, its default.
 */
export function tileSetting(serverValue: string | null | undefined): TileSetting {
	if (serverValue === undefined) return { url: OSM_TILE_URL, attribution: OSM_ATTRIBUTION };
	const value = serverValue?.trim() ?? '';
	if (!/^https?:\/\/\S+$/i.test(value) || !['{z}', '{x}', '{y}'].every((part) => value.includes(part))) return NO_TILES;
	const host = /^https?:\/\/([^/]+)/i.exec(value)?.[1]?.toLowerCase() ?? '';
	const osm = host === 'openstreetmap.org' || host.endsWith('.openstreetmap.org');
	return { url: value, attribution: osm ? OSM_ATTRIBUTION : '' };
}

export type TileStatus = 'off' | 'loading' | 'ok' | 'failed';

/**
 * Whether the base map works: failed once tiles error and none has loaded,
 * or when nothing loaded before the deadline. One loaded tile is enough to
 * call it working (some failures at the edges are normal).
 */
export function tileStatus(state: {
	enabled: boolean;
	loaded: number;
	failed: number;
	timedOut: boolean;
}): TileStatus {
	if (!state.enabled) return 'off';
	if (state.loaded > 0) return 'ok';
	if (state.failed > 0 || state.timedOut) return 'failed';
	return 'loading';
}

/** A latitude or longitude typed by a person: "-6.9147", "-6,9147", " 107.61 ". Null if unreadable or out of range. */
export function parseCoordinate(text: string, axis: 'lat' | 'lng'): number | null {
	const value = text.trim().replace(',', '.');
	if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value)) return null;
	const n = Number(value);
	const limit = axis === 'lat' ? 90 : 180;
	return Number.isFinite(n) && Math.abs(n) <= limit ? n : null;
}

/** Six decimals (about 10 cm) are plenty for a house. */
export function formatCoordinate(value: number): string {
	return String(Number(value.toFixed(6)));
}

/** Reads a "lat, lng" pair as pasted from a map app: "-6.9147, 107.6098". */
export function parseLatLngPair(text: string): Location | null {
	const parts = text.split(/[\s;]*,\s+|\s*;\s*|\s+/).filter(Boolean);
	if (parts.length !== 2) return null;
	const lat = parseCoordinate(parts[0]!, 'lat');
	const lng = parseCoordinate(parts[1]!, 'lng');
	return lat === null || lng === null ? null : { lat, lng };
}

/** The box around some places, or null for none. */
export function boundsOf(points: readonly Location[]): [[number, number], [number, number]] | null {
	if (points.length === 0) return null;
	let south = Infinity;
	let west = Infinity;
	let north = -Infinity;
	let east = -Infinity;
	for (const p of points) {
		south = Math.min(south, p.lat);
		north = Math.max(north, p.lat);
		west = Math.min(west, p.lng);
		east = Math.max(east, p.lng);
	}
	return [
		[south, west],
		[north, east]
	];
}

/** Straight-line distance in metres (haversine). */
export function distanceM(a: Location, b: Location): number {
	const r = 6_371_000;
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLng = (b.lng - a.lng) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
	return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}
