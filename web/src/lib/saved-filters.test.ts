import { describe, expect, it } from 'vitest';
import { filterQuery, MAX_SAVED, readSaved, withoutSaved, withSaved, writeSaved } from './saved-filters';

function memory(initial: Record<string, string> = {}) {
	const data = { ...initial };
	return {
		data,
		getItem: (k: string) => data[k] ?? null,
		setItem: (k: string, v: string) => {
			data[k] = v;
		}
	};
}

describe('saved filters', () => {
	it('round-trips through storage', () => {
		const store = memory();
		const list = withSaved(withSaved([], 'P1 Coblong', 'priority=urgent'), 'Unassigned', 'unassigned=true');
		expect(writeSaved(store, 'k', list)).toBe(true);
		expect(readSaved(store, 'k')).toEqual(list);
	});

	it('replaces a filter of the same name (any case) in place and drops one by name', () => {
		let list = withSaved([], 'Pagi', 'a=1');
		list = withSaved(list, 'Sore', 'b=2');
		list = withSaved(list, ' pagi ', 'a=3');
		expect(list).toEqual([
			{ name: 'pagi', query: 'a=3' },
			{ name: 'Sore', query: 'b=2' }
		]);
		expect(withoutSaved(list, 'SORE')).toEqual([{ name: 'pagi', query: 'a=3' }]);
		expect(withSaved(list, '   ', 'x=1')).toEqual(list);
	});

	it('keeps at most MAX_SAVED, the newest', () => {
		let list: ReturnType<typeof withSaved> = [];
		for (let i = 0; i < MAX_SAVED + 3; i++) list = withSaved(list, `f${i}`, `q=${i}`);
		expect(list).toHaveLength(MAX_SAVED);
		expect(list[0]?.name).toBe('f3');
	});

	it('reads garbage, blocked storage and missing storage as nothing', () => {
		expect(readSaved(memory({ k: 'not json' }), 'k')).toEqual([]);
		expect(readSaved(memory({ k: '{"a":1}' }), 'k')).toEqual([]);
		expect(readSaved(memory({ k: '[{"name":"ok","query":"a=1"},{"name":5},null,{"name":"OK","query":"b"}]' }), 'k')).toEqual([
			{ name: 'ok', query: 'a=1' }
		]);
		expect(readSaved(null, 'k')).toEqual([]);
		const blocked = {
			getItem: () => {
				throw new Error('SecurityError');
			}
		};
		expect(readSaved(blocked, 'k')).toEqual([]);
		expect(writeSaved({ setItem: () => { throw new Error('QuotaExceeded'); } }, 'k', [])).toBe(false);
	});

	it('writes the same query for the same filters, leaving empty ones out', () => {
		expect(filterQuery({ status: 'new', q: ' TRB ', area_id: '' })).toBe('q=TRB&status=new');
		expect(filterQuery({ q: 'TRB', status: 'new' })).toBe(filterQuery({ status: 'new', q: 'TRB' }));
	});
});
