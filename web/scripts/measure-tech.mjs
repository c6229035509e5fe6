// How fast the technician app (/tech) opens on a mid-range Android phone.
//
//   NETCREW_BIN=/path/to/netcrew node scripts/measure-tech.mjs [--runs 5] [--jobs 3] [--out FILE]
//
// A measurement, not a test: it prints figures and fails only when it cannot
// measure (or when the offline start does not show the jobs).
//
// What it does:
// - starts `$NETCREW_BIN demo --port PORT --data-dir TMP` on a free port (it
//   serves web/build: run `npm run build` first) and always stops it and
//   removes the temporary directory;
// - has customer service open `--jobs` repairs (3 by default) in the demo
//   technician's area and assign them to the technician, so that the list
//   has cards to show (the demo technician starts with none open);
// - signs the demo technician in once through the form at /login, without
//   throttling, and keeps the session (Playwright's storageState: cookies and
//   localStorage, no IndexedDB, no service worker);
// - emulates a phone in headless Chromium (CHROMIUM_PATH, default
//   /usr/bin/chromium): 412x915 CSS px at devicePixelRatio 2.625, touch,
//   mobile, a Chrome-on-Android user agent, CPU slowed 4x (CDP
//   Emulation.setCPUThrottlingRate) and Lighthouse's mobile network figures
//   (CDP Network.emulateNetworkConditions): 150 ms added latency per request,
//   1.6 Mbit/s down (200,000 B/s), 750 kbit/s up (93,750 B/s). DevTools
//   throttles per request, which is milder than Lighthouse's packet-level
//   simulation: compare these figures with each other, not with Lighthouse's.
//
// Each run (5 by default; the table gives the median and min-max) measures,
// as the time from navigation start (the page's performance.now()) to the
// first animation frame after the job list is in the document
// ([data-testid="tech-jobs"] holding a [data-testid="tech-job"] or
// [data-testid="tech-jobs-empty"]):
//   baseline  the first load in a fresh context with the session, no throttling;
//   (a) first  the same first load, throttled: nothing cached, no service worker;
//   (b) cached the same context once the service worker has kept the shell
//              and controls the page (navigator.serviceWorker.ready, a reload),
//              then /tech opened again, throttled;
//   (c) offline the same context offline (context.setOffline(true)), reloaded:
//              the shell from the service worker, the jobs from IndexedDB.
// "first / baseline" (the ratio of the medians) makes the throttled figure
// comparable across machines.
//
// Caveat: the throttling is set on the page's DevTools session, so what the
// service worker itself fetches (the page's HTML in (b), network first; the
// shell it keeps while installing) is not throttled. The page's own requests
// (scripts not yet kept, the API) are.
//
// It also reports the JavaScript the build ships (every .js under
// build/_app/immutable, raw and gzip -9 sizes from the files on disk) and the
// JavaScript a cold /tech load actually asks for (the responses of type
// "script" during (a), sized from the same files).
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = path.resolve(webDir, '..');
const buildDir = path.join(webDir, 'build');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STARTUP_TIMEOUT_MS = 120_000;
/** How long one load may take before it counts as failed. */
const LOAD_TIMEOUT_MS = 60_000;

const PHONE = {
	viewport: { width: 412, height: 915 },
	deviceScaleFactor: 2.625,
	isMobile: true,
	hasTouch: true,
	locale: 'id-ID',
	timezoneId: 'Asia/Jakarta'
};
const CPU_SLOWDOWN = 4;
const NETWORK = {
	offline: false,
	latency: 150, // ms added to each request
	downloadThroughput: 1_600_000 / 8, // bytes/s
	uploadThroughput: 750_000 / 8 // bytes/s
};
const JOBS_SHOWN = '[data-testid="tech-jobs"] :is([data-testid="tech-job"], [data-testid="tech-jobs-empty"])';

const { values: options } = parseArgs({
	options: {
		runs: { type: 'string', default: '5' },
		jobs: { type: 'string', default: '3' },
		out: { type: 'string' }
	}
});
const RUNS = Number(options.runs);
const JOBS = Number(options.jobs);

function fail(message) {
	console.error(`\nmeasure-tech: ${message}\n`);
	process.exit(1);
}

const bin = process.env.NETCREW_BIN;
if (!bin) fail('NETCREW_BIN is not set (e.g. NETCREW_BIN=$PWD/../target/debug/netcrew).');
try {
	accessSync(bin, constants.X_OK);
} catch {
	fail(`NETCREW_BIN=${bin} is not an executable file.`);
}
if (!existsSync(path.join(buildDir, 'index.html'))) fail('web/build/index.html is missing: run `npm run build` first.');
if (!existsSync(chromiumPath)) fail(`Chromium not found at ${chromiumPath} (set CHROMIUM_PATH).`);
if (!Number.isInteger(RUNS) || RUNS < 1) fail(`--runs must be a positive whole number, not ${options.runs}.`);
if (!Number.isInteger(JOBS) || JOBS < 0) fail(`--jobs must be a whole number, not ${options.jobs}.`);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks the OS for a free TCP port. */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

