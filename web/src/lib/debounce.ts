/** Calls `fn` once calls have stopped for `ms`; `cancel` drops a pending call, `flush` runs it now. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
	let timer: ReturnType<typeof setTimeout> | null = null;
	let pending: A | null = null;
	const run = () => {
		timer = null;
		const args = pending;
		pending = null;
		if (args) fn(...args);
	};
	const debounced = (...args: A) => {
		pending = args;
		if (timer) clearTimeout(timer);
		timer = setTimeout(run, ms);
	};
	debounced.cancel = () => {
		if (timer) clearTimeout(timer);
		timer = null;
		pending = null;
	};
	debounced.flush = () => {
		if (timer) clearTimeout(timer);
		run();
	};
	return debounced;
}
