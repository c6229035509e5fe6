/**
 * The ISP's pause reasons (`GET /api/v1/pause-reasons`: names in both
 * languages, whether the SLA clock stops, whether still offered), read once
 * per visit; until they arrive, or if they cannot, the built-in names serve.
 */
import { unwrap, type ApiClient } from './api/client';
import type { PauseReason } from './api/types';
import { PAUSE_REASONS, pauseReasonName } from './i18n/labels';

class PauseReasons {
	list: PauseReason[] | null = $state.raw(null);
	#loading: Promise<void> | null = null;

	load(client: ApiClient): Promise<void> {
		this.#loading ??= unwrap(client.GET('/api/v1/pause-reasons')).then(
			(page) => {
				this.list = page.items;
			},
			() => {
				this.#loading = null;
			}
		);
		return this.#loading;
	}

	/** The reasons offered for a new pause, as codes. */
	offered(): string[] {
		return this.list ? this.list.filter((r) => r.active).map((r) => r.code) : [...PAUSE_REASONS];
	}

	name(code: string, locale: string): string {
		const r = this.list?.find((x) => x.code === code);
		if (r) return (locale === 'en' ? r.name_en : r.name_id) || pauseReasonName(code);
		return pauseReasonName(code);
	}

	stopsClock(code: string): boolean | null {
		return this.list?.find((x) => x.code === code)?.stops_clock ?? null;
	}
}

export const pauseReasons = new PauseReasons();
