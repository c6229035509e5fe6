/**
 * The phone's position once, now (for a move or a photo): null when the
 * browser has no geolocation, the technician said no, or no fix came within
 * `timeoutMs` (a permission prompt left open counts too). Never throws.
 */
export interface Located {
	lat: number;
	lng: number;
	accuracy: number | null;
}

export function locateOnce(timeoutMs = 5000, maximumAgeMs = 30_000): Promise<Located | null> {
	const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
	if (!geo) return Promise.resolve(null);
	return new Promise((resolve) => {
		let done = false;
		const finish = (value: Located | null) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			resolve(value);
		};
		const timer = setTimeout(() => finish(null), timeoutMs);
		try {
			geo.getCurrentPosition(
				(p) =>
					finish({
						lat: p.coords.latitude,
						lng: p.coords.longitude,
						accuracy: Number.isFinite(p.coords.accuracy) ? p.coords.accuracy : null
					}),
				() => finish(null),
				{ enableHighAccuracy: true, timeout: timeoutMs, maximumAge: maximumAgeMs }
			);
		} catch {
			finish(null);
		}
	});
}
