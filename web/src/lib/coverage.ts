/**
 * What a coverage check (`GET /api/v1/coverage`) means for the person who
 * asked: covered (an ODP with a free port within reach), in a service area
 * but with no free port near enough yet, or outside every service area. In
 * both "not yet" cases the server has recorded the request as demand.
 */
import type { Coverage, CoverageOdp } from '$lib/api/types';

export type CoverageState = 'covered' | 'no_free_port' | 'outside';

export interface CoverageSummary {
	state: CoverageState;
	/** The service area's name ("Coblong, Bandung"), when the place is in one. */
	area: string | null;
	/** The nearest usable ODP, when covered. */
	nearest: CoverageOdp | null;
	/** The usable ODPs shown, nearest first (at most `limit`). */
	odps: CoverageOdp[];
	/** The longest drop cable the ISP lays, in metres. */
	maxDropM: number;
	/** When not covered: how far (straight line) the nearest ODP with a free port is, if within 3 km. */
	nearestFreeM: number | null;
}

export function summariseCoverage(coverage: Coverage, limit = 3): CoverageSummary {
	const odps = [...coverage.odps].sort((a, b) => a.distance_m - b.distance_m);
	const area = coverage.area ? `${coverage.area.name}, ${coverage.area.city}` : null;
	const state: CoverageState =
		coverage.covered && odps.length > 0 ? 'covered' : coverage.area ? 'no_free_port' : 'outside';
	return {
		state,
		area,
		nearest: state === 'covered' ? (odps[0] ?? null) : null,
		odps: state === 'covered' ? odps.slice(0, limit) : [],
		maxDropM: coverage.max_drop_m,
		nearestFreeM:
			state !== 'covered' && typeof coverage.nearest_free_odp_m === 'number' && Number.isFinite(coverage.nearest_free_odp_m)
				? coverage.nearest_free_odp_m
				: null
	};
}

/** The sentences a coverage result is told in; supplied by the i18n layer. */
export interface CoverageMessages {
	covered: (p: { area: string }) => string;
	coveredNoArea: () => string;
	noFreePort: (p: { area: string }) => string;
	outside: () => string;
	noted: () => string;
	nearest: (p: { code: string; distance: string; ports: number }) => string;
	/** How far the network is from a place not covered yet. */
	nearby: (p: { distance: string }) => string;
}

export interface CoverageText {
	tone: 'ok' | 'warn';
	title: string;
	detail: string;
	/** Not covered, but the network is this near (null when unknown or over 3 km). */
	nearby: string | null;
}

/** A rough distance reads better rounded: to 10 m, and to 50 m from 500 m on. */
export function roughMetres(metres: number): number {
	const step = metres >= 500 ? 50 : 10;
	return Math.max(step, Math.round(metres / step) * step);
}

/** The headline and supporting sentence for a coverage result. */
export function coverageText(
	summary: CoverageSummary,
	messages: CoverageMessages,
	distance: (metres: number) => string
): CoverageText {
	if (summary.state === 'covered') {
		const title = summary.area ? messages.covered({ area: summary.area }) : messages.coveredNoArea();
		const nearest = summary.nearest;
		return {
			tone: 'ok',
			title,
			detail: nearest
				? messages.nearest({
						code: nearest.code,
						distance: distance(nearest.distance_m),
						ports: nearest.free_ports
					})
				: '',
			nearby: null
		};
	}
	return {
		tone: 'warn',
		title:
			summary.state === 'no_free_port' && summary.area
				? messages.noFreePort({ area: summary.area })
				: messages.outside(),
		detail: messages.noted(),
		nearby: summary.nearestFreeM === null ? null : messages.nearby({ distance: distance(roughMetres(summary.nearestFreeM)) })
	};
}
