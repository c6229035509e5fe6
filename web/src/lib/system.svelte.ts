/** Installation facts other modules need (from `GET /api/v1/system`). */
import { DEFAULT_TIME_ZONE } from './time';

export const installation = $state<{
	timeZone: string;
	/**
	 * The server's `map_tile_url`: a `{z}/{x}/{y}` template, `null` for maps
	 * without tiles, `undefined` when the server did not say (see `tileSetting`).
	 */
	mapTileUrl: string | null | undefined;
	/** True once `/api/v1/system` answered or failed: maps wait for it before choosing tiles. */
	known: boolean;
}>({
	timeZone: DEFAULT_TIME_ZONE,
	mapTileUrl: undefined,
	known: false
});
