/**
 * Number formatting. Money is whole rupiah (fields ending in `_idr`) and is
 * always written the Indonesian way ("Rp 250.000"), whatever the UI language,
 * because that is how prices are printed in Indonesia.
 */

const rupiahFormatter = new Intl.NumberFormat('id-ID', {
	style: 'currency',
	currency: 'IDR',
	currencyDisplay: 'symbol',
	minimumFractionDigits: 0,
	maximumFractionDigits: 0
});

/** `250000` → `"Rp 250.000"` (with a no-break space after "Rp"). */
export function formatRupiah(amountIdr: number): string {
	if (!Number.isFinite(amountIdr)) return '—';
	return rupiahFormatter.format(Math.round(amountIdr));
}

const intlLocale: Record<string, string> = { id: 'id-ID', en: 'en-GB' };

/** A plain number in the UI language: 1500 → "1.500" (id) / "1,500" (en). */
export function formatNumber(value: number, locale: string): string {
	return new Intl.NumberFormat(intlLocale[locale] ?? locale, { maximumFractionDigits: 1 }).format(
		value
	);
}

/** A bandwidth in megabits per second: 1000 → "1.000 Mbps" (id). */
export function formatMbps(mbps: number, locale: string): string {
	return `${formatNumber(mbps, locale)}\u00a0Mbps`;
}

/** A radius in metres, shown in km from 1 km up: 2500 → "2,5 km" (id). */
export function formatDistance(metres: number, locale: string): string {
	if (metres >= 1000) return `${formatNumber(metres / 1000, locale)}\u00a0km`;
	return `${formatNumber(Math.round(metres), locale)}\u00a0m`;
}
