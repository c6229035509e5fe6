import { describe, expect, it } from 'vitest';
import type { Odp, OdpPort } from './api/types';
import { freePorts, odpChoices } from './odp-choice';

const odp = (code: string, lat: number, lng: number): Odp => ({
	id: code,
	code,
	name: code,
	odc_id: 'C',
	area_id: 'A',
	location: { lat, lng },
	port_count: 8,
	used_ports: 0,
	free_ports: 8,
	status: 'active'
});

describe('choosing an ODP', () => {
	const near = odp('ODP-B', -6.9, 107.6);
	const far = odp('ODP-A', -6.95, 107.6);

	it('offers the nearest first', () => {
		expect(odpChoices([far, near], null, { lat: -6.9001, lng: 107.6 }).map((c) => c.odp.code)).toEqual(['ODP-B', 'ODP-A']);
		const [first] = odpChoices([far, near], null, { lat: -6.9, lng: 107.6 });
		expect(first?.distance).toBeLessThan(1);
	});

	it('orders by code without a place', () => {
		const choices = odpChoices([near, far], null, null);
		expect(choices.map((c) => c.odp.code)).toEqual(['ODP-A', 'ODP-B']);
		expect(choices.every((c) => c.distance === null)).toBe(true);
	});

	it('keeps the ODP already chosen, once', () => {
		const other = odp('ODP-Z', -7, 107);
		expect(odpChoices([near], other, null).map((c) => c.odp.code)).toEqual(['ODP-B', 'ODP-Z']);
		expect(odpChoices([near], near, null)).toHaveLength(1);
	});
});

describe('choosing a port', () => {
	const ports: OdpPort[] = [
		{ port: 1, in_use: true, customer_id: 'C1' },
		{ port: 2, in_use: false },
		{ port: 3, in_use: true, customer_id: 'C2' }
	];

	it('offers the free ports and the customer’s own', () => {
		expect(freePorts(ports, 'C1').map((p) => p.port)).toEqual([1, 2]);
		expect(freePorts(ports, null).map((p) => p.port)).toEqual([2]);
		expect(freePorts(ports, undefined).map((p) => p.port)).toEqual([2]);
	});
});
