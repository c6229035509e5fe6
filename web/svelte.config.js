import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		runes: true
	},
	kit: {
		// A single-page app: the netcrew binary serves build/ and answers every
		// unknown non-API path with index.html, so client routing takes over.
		adapter: adapter({
			pages: 'build',
			assets: 'build',
			fallback: 'index.html',
			precompress: false,
			strict: true
		}),
		// Hashed assets live under /_app/immutable/ (SvelteKit default); the
		// server marks them immutable.
		appDir: '_app',
		// No kit.csp here: the server sends the Content-Security-Policy and
		// allows SvelteKit's inline bootstrap <script> of index.html by its
		// sha256, computed from the built file (crates/api/src/web.rs).
		version: {
			// The server is the source of truth for versions; don't poll.
			pollInterval: 0
		}
	}
};

export default config;
