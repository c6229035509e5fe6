import { m } from '$lib/paraglide/messages';
import { describeError, type DisplayError, type ErrorMessages } from '$lib/api/problem';

/** The translated headline for each kind of API failure, in the current locale. */
export function errorMessages(): ErrorMessages {
	return {
		network: m.error_network(),
		bad_request: m.error_bad_request(),
		unauthorized: m.error_unauthorized(),
		forbidden: m.error_forbidden(),
		not_found: m.error_not_found(),
		conflict: m.error_conflict(),
		validation: m.error_validation(),
		rate_limited: m.error_rate_limited(),
		server: m.error_server(),
		unknown: m.error_unknown()
	};
}

export function displayError(error: unknown): DisplayError {
	return describeError(error, errorMessages());
}
