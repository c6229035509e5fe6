import { describe, expect, it } from 'vitest';
import type { Coverage } from '$lib/api/types';
import { coverageText, roughMetres, summariseCoverage, type CoverageMessages } from './coverage';

const area = {
	id: 'a1',
	code: 'BDG-CBL',
	name: 'Coblong',
	city: 'Bandung',
	center: { lat: -6.89, lng: 107.61 },
	radius_m: 1800
};
const odp = (code: string, distance_m: number, free_ports = 3) => ({
	id: code,
	code,
	name: code,
	location: { lat: -6.89, lng: 107.61 },
	distance_m,
	cable_m: distance_m * 1.3,
	free_ports
});
const base: Coverage = { location: { lat: -6.89, lng: 107.61 }, covered: false, area: null, odps: [], max_drop_m: 250, road_factor: 1.3 };

const messages: CoverageMessages = {
	covered: ({ area }) => `covered in ${area}`,
	coveredNoArea: () => 'covered',
	noFreePort: ({ area }) => `no free port yet in ${area}`,
	outside: () => 'not covered yet',
	noted: () => 'we noted your request',
	nearest: ({ code, distance, ports }) => `${code} at ${distance}, ${ports} free`,
	nearby: ({ distance }) => `network about ${distance} away`
};
const metres = (m: number) => `${Math.round(m)} m`;

describe('coverage result', () => {
	it('covered: names the area and the nearest ODP first', () => {
		const summary = summariseCoverage({
			...base,
			covered: true,
			area,
			odps: [odp('ODP-2', 120.4), odp('ODP-1', 40.2, 5), odp('ODP-3', 200), odp('ODP-4', 240)]
		});
		expect(summary.state).toBe('covered');
		expect(summary.odps.map((o) => o.code)).toEqual(['ODP-1', 'ODP-2', 'ODP-3']);
		expect(coverageText(summary, messages, metres)).toEqual({
			tone: 'ok',
			title: 'covered in Coblong, Bandung',
			detail: 'ODP-1 at 40 m, 5 free',
			nearby: null
		});
	});

	it('in an area without a free port in reach: not yet, and noted as demand', () => {
		const summary = summariseCoverage({ ...base, covered: false, area, odps: [] });
		expect(summary.state).toBe('no_free_port');
		expect(summary.nearest).toBeNull();
		expect(coverageText(summary, messages, metres)).toEqual({
			tone: 'warn',
			title: 'no free port yet in Coblong, Bandung',
			detail: 'we noted your request',
			nearby: null
		});
	});

	it('outside every area: not covered yet, noted', () => {
		const text = coverageText(summariseCoverage(base), messages, metres);
		expect(text).toEqual({ tone: 'warn', title: 'not covered yet', detail: 'we noted your request', nearby: null });
	});

	it('never calls a place covered without an ODP to connect it from', () => {
		expect(summariseCoverage({ ...base, covered: true, area, odps: [] }).state).toBe('no_free_port');
		expect(summariseCoverage({ ...base, covered: true, odps: [odp('X', 10)] }).state).toBe('covered');
		expect(coverageText(summariseCoverage({ ...base, covered: true, odps: [odp('X', 10)] }), messages, metres).title).toBe('covered');
	});

	it('says how near the network is when a free ODP is within 3 km, roughly', () => {
		const near = summariseCoverage({ ...base, area, nearest_free_odp_m: 447 });
		expect(near.state).toBe('no_free_port');
		expect(near.nearestFreeM).toBe(447);
		expect(coverageText(near, messages, metres).nearby).toBe('network about 450 m away');
		const outside = summariseCoverage({ ...base, nearest_free_odp_m: 1234 });
		expect(coverageText(outside, messages, metres)).toMatchObject({ title: 'not covered yet', nearby: 'network about 1250 m away' });
		expect(coverageText(summariseCoverage({ ...base, nearest_free_odp_m: null }), messages, metres).nearby).toBeNull();
		// A covered place needs no "how far".
		const covered = summariseCoverage({ ...base, covered: true, odps: [odp('X', 10)], nearest_free_odp_m: 10 });
		expect(coverageText(covered, messages, metres).nearby).toBeNull();
		expect(roughMetres(3)).toBe(10);
		expect(roughMetres(2049)).toBe(2050);
	});
});
