/**
 * RFC 9457 problem details, as the NetCrew API sends them
 * (`application/problem+json`), and the small amount of logic needed to turn
 * any failed request into something a person can read.
 */

export interface FieldError {
	field: string;
	/** Stable reason (`required`, `taken`, `phone`, ...) for showing the error in the user's language. */
	code?: string;
	/** The reason in English (shown as is only for `invalid` and unknown codes). */
	detail: string;
	/**
	 * The values the reason mentions (`max`, `allowed`, `package`, ...), for
	 * the app's own sentence; older servers send none.
	 */
	params?: Record<string, unknown>;
}

export interface Problem {
	type: string;
	title: string;
	status: number;
	detail?: string | null;
	instance?: string | null;
	errors?: FieldError[] | null;
	/**
	 * What a thing still lacks (`/problems/not-ready`): an installation's
	 * `verification` or `fee` before booking, a customer's `nik` or
	 * `ktp_photo` before verifying. Only present when the server sent it.
	 */
	missing?: string[];
	/**
	 * What may be done instead (`/problems/transition-not-allowed`): the
	 * statuses a ticket may move to, or the choices a request must make
	 * (approving leave over assigned jobs: `unassign` or `keep`). Only
	 * present when the server sent it.
	 */
	allowed?: string[];
}

/** What went wrong, in the categories the UI has messages for. */
export type ErrorKind =
	| 'network'
	| 'bad_request'
	| 'unauthorized'
	| 'forbidden'
	| 'not_found'
	| 'conflict'
	| 'validation'
	| 'rate_limited'
	| 'server'
	| 'unknown';

/** Thrown by the API client for every failed call. */
export class ApiError extends Error {
	readonly kind: ErrorKind;
	/** HTTP status; 0 when no response arrived. */
	readonly status: number;
	readonly problem: Problem | null;
	/** Seconds to wait before retrying (`Retry-After`), when the server said. */
	readonly retryAfter: number | null;

	constructor(
		kind: ErrorKind,
		status: number,
		problem: Problem | null,
		options?: { cause?: unknown; retryAfter?: number | null }
	) {
		super(problem?.detail || problem?.title || `${kind} (${status})`, options);
		this.name = 'ApiError';
		this.kind = kind;
		this.status = status;
		this.problem = problem;
		this.retryAfter = options?.retryAfter ?? null;
	}

	/** The stable problem type, e.g. `/problems/invalid-credentials`. */
	get type(): string | null {
		return this.problem?.type ?? null;
	}

	get fieldErrors(): FieldError[] {
		return this.problem?.errors ?? [];
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a problem from an already-parsed error body. Anything that is not a
 * problem object yields `null`; unknown extra members are ignored, malformed
 * `errors` entries are dropped.
 */
export function parseProblem(body: unknown, fallbackStatus = 0): Problem | null {
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text.startsWith('{')) return null;
		try {
			return parseProblem(JSON.parse(text), fallbackStatus);
		} catch {
			return null;
		}
	}
	if (!isRecord(body)) return null;
	const { type, title, status, detail, instance, errors, missing, allowed } = body;
	if (typeof title !== 'string' && typeof type !== 'string' && typeof detail !== 'string') {
		return null;
	}
	const fieldErrors = Array.isArray(errors)
		? errors
				.filter(
					(e): e is Record<string, unknown> & { field: string; detail: string } =>
						isRecord(e) && typeof e.field === 'string' && typeof e.detail === 'string'
				)
				.map((e): FieldError => {
					const error: FieldError =
						typeof e.code === 'string' && e.code !== ''
							? { field: e.field, code: e.code, detail: e.detail }
							: { field: e.field, detail: e.detail };
					if (isRecord(e.params)) error.params = e.params;
					return error;
				})
		: null;
	const problem: Problem = {
		// RFC 9457 §4.2.1: a missing type means "about:blank".
		type: typeof type === 'string' && type !== '' ? type : 'about:blank',
		title: typeof title === 'string' ? title : '',
		status: typeof status === 'number' && Number.isInteger(status) ? status : fallbackStatus,
		detail: typeof detail === 'string' ? detail : null,
		instance: typeof instance === 'string' ? instance : null,
		errors: fieldErrors
	};
	if (Array.isArray(missing)) problem.missing = missing.filter((m): m is string => typeof m === 'string');
	if (Array.isArray(allowed)) problem.allowed = allowed.filter((a): a is string => typeof a === 'string');
	return problem;
}

