/**
 * Choosing an ODP and a port for a customer (the customer form, an
 * installation or relocation ticket): the nearest ODPs first, and the ports
 * still free, the customer's own counting as free.
 */
import type { Location, Odp, OdpPort } from './api/types';
import { distanceM } from './map/geo';

export interface OdpChoice {
	odp: Odp;
	/** Metres from the place, when the place is known. */
	distance: number | null;
}

/**
 * The ODPs to offer, nearest to `at` first (by code where no place is
 * known); `current` (the one already chosen, perhaps in another area) is
 * always among them.
 */
export function odpChoices(odps: readonly Odp[], current: Odp | null, at: Location | null | undefined): OdpChoice[] {
	const list = [...odps];
	if (current && !list.some((o) => o.id === current.id)) list.push(current);
	return list
		.map((odp) => ({ odp, distance: at ? distanceM(at, odp.location) : null }))
		.sort((a, b) => (a.distance ?? 0) - (b.distance ?? 0) || a.odp.code.localeCompare(b.odp.code));
}

/** The ports one may choose: those nobody uses, and the customer's own. */
export function freePorts(ports: readonly OdpPort[], customerId: string | null | undefined): OdpPort[] {
	return ports.filter((p) => !p.in_use || (!!customerId && p.customer_id === customerId));
}
