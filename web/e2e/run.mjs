// Browser tests against the real `netcrew` binary.
//
//   NETCREW_BIN=/path/to/netcrew npm run test:e2e
//
// Starts `$NETCREW_BIN demo --port PORT --data-dir TMP` on a free port (run
// `npm run build` first: the binary serves web/build), waits for /healthz,
// drives Debian's Chromium with playwright-core, and always stops the server
// and removes the temporary directory. The server log is printed when
// anything fails. Screenshots go to e2e/screenshots/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const webDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = path.resolve(webDir, '..');
const screenshotDir = path.join(webDir, 'e2e', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STARTUP_TIMEOUT_MS = 120_000;

const id = JSON.parse(readFileSync(path.join(webDir, 'src/lib/i18n/id.json'), 'utf8'));
const en = JSON.parse(readFileSync(path.join(webDir, 'src/lib/i18n/en.json'), 'utf8'));

function fail(message) {
	console.error(`\ne2e: ${message}\n`);
	process.exit(1);
}

const bin = process.env.NETCREW_BIN;
if (!bin) {
	fail(
		'NETCREW_BIN is not set. Build the server and point NETCREW_BIN at the binary, e.g.\n' +
			'  NETCREW_BIN=../target/debug/netcrew npm run test:e2e'
	);
}
try {
	accessSync(bin, constants.X_OK);
} catch {
	fail(`NETCREW_BIN=${bin} is not an executable file.`);
}
if (!existsSync(path.join(webDir, 'build', 'index.html'))) {
	fail('web/build/index.html is missing: run `npm run build` first (the binary serves web/build).');
}
if (!existsSync(chromiumPath)) {
	fail(`Chromium not found at ${chromiumPath} (set CHROMIUM_PATH).`);
}

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let tempDir;
let logPath;
let server;
let serverExit;
let baseUrl;
let browser;
let failed = false;

async function printServerLog() {
	if (!logPath) return;
	const log = await readFile(logPath, 'utf8').catch(() => '(no log)');
	console.error(`\n----- netcrew server log (${logPath}) -----\n${log}\n----- end of server log -----\n`);
}

async function waitForHealth() {
	const deadline = Date.now() + STARTUP_TIMEOUT_MS;
	let lastError = 'no answer yet';
	while (Date.now() < deadline) {
		if (serverExit.done) {
			throw new Error(`netcrew exited during startup (code ${serverExit.code}, signal ${serverExit.signal})`);
		}
		try {
			const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
			if (response.status === 200) return;
			lastError = `HTTP ${response.status}`;
		} catch (error) {
			lastError = String(error?.cause?.code ?? error);
		}
		await sleep(250);
	}
	throw new Error(`/healthz did not answer 200 within ${STARTUP_TIMEOUT_MS / 1000} s (last: ${lastError})`);
}

async function stopServer() {
	if (!server || serverExit.done) return;
	const exited = new Promise((resolve) => server.once('exit', resolve));
	server.kill('SIGTERM');
	const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
}

before(async () => {
	tempDir = await mkdtemp(path.join(tmpdir(), 'netcrew-e2e-'));
	logPath = path.join(tempDir, 'server.log');
	await mkdir(screenshotDir, { recursive: true });
	const dataDir = path.join(tempDir, 'data');
	await mkdir(dataDir);
	const port = await freePort();
	baseUrl = `http://127.0.0.1:${port}`;
	const log = await open(logPath, 'w');
	serverExit = { done: false, code: null, signal: null };
	server = spawn(bin, ['demo', '--port', String(port), '--data-dir', dataDir], {
		cwd: repoDir,
		stdio: ['ignore', log.fd, log.fd],
	});
	server.on('exit', (code, signal) => Object.assign(serverExit, { done: true, code, signal }));
	await log.close();
	try {
		await waitForHealth();
		browser = await chromium.launch({
			executablePath: chromiumPath,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		});
	} catch (error) {
		failed = true;
		throw error;
	}
});

after(async () => {
	await browser?.close().catch(() => {});
	await stopServer();
	if (failed) await printServerLog();
	if (tempDir) await rm(tempDir, { recursive: true, force: true });
});

/** A test whose failure also prints the server log. */
function check(name, fn) {
	test(name, async (t) => {
		try {
			await fn(t);
		} catch (error) {
			failed = true;
			throw error;
		}
	});
}

/**
 * A fresh browser context (empty localStorage). Uncaught page errors and
 * console errors (e.g. a CSP violation) fail the test.
 */
async function newPage(viewport = { width: 1366, height: 768 }) {
	const context = await browser.newContext({ viewport, locale: 'en-US' });
	const page = await context.newPage();
	const problems = [];
	page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
	});
	return {
		page,
		problems,
		/** Console errors other than the expected ones. */
		assertNoProblems(allowed = []) {
			const unexpected = problems.filter((p) => !allowed.some((re) => re.test(p)));
			assert.deepEqual(unexpected, [], 'the page logged errors');
		},
		close: () => context.close()
	};
}

