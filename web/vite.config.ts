import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// In development, API calls go to a running `netcrew` (e.g. `netcrew demo --port 8080`).
const apiTarget = process.env.NETCREW_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
	plugins: [
		// Under vitest the messages are compiled beforehand (npm run i18n:compile);
		// the plugin's project watcher would keep the test process alive.
		!process.env.VITEST &&
			paraglideVitePlugin({
				project: './project.inlang',
				outdir: './src/lib/paraglide',
				// The active locale is owned by src/lib/i18n/locale.svelte.ts
				// (overwriteGetLocale/overwriteSetLocale); this is only the fallback.
				strategy: ['baseLocale']
			}),
		sveltekit()
	],
	server: {
		proxy: {
			'/api': apiTarget,
			'/healthz': apiTarget
		}
	},
	preview: {
		proxy: {
			'/api': apiTarget,
			'/healthz': apiTarget
		}
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
