// Renders the PNG app icons from static/favicon.svg with the system Chromium.
// Run after changing the logo: `node scripts/render-icons.mjs` (PNGs are committed).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const staticDir = fileURLToPath(new URL('../static/', import.meta.url));
const svg = await readFile(`${staticDir}favicon.svg`, 'utf8');

// Full-bleed variant: no rounded corners (the platform applies its own mask);
// the mark is shrunk into the maskable safe zone (a centred circle of 80 %).
const fullBleed = svg
	.replace('rx="15"', 'rx="0"')
	.replace(/<path /, '<g transform="translate(32 32) scale(0.8) translate(-32 -32)"><path ')
	.replace('</svg>', '</g></svg>');

const icons = [
	{ file: 'icon-192.png', size: 192, source: svg },
	{ file: 'icon-512.png', size: 512, source: svg },
	{ file: 'apple-touch-icon.png', size: 180, source: fullBleed },
	{ file: 'icon-maskable-512.png', size: 512, source: fullBleed }
];

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run']
});
try {
	for (const { file, size, source } of icons) {
		const page = await browser.newPage({ viewport: { width: size, height: size } });
		const sized = source.replace(/width="64" height="64"/, `width="${size}" height="${size}"`);
		await page.setContent(
			`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${sized}`
		);
		await page.screenshot({ path: `${staticDir}${file}`, omitBackground: true });
		await page.close();
		console.log(`wrote static/${file} (${size}x${size})`);
	}
} finally {
	await browser.close();
}
