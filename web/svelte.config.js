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
		// SvelteKit boots the SPA from a small inline <script> in index.html.
		// With mode 'hash' it writes a <meta http-equiv="content-security-policy">
		// carrying that script's sha256, so no 'unsafe-inline' is needed. The
		// server's own CSP header must not forbid that hash (see README).
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'manifest-src': ['self'],
				'worker-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		},
		version: {
			// The server is the source of truth for versions; don't poll.
			pollInterval: 0
		}
	}
};

export default config;