/** Maps a problem `type` (preferred, it is stable) or an HTTP status to a kind. */
export function errorKind(status: number, problemType?: string | null): ErrorKind {
	switch (problemType) {
		case '/problems/validation':
			return 'validation';
		case '/problems/not-found':
			return 'not_found';
		case '/problems/conflict':
			return 'conflict';
		case '/problems/unauthorized':
		case '/problems/unauthenticated':
			return 'unauthorized';
		case '/problems/forbidden':
			return 'forbidden';
		case '/problems/rate-limited':
		case '/problems/too-many-requests':
			return 'rate_limited';
	}
	if (status === 0) return 'network';
	if (status === 400) return 'bad_request';
	if (status === 401) return 'unauthorized';
	if (status === 403) return 'forbidden';
	if (status === 404) return 'not_found';
	if (status === 409 || status === 412) return 'conflict';
	if (status === 422) return 'validation';
	if (status === 429) return 'rate_limited';
	if (status >= 500 && status <= 599) return 'server';
	return 'unknown';
}

/**
 * Reads `Retry-After` as a number of seconds. HTTP dates are turned into the
 * seconds left from `now`; anything unreadable gives null.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
	if (!value) return null;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text);
	const at = Date.parse(text);
	if (Number.isNaN(at)) return null;
	return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Builds the ApiError for a response that was not a success. */
export function apiErrorFromResponse(
	response: Pick<Response, 'status'> & { headers?: Pick<Headers, 'get'> },
	body: unknown
): ApiError {
	const problem = parseProblem(body, response.status);
	return new ApiError(errorKind(response.status, problem?.type), response.status, problem, {
		retryAfter: parseRetryAfter(response.headers?.get('retry-after'))
	});
}

/** Turns anything thrown while calling the API into an ApiError. */
export function toApiError(error: unknown): ApiError {
	if (error instanceof ApiError) return error;
	// fetch() rejects with a TypeError when the network fails; an abort is a DOMException.
	return new ApiError('network', 0, null, { cause: error });
}

/** The messages a UI needs to describe an error; supplied by the i18n layer. */
export type ErrorMessages = Record<ErrorKind, string>;

export interface DisplayError {
	/** Short, translated sentence for the kind of failure. */
	title: string;
	/**
	 * The server's explanation, when it sent one that adds something (not for
	 * validation problems with field errors: their detail only repeats them in English).
	 */
	detail: string | null;
	/** Per-field validation errors from the server (shown through `fieldErrorText`). */
	fields: FieldError[];
	status: number;
}

/**
 * Kinds told only in the app's own words: a refusal's `detail` names the
 * role and the permission in English ("Your role (cs) may not do this
 * (users.read)"), which says nothing more to the person than the translated
 * title, and says it in the wrong language.
 */
const OWN_WORDS_ONLY: ReadonlySet<ErrorKind> = new Set(['forbidden']);

/**
 * Turns a failure into what the UI shows: a translated headline chosen by
 * kind, plus the server's `detail` and field errors as supporting text.
 */
export function describeError(error: unknown, messages: ErrorMessages): DisplayError {
	const err = toApiError(error);
	const fields = err.fieldErrors;
	const detail = (fields.length === 0 && !OWN_WORDS_ONLY.has(err.kind) && err.problem?.detail?.trim()) || null;
	const title = messages[err.kind];
	return {
		title,
		detail: detail && detail !== title ? detail : null,
		fields,
		status: err.status
	};
}
