/** The orders a list can be sorted in, and reading one from the address. */

/** The customer list's orders (`GET /api/v1/customers?sort=`); the first is the server's default. */
export const CUSTOMER_SORTS = ['number', 'newest', 'name'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/**
 * One of `allowed`, from a value such as an address parameter; anything else
 * (missing, misspelt, from an older link) is the default, the first.
 */
export function readSort<S extends string>(value: string | null | undefined, allowed: readonly [S, ...S[]]): S {
	return (allowed as readonly string[]).includes(value ?? '') ? (value as S) : allowed[0];
}

/** The value to send and to keep in the address: nothing for the default order. */
export function sortParam<S extends string>(sort: S, allowed: readonly [S, ...S[]]): S | undefined {
	return sort === allowed[0] ? undefined : sort;
}
