// Temporary: screenshots of the dispatch map against a running demo (not part of the repo).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const base = 'http://127.0.0.1:18765';
const accounts = JSON.parse(readFileSync('/tmp/dm/data/demo-accounts.json', 'utf8'));
const acc = (r) => accounts.find((a) => a.role === r);
async function session(role) {
	const { login, password } = acc(role);
	const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
	const me = await r.json();
	const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
	return async (p, init = {}) => {
		const a = await fetch(`${base}${p}`, { ...init, headers: { cookie, 'x-csrf-token': me.csrf_token, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
		const t = await a.text();
		return { status: a.status, body: t ? JSON.parse(t) : null };
	};
}
let today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
{ const d = new Date(`${today}T00:00:00Z`); do d.setUTCDate(d.getUTCDate() + 1); while (d.getUTCDay() !== 1); today = d.toISOString().slice(0, 10); }
const sup = await session('supervisor');
const cs = await session('cs');
const me = (await sup('/api/v1/me')).body;
if (process.env.SETUP) {
	// A few repairs today in the supervisor's areas; assign two to the best technician.
	let made = [];
	for (const areaId of me.area_ids) {
		const found = (await cs(`/api/v1/customers?area_id=${areaId}&status=active&limit=4`)).body.items;
		for (const c of found) {
			const t = await cs('/api/v1/tickets', { method: 'POST', body: JSON.stringify({ kind: 'repair', customer_id: c.id, description: 'Internet putus, LOS merah.', source: 'phone', appointment_date: today, appointment_window: made.length % 2 ? '08:00-12:00' : '13:00-17:00' }) });
			if (t.status === 201) made.push(t.body);
		}
	}
	console.log('made', made.length);
	const first = made[0];
	const ranking = (await sup(`/api/v1/tickets/${first.id}/assignment`)).body;
	const best = ranking.ranked[0]?.technician_id;
	for (const t of made.slice(0, 3)) {
		const full = (await sup(`/api/v1/tickets/${t.id}`)).body;
		const r = await sup(`/api/v1/tickets/${t.id}/assignment`, { method: 'POST', headers: { 'if-match': `"${full.version}"` }, body: JSON.stringify({ technician_id: best, reason: 'Uji peta' }) });
		console.log('assign', r.status, JSON.stringify(r.body).slice(0, 200));
	}
	process.exit(0);
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: process.env.LOC ?? 'id-ID' });
await context.route(/tile\.openstreetmap\.org/, (r) => r.abort());
// Positions put into the board as a phone would have sent them: fresh, old, none.
await context.route(/\/api\/v1\/dispatch\/board/, async (route) => {
	const response = await route.fetch();
	const board = await response.json();
	const now = Date.now();
	board.technicians.forEach((t, i) => {
		const h = t.home ?? { lat: -6.91, lng: 107.61 };
		if (i % 3 === 0) t.position = { lat: h.lat + 0.012, lng: h.lng - 0.01, at: new Date(now - 12 * 60_000).toISOString() };
		else if (i % 3 === 1) t.position = { lat: h.lat - 0.008, lng: h.lng + 0.015, at: new Date(now - 185 * 60_000).toISOString() };
	});
	await route.fulfill({ response, json: board });
});
const page = await context.newPage();
const problems = [];
page.on('pageerror', (e) => problems.push(String(e)));
page.on('console', (m) => m.type() === 'error' && !/tile|ERR_FAILED/.test(m.text()) && problems.push(m.text()));
const { login, password } = acc('supervisor');
await page.goto(`${base}/login`);
await page.locator('#login').fill(login);
await page.locator('#password').fill(password);
await page.locator('#password').press('Enter');
await page.waitForURL((u) => u.pathname === '/console');
await page.goto(`${base}/console/dispatch?map=1&date=${today}`);
await page.getByTestId('dispatch-map').waitFor();
await page.waitForTimeout(1500);
await page.screenshot({ path: '/tmp/dm/1-open.png' });
// Hover the technician with jobs.
const rows = page.getByTestId('dispatch-tech');
const n = await rows.count();
let withJobs = null;
for (let i = 0; i < n; i++) if ((await rows.nth(i).getByTestId('dispatch-job').count()) > 0) { withJobs = rows.nth(i); break; }
if (withJobs) {
	await withJobs.hover();
	await page.waitForTimeout(400);
	await page.screenshot({ path: '/tmp/dm/2-hover.png' });
	await withJobs.getByTestId('dispatch-map-route-toggle').click();
	await page.mouse.move(5, 5);
	await page.waitForTimeout(400);
	await page.screenshot({ path: '/tmp/dm/3-picked.png' });
}
// Click a ticket marker.
const dot = page.locator('[data-testid="dispatch-map"] path.marker-ticket').first();
if (await dot.count()) {
	await dot.click({ force: true });
	await page.waitForTimeout(400);
	await page.screenshot({ path: '/tmp/dm/4-marker.png' });
}
console.log('picked cards', await page.locator('.card-q.picked').count(), 'markers', await page.locator('[data-testid="dispatch-map"] .map-marker').count());
console.log('problems', problems);
await browser.close();
