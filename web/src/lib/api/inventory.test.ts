import { describe, expect, it } from 'vitest';
import { createApiClient } from './client';
import { mergeChoices, saveItem, stockLineKey, stockPage, technicianChoices } from './inventory';

/** A client whose requests are answered by `answer` (path and query → JSON body), recording what was asked. */
function fakeClient(answer: (url: URL, request: Request) => unknown) {
	const asked: Request[] = [];
	const client = createApiClient({
		baseUrl: 'http://netcrew.test',
		fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
			const request = input instanceof Request ? input : new Request(input, init);
			asked.push(request);
			const body = answer(new URL(request.url), request);
			if (body instanceof Response) return body;
			return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
		}
	});
	return { client, asked };
}

const place = (id: string, kind: string, technician_id: string | null = null) => ({ id, kind, name: `Place ${id}`, technician_id, customer_id: null, active: true });
const item = { id: 'i1', code: 'DC-1C', name: 'Kabel drop', kind: 'drop_cable', serial_tracked: false, unit: 'm', unit_cost: 2500, terms: null, active: true, version: 3 };

describe('stock on hand', () => {
	it('pages by offset and keys each line by item and place', async () => {
		const { client, asked } = fakeClient(() => ({
			items: [{ item, location: place('g1', 'warehouse'), quantity: 300, value: 750000, minimum: null, below_minimum: false }],
			next_cursor: '100',
			total: 120,
			total_exact: true
		}));
		const page = await stockPage(client, { location_kind: 'warehouse' }, '50');
		const url = new URL(asked[0]!.url);
		expect(url.pathname).toBe('/api/v1/inventory/stock');
		expect(url.searchParams.get('offset')).toBe('50');
		expect(url.searchParams.get('location_kind')).toBe('warehouse');
		expect(page.items[0]!.id).toBe('i1:g1');
		expect(page.next_cursor).toBe('100');
		await stockPage(client, {}, undefined);
		expect(new URL(asked[1]!.url).searchParams.has('offset')).toBe(false);
		expect(stockLineKey({ item: { id: 'a' }, location: { id: 'b' } } as Parameters<typeof stockLineKey>[0])).toBe('a:b');
	});
});

describe('items', () => {
	it('changes an item with the version read', async () => {
		const { client, asked } = fakeClient(() => ({ ...item, version: 4 }));
		await saveItem(client, item, { name: 'Kabel drop 1 core' });
		expect(asked[0]!.method).toBe('PATCH');
		expect(asked[0]!.headers.get('If-Match')).toBe('"3"');
		await saveItem(client, null, { code: 'X' });
		expect(asked[1]!.method).toBe('POST');
		expect(asked[1]!.headers.get('If-Match')).toBeNull();
	});
});

describe('technicians to give stock to', () => {
	it('are each named once, by name', () => {
		expect(
			mergeChoices([
				{ id: 't2', name: 'Budi' },
				{ id: 't1', name: 'Agus' },
				{ id: 't2', name: 'Budi Santoso' }
			])
		).toEqual([
			{ id: 't1', name: 'Agus' },
			{ id: 't2', name: 'Budi' }
		]);
	});

	it('come from the technician list for the storekeeper, who issues stock to them', async () => {
		const { client, asked } = fakeClient((url) => {
			if (url.pathname === '/api/v1/technicians') return { items: [{ id: 't9', name: 'Zaki' }], total: 1, total_exact: true };
			if (url.pathname === '/api/v1/inventory/locations') return { items: [place('p1', 'technician', 't1')], total: 1, total_exact: true };
			return new Response('{}', { status: 403 });
		});
		const found = await technicianChoices(client, ['inventory.read', 'inventory.manage', 'tickets.read']);
		expect(found.map((t) => t.id)).toEqual(['t1', 't9']);
		expect(asked.map((r) => new URL(r.url).pathname).sort()).toEqual(['/api/v1/inventory/locations', '/api/v1/technicians']);
	});

	it('come from the lists a reader of stock and tickets may read: stock places and the newest tickets', async () => {
		const { client, asked } = fakeClient((url) => {
			if (url.pathname === '/api/v1/inventory/locations') return { items: [place('p1', 'technician', 't1')], total: 1, total_exact: true };
			if (url.pathname === '/api/v1/tickets')
				return { items: [{ technician: { id: 't2', name: 'Budi' }, crew: [{ id: 't3', name: 'Cahya' }] }, { technician: null, crew: [] }], total: 2, total_exact: true };
			return new Response('{}', { status: 403 });
		});
		const found = await technicianChoices(client, ['inventory.read', 'tickets.read']);
		expect(found.map((t) => t.id)).toEqual(['t2', 't3', 't1']);
		expect(asked.map((r) => new URL(r.url).pathname).sort()).toEqual(['/api/v1/inventory/locations', '/api/v1/tickets']);
	});

	it('come from the technician list for a role that may assign, a failing source left out', async () => {
		const { client, asked } = fakeClient((url) => {
			if (url.pathname === '/api/v1/technicians') return { items: [{ id: 't9', name: 'Zaki' }], total: 1, total_exact: true };
			if (url.pathname === '/api/v1/users') return new Response('{}', { status: 500 });
			return { items: [], total: 0, total_exact: true };
		});
		const found = await technicianChoices(client, ['inventory.read', 'tickets.manage', 'users.read', 'tickets.read']);
		expect(found).toEqual([{ id: 't9', name: 'Zaki' }]);
		expect(asked.some((r) => new URL(r.url).pathname === '/api/v1/tickets')).toBe(false);
	});
});
