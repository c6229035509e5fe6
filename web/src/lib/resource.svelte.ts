/**
 * A value loaded from the API, with the three states every list on screen
 * has: loading, ready (possibly empty) and failed (retryable).
 */
export type ResourceStatus = 'loading' | 'ready' | 'error';

export class Resource<T> {
	status: ResourceStatus = $state('loading');
	data: T | undefined = $state.raw(undefined);
	error: unknown = $state.raw(undefined);

	#load: () => Promise<T>;
	#generation = 0;

	constructor(load: () => Promise<T>) {
		this.#load = load;
	}

	/** (Re)loads; answers of superseded calls are ignored. */
	async load(): Promise<void> {
		const generation = ++this.#generation;
		this.status = 'loading';
		this.error = undefined;
		try {
			const data = await this.#load();
			if (generation !== this.#generation) return;
			this.data = data;
			this.status = 'ready';
		} catch (error) {
			if (generation !== this.#generation) return;
			this.error = error;
			this.status = 'error';
		}
	}
}
