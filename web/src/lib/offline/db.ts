/**
 * What the technician app keeps on the phone, in IndexedDB (through `idb`):
 * the reads it made (to open and work without network), the queue of what
 * the technician did and the server has not yet accepted, and a few facts
 * (whose data this is, the server's ids for photos sent).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Queued } from './rules';

/** A read kept as the server answered it. */
export interface KeptRead {
	/** Path and query. */
	url: string;
	status: number;
	contentType: string;
	text: string;
	savedAt: string;
}

interface OfflineSchema extends DBSchema {
	reads: { key: string; value: KeptRead };
	queue: { key: number; value: Queued };
	meta: { key: string; value: unknown };
}

export type OfflineDb = IDBPDatabase<OfflineSchema>;

export const DB_NAME = 'netcrew-tech';

export function openOfflineDb(): Promise<OfflineDb> {
	return openDB<OfflineSchema>(DB_NAME, 1, {
		upgrade(db) {
			db.createObjectStore('reads', { keyPath: 'url' });
			db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
			db.createObjectStore('meta');
		}
	});
}
