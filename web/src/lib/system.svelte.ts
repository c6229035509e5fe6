/** Installation facts other modules need (from `GET /api/v1/system`). */
import { DEFAULT_TIME_ZONE } from './time';

export const installation = $state({ timeZone: DEFAULT_TIME_ZONE });