// ---------------------------------------------------------------- sizes on disk

const gzipCache = new Map();
/** Raw and gzip -9 size of a file of the build. */
function sizes(file) {
	if (!gzipCache.has(file)) {
		const bytes = readFileSync(file);
		gzipCache.set(file, { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
	}
	return gzipCache.get(file);
}

async function* walk(dir) {
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* walk(full);
		else yield full;
	}
}

async function shippedJs() {
	let files = 0;
	let raw = 0;
	let gzip = 0;
	for await (const file of walk(path.join(buildDir, '_app', 'immutable'))) {
		if (!file.endsWith('.js')) continue;
		const size = sizes(file);
		files += 1;
		raw += size.raw;
		gzip += size.gzip;
	}
	return { files, raw, gzip };
}

/** The scripts a load asked for, sized from the build's files. */
function requestedJs(urls) {
	let raw = 0;
	let gzip = 0;
	const missing = [];
	for (const url of urls) {
		const file = path.join(buildDir, decodeURIComponent(new URL(url).pathname));
		if (!file.startsWith(buildDir) || !existsSync(file)) {
			missing.push(url);
			continue;
		}
		const size = sizes(file);
		raw += size.raw;
		gzip += size.gzip;
	}
	return { files: urls.length, raw, gzip, missing };
}

// ---------------------------------------------------------------- statistics

function summary(values) {
	const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
	if (sorted.length === 0) return { median: null, min: null, max: null, n: 0 };
	const mid = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

const ms = (v) => (v == null ? '—' : `${Math.round(v)}`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

// ---------------------------------------------------------------- the browser side

/**
 * Runs in every document of a measured context: notes performance.now() at
 * the first animation frame after the job list (or its empty state) is in
 * the document, in window.__jobsShownAt.
 */
function watchJobs(selector) {
	const found = () => {
		if (!document.querySelector(selector)) return false;
		observer.disconnect();
		requestAnimationFrame(() => {
			window.__jobsShownAt = performance.now();
		});
		return true;
	};
	const observer = new MutationObserver(() => found());
	observer.observe(document, { childList: true, subtree: true });
}

/** Waits for the job list of the page's current document; the time from navigation start, or an error. */
async function jobsShown(page) {
	const handle = await page.waitForFunction(() => window.__jobsShownAt, null, { timeout: LOAD_TIMEOUT_MS, polling: 100 });
	return Math.round((await handle.jsonValue()) * 10) / 10;
}

/** Signs in through the API; a fetch that carries the session and its CSRF token, answering { status, body }. */
async function apiSession(baseUrl, { login, password }) {
	const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ login, password })
	});
	if (response.status !== 200) throw new Error(`API sign-in as ${login}: HTTP ${response.status}`);
	const me = await response.json();
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	return async (pathAndQuery, init = {}) => {
		const answer = await fetch(`${baseUrl}${pathAndQuery}`, {
			...init,
			headers: { cookie, 'x-csrf-token': me.csrf_token, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers }
		});
		const text = await answer.text();
		return { status: answer.status, body: text ? JSON.parse(text) : null };
	};
}

/** Customer service opens `count` repairs for customers in the technician's area and assigns them to the technician. */
async function assignJobs(baseUrl, accounts, count) {
	if (count === 0) return;
	const byRole = (role) => {
		const found = accounts.find((a) => a.role === role);
		if (!found) throw new Error(`demo-accounts.json has no ${role}`);
		return found;
	};
	const techMe = (await (await apiSession(baseUrl, byRole('technician')))('/api/v1/me')).body;
	const cs = await apiSession(baseUrl, byRole('cs'));
	const customers = (await cs(`/api/v1/customers?area_id=${techMe.area_ids[0]}&status=active&limit=${count}`)).body.items;
	if (customers.length < count) throw new Error(`only ${customers.length} active customers in the technician's area`);
	for (const customer of customers) {
		const made = await cs('/api/v1/tickets', {
			method: 'POST',
			body: JSON.stringify({ kind: 'repair', customer_id: customer.id, description: 'Internet putus, lampu LOS merah.', source: 'phone' })
		});
		if (made.status !== 201) throw new Error(`opening a repair: HTTP ${made.status} ${JSON.stringify(made.body)}`);
		const current = await cs(`/api/v1/tickets/${made.body.id}`);
		const assigned = await cs(`/api/v1/tickets/${made.body.id}/transitions`, {
			method: 'POST',
			headers: { 'if-match': `"${current.body.version}"` },
			body: JSON.stringify({ to: 'assigned', technician_id: techMe.id })
		});
		if (assigned.status !== 200) throw new Error(`assigning a repair: HTTP ${assigned.status} ${JSON.stringify(assigned.body)}`);
	}
}

