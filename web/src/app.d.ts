// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		interface PageState {
			/** A login to fill in on the sign-in page (after registering). */
			login?: string;
		}
		// interface Platform {}
	}
}

export {};
