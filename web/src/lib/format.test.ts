import { describe, expect, it } from 'vitest';
import { formatDistance, formatMbps, formatNumber, formatRupiah } from './format';

const NBSP = '\u00a0';

describe('formatRupiah', () => {
	it('writes whole rupiah the Indonesian way', () => {
		expect(formatRupiah(250000)).toBe(`Rp${NBSP}250.000`);
		expect(formatRupiah(1500000)).toBe(`Rp${NBSP}1.500.000`);
		expect(formatRupiah(999)).toBe(`Rp${NBSP}999`);
		expect(formatRupiah(0)).toBe(`Rp${NBSP}0`);
	});

	it('never shows decimals, rounding stray fractions', () => {
		expect(formatRupiah(250000.4)).toBe(`Rp${NBSP}250.000`);
		expect(formatRupiah(249999.5)).toBe(`Rp${NBSP}250.000`);
		expect(formatRupiah(250000)).not.toMatch(/,/);
	});

	it('matches what the browser test looks for', () => {
		expect(formatRupiah(350000)).toMatch(/^Rp\s?\d{1,3}(\.\d{3})+$/);
	});

	it('renders nonsense as a dash rather than "Rp NaN"', () => {
		expect(formatRupiah(Number.NaN)).toBe('—');
		expect(formatRupiah(Number.POSITIVE_INFINITY)).toBe('—');
	});
});

describe('numbers in the UI language', () => {
	it('groups thousands per locale', () => {
		expect(formatNumber(1500, 'id')).toBe('1.500');
		expect(formatNumber(1500, 'en')).toBe('1,500');
	});

	it('formats bandwidth', () => {
		expect(formatMbps(30, 'id')).toBe(`30${NBSP}Mbps`);
		expect(formatMbps(1000, 'id')).toBe(`1.000${NBSP}Mbps`);
		expect(formatMbps(1000, 'en')).toBe(`1,000${NBSP}Mbps`);
	});

	it('formats a radius in m below 1 km and in km above', () => {
		expect(formatDistance(800, 'id')).toBe(`800${NBSP}m`);
		expect(formatDistance(2500, 'id')).toBe(`2,5${NBSP}km`);
		expect(formatDistance(2500, 'en')).toBe(`2.5${NBSP}km`);
		expect(formatDistance(3000, 'en')).toBe(`3${NBSP}km`);
	});
});