async function throttle(cdp) {
	await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
	await cdp.send('Network.enable');
	await cdp.send('Network.emulateNetworkConditions', NETWORK);
}

async function main() {
	const tempDir = await mkdtemp(path.join(tmpdir(), 'netcrew-measure-'));
	const logPath = path.join(tempDir, 'server.log');
	const dataDir = path.join(tempDir, 'data');
	await mkdir(dataDir);
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const log = await open(logPath, 'w');
	const exit = { done: false };
	const server = spawn(bin, ['demo', '--port', String(port), '--data-dir', dataDir], { cwd: repoDir, stdio: ['ignore', log.fd, log.fd] });
	server.on('exit', (code, signal) => Object.assign(exit, { done: true, code, signal }));
	await log.close();
	let browser;
	let ok = false;
	try {
		// The server is up.
		const deadline = Date.now() + STARTUP_TIMEOUT_MS;
		for (;;) {
			if (exit.done) throw new Error(`netcrew exited during startup (code ${exit.code}, signal ${exit.signal})`);
			const status = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
			if (status === 200) break;
			if (Date.now() > deadline) throw new Error('/healthz did not answer 200 in time');
			await sleep(250);
		}
		const accounts = JSON.parse(await readFile(path.join(dataDir, 'demo-accounts.json'), 'utf8'));
		const technician = accounts.find((a) => a.role === 'technician');
		if (!technician) throw new Error('demo-accounts.json has no technician');
		await assignJobs(baseUrl, accounts, JOBS);
		const loginSubmit = JSON.parse(readFileSync(path.join(webDir, 'src/lib/i18n/id.json'), 'utf8')).login_submit;

		browser = await chromium.launch({
			executablePath: chromiumPath,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		});
		const chromeVersion = browser.version();
		const phone = {
			...PHONE,
			userAgent: `Mozilla/5.0 (Linux; Android 14; Pixel 7a) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromeVersion} Mobile Safari/537.36`
		};

		// Signed in once, without throttling; every measured context starts from this session.
		const signInContext = await browser.newContext(phone);
		const signInPage = await signInContext.newPage();
		await signInPage.goto(`${baseUrl}/login`);
		await signInPage.locator('#login').fill(technician.login);
		await signInPage.locator('#password').fill(technician.password);
		await signInPage.getByRole('button', { name: loginSubmit, exact: true }).click();
		await signInPage.waitForURL((url) => url.pathname === '/tech');
		const storageState = await signInContext.storageState();
		await signInContext.close();

		async function measuredContext() {
			const context = await browser.newContext({ ...phone, storageState });
			await context.addInitScript(watchJobs, JOBS_SHOWN);
			const page = await context.newPage();
			return { context, page };
		}

		const runs = [];
		let scripts = null;
		/** How many job cards the technician's list showed (the first throttled load of run 1). */
		let jobCards = null;
		for (let run = 1; run <= RUNS; run++) {
			const result = { run, baseline: null, first: null, cached: null, offline: null, errors: [] };
			runs.push(result);
			const step = async (name, fn) => {
				try {
					result[name] = await fn();
				} catch (error) {
					result.errors.push(`${name}: ${String(error?.message ?? error).split('\n')[0]}`);
				}
			};

			// Baseline: the first load without any throttling.
			{
				const { context, page } = await measuredContext();
				await step('baseline', async () => {
					await page.goto(`${baseUrl}/tech`);
					return jobsShown(page);
				});
				await context.close();
			}

			const { context, page } = await measuredContext();
			try {
				const cdp = await context.newCDPSession(page);
				await throttle(cdp);
				const scriptUrls = new Set();
				const onResponse = (response) => {
					if (response.request().resourceType() === 'script') scriptUrls.add(response.url());
				};
				page.on('response', onResponse);

				// (a) First load: nothing cached, no service worker.
				await step('first', async () => {
					await page.goto(`${baseUrl}/tech`);
					return jobsShown(page);
				});
				page.off('response', onResponse);
				const cardsOnline = await page.locator('[data-testid="tech-job"]').count();
				if (run === 1) {
					scripts = requestedJs([...scriptUrls]);
					jobCards = cardsOnline;
				}

				// (b) Cached start: the service worker keeps the shell and controls the page.
				await step('cached', async () => {
					await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
					await page.reload();
					await jobsShown(page);
					const controlled = await page.evaluate(() => !!navigator.serviceWorker.controller);
					if (!controlled) throw new Error('the service worker does not control the page after a reload');
					await page.goto(`${baseUrl}/tech`);
					return jobsShown(page);
				});

				// (c) Offline start: the kept shell and the jobs kept in IndexedDB.
				await step('offline', async () => {
					await context.setOffline(true);
					await page.reload();
					const at = await jobsShown(page);
					const cardsOffline = await page.locator('[data-testid="tech-job"]').count();
					if (cardsOffline !== cardsOnline) throw new Error(`offline the list showed ${cardsOffline} job cards, online ${cardsOnline}`);
					return at;
				});
			} finally {
				await context.close();
			}
			const line = ['baseline', 'first', 'cached', 'offline'].map((k) => `${k} ${ms(result[k])}`).join(', ');
			console.error(`run ${run}/${RUNS}: ${line} ms${result.errors.length ? ` — FAILED ${result.errors.join('; ')}` : ''}`);
		}

		// ------------------------------------------------------------ report
		const stats = Object.fromEntries(['baseline', 'first', 'cached', 'offline'].map((k) => [k, summary(runs.map((r) => r[k]))]));
		const ratio = stats.first.median && stats.baseline.median ? stats.first.median / stats.baseline.median : null;
		const shipped = await shippedJs();
		const report = {
			measured_at: new Date().toISOString(),
			chromium: chromeVersion,
			runs: RUNS,
			phone: { ...phone, cpu_slowdown: CPU_SLOWDOWN, network: NETWORK },
			load_ms: stats,
			first_to_baseline_ratio: ratio,
			job_cards_shown: jobCards,
			js_shipped: shipped,
			js_cold_tech_load: scripts,
			per_run: runs
		};

		const label = {
			baseline: 'baseline: first load, no throttling',
			first: '(a) first load, throttled, cold',
			cached: '(b) cached start (service worker)',
			offline: '(c) offline start'
		};
		const rows = Object.entries(stats).map(([k, s]) => [label[k], ms(s.median), `${ms(s.min)}–${ms(s.max)}`, `${s.n}/${RUNS}`]);
		const head = ['/tech until the job list shows', 'median ms', 'min–max ms', 'ok'];
		const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
		const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
		console.log(`\nTechnician app, ${PHONE.viewport.width}x${PHONE.viewport.height} @${PHONE.deviceScaleFactor}x, CPU ${CPU_SLOWDOWN}x slower, ` + `${NETWORK.latency} ms + ${(NETWORK.downloadThroughput * 8) / 1e6} Mbit/s down / ${(NETWORK.uploadThroughput * 8) / 1e3} kbit/s up, Chromium ${chromeVersion}, ${RUNS} runs\n`);
		console.log(fmt(head));
		console.log(widths.map((w) => '-'.repeat(w)).join('  '));
		for (const row of rows) console.log(fmt(row));
		console.log(`\nfirst / baseline (medians): ${ratio == null ? '—' : ratio.toFixed(2)}; job cards in the list: ${jobCards ?? '—'}`);
		console.log(`JS shipped (build/_app/immutable/**/*.js): ${shipped.files} files, ${kb(shipped.raw)} raw, ${kb(shipped.gzip)} gzip -9`);
		if (scripts) {
			console.log(`JS asked for by a cold /tech load:         ${scripts.files} files, ${kb(scripts.raw)} raw, ${kb(scripts.gzip)} gzip -9` + (scripts.missing.length ? ` (${scripts.missing.length} not found in build/)` : ''));
		}
		const failures = runs.flatMap((r) => r.errors.map((e) => `run ${r.run}: ${e}`));
		if (failures.length) console.log(`\nFAILED:\n  ${failures.join('\n  ')}`);
		if (options.out) {
			await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
			console.log(`\nJSON written to ${options.out}`);
		}
		ok = failures.length === 0;
	} catch (error) {
		console.error(`\nmeasure-tech: ${error?.stack ?? error}`);
		const serverLog = await readFile(logPath, 'utf8').catch(() => '(no log)');
		console.error(`\n----- netcrew server log -----\n${serverLog.slice(-5000)}\n----- end of server log -----`);
	} finally {
		await browser?.close().catch(() => {});
		if (!exit.done) {
			const exited = new Promise((resolve) => server.once('exit', resolve));
			server.kill('SIGTERM');
			const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
		await rm(tempDir, { recursive: true, force: true });
	}
	process.exitCode = ok ? 0 : 1;
}

await main();