async function screenshot(page, name) {
	await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

async function getJson(pathAndQuery) {
	const response = await fetch(`${baseUrl}${pathAndQuery}`);
	assert.equal(response.status, 200, `GET ${pathAndQuery}`);
	return response.json();
}

const PRICE = /Rp\s?\d{1,3}(\.\d{3})+/;

describe('NetCrew web app on the real server', () => {
	check('portal loads in Indonesian, shows real packages and areas, and switches to English persistently', async () => {
		const api = await getJson('/api/v1/packages?active=true&limit=100');
		assert.ok(api.items.length > 0, 'the demo data set has active packages');
		const areas = await getJson('/api/v1/areas?limit=100');
		const system = await getJson('/api/v1/system');

		const { page, assertNoProblems, close } = await newPage();
		await page.goto(`${baseUrl}/`);
		assert.equal(await page.getAttribute('html', 'lang'), 'id');
		await page.getByRole('heading', { level: 1, name: id.hero_title }).waitFor();

		const cards = page.getByTestId('package');
		await cards.first().waitFor();
		assert.equal(await cards.count(), api.items.length);
		const prices = await page.getByTestId('package-price').allTextContents();
		for (const price of prices) assert.match(price, PRICE);
		for (const pkg of api.items) {
			await page.getByTestId('package').filter({ hasText: pkg.name }).first().waitFor();
		}

		if (areas.items.length > 0) {
			await page.getByTestId('area').first().waitFor();
			assert.equal(await page.getByTestId('area').count(), areas.items.length);
			await page.getByTestId('area-list').getByText(areas.items[0].name, { exact: true }).first().waitFor();
			await page.getByTestId('area-list').getByText(areas.items[0].city, { exact: true }).first().waitFor();
		} else {
			await page.getByTestId('areas-empty').waitFor();
		}

		const status = page.getByTestId('server-status');
		await status.filter({ hasText: system.version }).waitFor();
		await screenshot(page, 'portal-desktop-id');

		await page.locator('button[data-locale="en"]').click();
		await page.getByRole('heading', { level: 1, name: en.hero_title }).waitFor();
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		assert.equal(await page.locator('button[data-locale="en"]').getAttribute('aria-pressed'), 'true');
		await page.getByRole('heading', { level: 2, name: en.packages_title }).waitFor();
		// Prices stay Indonesian rupiah whatever the UI language.
		for (const price of await page.getByTestId('package-price').allTextContents()) assert.match(price, PRICE);

		await page.reload();
		await page.getByRole('heading', { level: 1, name: en.hero_title }).waitFor();
		assert.equal(await page.getAttribute('html', 'lang'), 'en');
		await page.getByTestId('package').first().waitFor();
		await screenshot(page, 'portal-desktop-en');

		await page.locator('button[data-locale="id"]').click();
		await page.getByRole('heading', { level: 1, name: id.hero_title }).waitFor();
		assert.equal(await page.getAttribute('html', 'lang'), 'id');
		assertNoProblems();
		await close();
	});

	check('portal shows an error with a working retry when the API fails', async () => {
		const { page, assertNoProblems, close } = await newPage();
		let failures = 0;
		// Only the browser's request is intercepted; the retry reaches the real server.
		await page.route('**/api/v1/packages*', async (route) => {
			if (failures++ === 0) {
				await route.fulfill({
					status: 503,
					contentType: 'application/problem+json',
					body: JSON.stringify({
						type: '/problems/unavailable',
						title: 'Service Unavailable',
						status: 503,
						detail: 'Database is restarting'
					})
				});
			} else {
				await route.continue();
			}
		});
		await page.goto(`${baseUrl}/`);
		const panel = page.getByTestId('error-panel');
		await panel.waitFor();
		await panel.getByText(id.packages_error).waitFor();
		await panel.getByText(id.error_server).waitFor();
		await panel.getByText('Database is restarting').waitFor();
		await screenshot(page, 'portal-error-id');
		await panel.getByRole('button', { name: id.retry }).click();
		await page.getByTestId('package').first().waitFor();
		assert.equal(await page.getByTestId('error-panel').count(), 0);
		// The browser logs the intercepted 503 itself.
		assertNoProblems([/status of 503/]);
		await close();
	});

	check('phone viewport 390x844 has no horizontal scroll on any surface', async () => {
		const { page, assertNoProblems, close } = await newPage({ width: 390, height: 844 });
		for (const [route, ready, name] of [
			['/', 'package', 'portal-phone-id'],
			['/console', 'console-shell', 'console-phone-id'],
			['/tech', 'tech-shell', 'tech-phone-id'],
			['/tidak-ada', 'not-found', 'not-found-phone-id']
		]) {
			await page.goto(`${baseUrl}${route}`);
			await page.getByTestId(ready).first().waitFor();
			await page.evaluate(() => document.fonts.ready);
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(width <= 390, `${route}: scrollWidth ${width} > 390`);
			await screenshot(page, name);
		}

		// The console's sidebar collapses behind a menu button on a phone.
		await page.goto(`${baseUrl}/console`);
		const toggle = page.getByRole('button', { name: id.console_menu });
		await toggle.waitFor();
		const sidebarNav = page.getByRole('navigation', { name: id.console_nav_label });
		assert.equal(await sidebarNav.isVisible(), false);
		await toggle.click();
		await sidebarNav.waitFor({ state: 'visible' });
		assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
		await screenshot(page, 'console-phone-menu-open-id');

		// The technician app's bottom bar is on screen.
		await page.goto(`${baseUrl}/tech`);
		const bar = page.getByRole('navigation', { name: id.tech_nav_label });
		await bar.waitFor();
		const box = await bar.boundingBox();
		assert.ok(box && box.y + box.height <= 844 && box.y > 844 - 120, `bottom bar at ${JSON.stringify(box)}`);

		// English on the phone too.
		await page.goto(`${baseUrl}/`);
		await page.locator('button[data-locale="en"]').click();
		await page.getByRole('heading', { level: 1, name: en.hero_title }).waitFor();
		await page.getByTestId('package').first().waitFor();
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(width <= 390, `/ (en): scrollWidth ${width} > 390`);
		await screenshot(page, 'portal-phone-en');
		// SvelteKit logs unknown client routes as an error.
		assertNoProblems([/Not found: \/tidak-ada/]);
		await close();
	});

	check('an unknown client route shows the translated 404 page', async () => {
		const { page, assertNoProblems, close } = await newPage();
		await page.goto(`${baseUrl}/halaman/yang-tidak-ada`);
		const notFound = page.getByTestId('not-found');
		await notFound.waitFor();
		await page.getByRole('heading', { level: 1, name: id.not_found_title }).waitFor();
		await notFound.getByText('/halaman/yang-tidak-ada').waitFor();
		await screenshot(page, 'not-found-desktop-id');

		await page.locator('button[data-locale="en"]').click();
		await page.getByRole('heading', { level: 1, name: en.not_found_title }).waitFor();
		await screenshot(page, 'not-found-desktop-en');

		await page.getByRole('link', { name: en.not_found_home }).click();
		await page.getByRole('heading', { level: 1, name: en.hero_title }).waitFor();
		assert.equal(new URL(page.url()).pathname, '/');
		assertNoProblems([/Not found: \/halaman\/yang-tidak-ada/]);
		await close();
	});

	check('/console and /tech render their shells', async () => {
		const { page, assertNoProblems, close } = await newPage();

		await page.goto(`${baseUrl}/console`);
		await page.getByTestId('console-shell').waitFor();
		await page.getByRole('heading', { level: 1, name: id.console_title }).waitFor();
		await page.getByTestId('signin-notice').getByText(id.console_signin_notice).waitFor();
		const sidebar = page.getByRole('navigation', { name: id.console_nav_label });
		assert.equal(await sidebar.isVisible(), true, 'the console sidebar is visible on a desktop');
		assert.equal(await page.getByRole('button', { name: id.console_menu }).isVisible(), false);
		assert.equal(
			await page.getByRole('navigation', { name: id.nav_label }).getByRole('link', { name: id.nav_console }).getAttribute('aria-current'),
			'page'
		);
		await screenshot(page, 'console-desktop-id');

		await page.goto(`${baseUrl}/tech`);
		await page.getByTestId('tech-shell').waitFor();
		await page.getByRole('heading', { level: 1, name: id.tech_title }).waitFor();
		await page.getByTestId('signin-notice').getByText(id.tech_signin_notice).waitFor();
		await page.getByRole('navigation', { name: id.tech_nav_label }).waitFor();
		await screenshot(page, 'tech-desktop-id');

		// Client-side navigation between surfaces through the top bar.
		await page.getByRole('navigation', { name: id.nav_label }).getByRole('link', { name: id.nav_console }).click();
		await page.getByRole('heading', { level: 1, name: id.console_title }).waitFor();
		assertNoProblems();
		await close();
	});

	check('the web manifest, icons and immutable assets are served', async () => {
		const manifestResponse = await fetch(`${baseUrl}/manifest.webmanifest`);
		assert.equal(manifestResponse.status, 200);
		const manifest = JSON.parse(await manifestResponse.text());
		assert.equal(manifest.name, 'NetCrew');
		assert.equal(manifest.start_url, '/');
		assert.equal(manifest.display, 'standalone');
		for (const icon of manifest.icons) {
			const response = await fetch(new URL(icon.src, baseUrl));
			assert.equal(response.status, 200, icon.src);
			assert.match(response.headers.get('content-type') ?? '', /^image\//, icon.src);
		}

		const html = await (await fetch(`${baseUrl}/`)).text();
		const asset = html.match(/\/_app\/immutable\/[^"']+\.js/)?.[0];
		assert.ok(asset, 'index.html references hashed assets');
		const response = await fetch(`${baseUrl}${asset}`);
		assert.equal(response.status, 200, asset);
		assert.match(response.headers.get('cache-control') ?? '', /immutable/, `Cache-Control of ${asset}`);
	});
});
