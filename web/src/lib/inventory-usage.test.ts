import { describe, expect, it } from 'vitest';
import { checkPeriod, groupUsage, lastTwelveMonths, monthName, usageTotal } from './inventory-usage';

const line = (group: string, label: string, code: string, quantity: number, value: number) => ({
	group,
	label,
	item_id: `id-${code}`,
	item_code: code,
	item_name: `Item ${code}`,
	unit: 'pcs',
	quantity,
	value
});

describe('the usage report', () => {
	it('starts with the last twelve months: from the first of the month eleven months back to today', () => {
		expect(lastTwelveMonths('2026-11-28')).toEqual({ from: '2025-12-01', to: '2026-11-28' });
		expect(lastTwelveMonths('2026-01-31')).toEqual({ from: '2025-02-01', to: '2026-01-31' });
		expect(lastTwelveMonths('2026-12-01')).toEqual({ from: '2026-01-01', to: '2026-12-01' });
	});

	it('checks a period as the server does: real days, the end not before the start, at most two years', () => {
		expect(checkPeriod('2025-12-01', '2026-11-28')).toEqual({});
		expect(checkPeriod('2026-11-28', '2026-11-28')).toEqual({});
		expect(checkPeriod('2026-02-30', '2026-03-01')).toEqual({ from: 'date_format' });
		expect(checkPeriod('', 'kemarin')).toEqual({ from: 'date_format', to: 'date_format' });
		expect(checkPeriod('2026-11-28', '2026-11-27')).toEqual({ to: 'order' });
		expect(checkPeriod('2024-01-01', '2026-01-01')).toEqual({});
		expect(checkPeriod('2024-01-01', '2026-01-02')).toEqual({ to: 'range' });
	});

	it('groups lines in the server order, each group with its subtotal, and sums the whole', () => {
		const lines = [
			line('2026-10', '2026-10', 'DC-1C', 300, 750000),
			line('2026-10', '2026-10', 'ONT-F670L', 2, 700000),
			line('2026-11', '2026-11', 'DC-1C', 100, 250000)
		];
		const groups = groupUsage(lines);
		expect(groups.map((g) => [g.group, g.lines.map((l) => l.item_code), g.value])).toEqual([
			['2026-10', ['DC-1C', 'ONT-F670L'], 1450000],
			['2026-11', ['DC-1C'], 250000]
		]);
		expect(usageTotal(lines)).toBe(1700000);
		expect(groupUsage([])).toEqual([]);
	});

	it('keeps a group together even when its lines are apart, under its first label', () => {
		const groups = groupUsage([line('t1', 'Budi', 'A', 1, 10), line('t2', 'Citra', 'A', 1, 20), line('t1', 'Budi', 'B', 1, 30)]);
		expect(groups.map((g) => [g.label, g.value])).toEqual([
			['Budi', 40],
			['Citra', 20]
		]);
	});

	it('names a month in the UI language', () => {
		expect(monthName('2026-11', 'id')).toBe('November 2026');
		expect(monthName('2026-08', 'id')).toBe('Agustus 2026');
		expect(monthName('2026-08', 'en')).toBe('August 2026');
		expect(monthName('repair', 'id')).toBe('repair');
	});
});
