/**
 * The staff customer form's values and request body, and how a customer's
 * address parts read (`RT 003/RW 012, Kel. Sekeloa, Kec. Coblong, Kota Bandung`).
 */
import type { Customer, CustomerInput, CustomerStatus, InstallWindow, Location } from '$lib/api/types';

export interface CustomerFormValues {
	name: string;
	phone: string;
	whatsapp: string;
	email: string;
	address: string;
	rt: string;
	rw: string;
	kelurahan: string;
	kecamatan: string;
	city: string;
	location: Location | null;
	area_id: string;
	package_id: string;
	status: string;
	odp_id: string;
	odp_port: string;
	pppoe_username: string;
	billing_id: string;
	preferred_date: string;
	preferred_window: string;
	notes: string;
}

/** The form's fields, in form order (server field errors are shown at these). */
export const CUSTOMER_FORM_FIELDS = [
	'name',
	'phone',
	'whatsapp',
	'email',
	'address',
	'rt',
	'rw',
	'kelurahan',
	'kecamatan',
	'city',
	'location',
	'area_id',
	'package_id',
	'status',
	'odp_id',
	'odp_port',
	'pppoe_username',
	'billing_id',
	'preferred_date',
	'preferred_window',
	'notes'
] as const;

/**
 * Optional text fields where empty means none: left out of a new customer,
 * `null` in a change (which removes what was there).
 */
export const CUSTOMER_OPTIONAL_TEXT = ['rt', 'rw', 'kelurahan', 'kecamatan', 'city', 'pppoe_username', 'billing_id'] as const;
type OptionalText = (typeof CUSTOMER_OPTIONAL_TEXT)[number];

export function emptyCustomer(): CustomerFormValues {
	return {
		name: '',
		phone: '',
		whatsapp: '',
		email: '',
		address: '',
		rt: '',
		rw: '',
		kelurahan: '',
		kecamatan: '',
		city: '',
		location: null,
		area_id: '',
		package_id: '',
		status: 'prospect',
		odp_id: '',
		odp_port: '',
		pppoe_username: '',
		billing_id: '',
		preferred_date: '',
		preferred_window: '',
		notes: ''
	};
}

export function customerValues(c: Customer): CustomerFormValues {
	return {
		name: c.name,
		phone: c.phone,
		whatsapp: c.whatsapp ?? '',
		email: c.email ?? '',
		address: c.address,
		rt: c.rt ?? '',
		rw: c.rw ?? '',
		kelurahan: c.kelurahan ?? '',
		kecamatan: c.kecamatan ?? '',
		city: c.city ?? '',
		location: { ...c.location },
		area_id: c.area_id,
		package_id: c.package_id,
		status: c.status,
		odp_id: c.odp_id ?? '',
		odp_port: c.odp_port === null || c.odp_port === undefined ? '' : String(c.odp_port),
		pppoe_username: c.pppoe_username ?? '',
		billing_id: c.billing_id ?? '',
		preferred_date: c.preferred_date ?? '',
		preferred_window: c.preferred_window ?? '',
		notes: c.notes
	};
}

/**
 * The request body. Empty optional fields are sent as null on an edit (which
 * clears them); a new customer leaves the address parts and references out.
 */
export function customerBody(v: CustomerFormValues, create: boolean): CustomerInput {
	const body: CustomerInput = {
		name: v.name.trim(),
		phone: v.phone.trim(),
		whatsapp: v.whatsapp.trim() || null,
		email: v.email.trim() || null,
		address: v.address.trim(),
		location: v.location,
		package_id: v.package_id || null,
		preferred_date: v.preferred_date || null,
		preferred_window: (v.preferred_window || null) as InstallWindow | null,
		notes: v.notes.trim(),
		odp_id: v.odp_id || null,
		odp_port: v.odp_id && v.odp_port ? Number(v.odp_port) : null
	};
	for (const field of CUSTOMER_OPTIONAL_TEXT) {
		const value = v[field].trim();
		if (value) body[field] = value;
		else if (!create) body[field] = null;
	}
	// An empty area is derived from the location by the server.
	if (v.area_id) body.area_id = v.area_id;
	if (create) body.status = v.status as CustomerStatus;
	return body;
}

type AddressParts = Partial<Pick<Customer, 'rt' | 'rw' | 'kelurahan' | 'kecamatan' | 'city'>>;

const text = (value: string | null | undefined) => value?.trim() ?? '';

/** `name` with its kind in front (`Kel. Sekeloa`), unless it is written already (`Kelurahan Sekeloa`, `Desa Cibiru`). */
function withKind(name: string, kind: string, written: RegExp): string {
	return !name || written.test(name) ? name : `${kind} ${name}`;
}

/**
 * A customer's address parts on one line: `RT 003/RW 012, Kel. Sekeloa,
 * Kec. Coblong, Kota Bandung`; the parts missing are left out, and an empty
 * string means none. The city is written as stored (`Kota Bandung`,
 * `Kabupaten Bandung`). These are the names on Indonesian addresses, the same
 * in every language.
 */
export function addressPartsLine(c: AddressParts): string {
	const rt = text(c.rt);
	const rw = text(c.rw);
	const neighbourhood = [rt && `RT ${rt}`, rw && `RW ${rw}`].filter(Boolean).join('/');
	return [
		neighbourhood,
		withKind(text(c.kelurahan), 'Kel.', /^(kel\.|kelurahan\s|desa\s|ds\.)/i),
		withKind(text(c.kecamatan), 'Kec.', /^(kec\.|kecamatan\s)/i),
		text(c.city)
	]
		.filter(Boolean)
		.join(', ');
}

/** Where a customer lives, short, for a list row: `Kec. Coblong · Kota Bandung` (empty when neither is known). */
export function placeLine(c: Pick<AddressParts, 'kecamatan' | 'city'>): string {
	return [withKind(text(c.kecamatan), 'Kec.', /^(kec\.|kecamatan\s)/i), text(c.city)].filter(Boolean).join(' · ');
}

/**
 * Adds the values seen (trimmed, non-empty) to `seen` and returns them all,
 * sorted: suggestions for a filter that matches exactly.
 */
export function rememberValues(seen: Set<string>, values: Iterable<string | null | undefined>): string[] {
	for (const value of values) {
		const v = text(value);
		if (v) seen.add(v);
	}
	return [...seen].sort((a, b) => a.localeCompare(b, 'id'));
}
