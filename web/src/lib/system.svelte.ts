/** Installation facts other modules need (from `GET /api/v1/system`). */
import { DEFAULT_TIME_ZONE } from './time';

export const installation = $state<{ timeZone: string; mapTileUrl: string | undefined }>({
	timeZone: DEFAULT_TIME_ZONE,
	// The server does not send a tile setting (yet); the build may (VITE_MAP_TILE_URL).
	mapTileUrl: undefined
});
