/** A job's documentation in words: entry names, cause and resolution codes, the signal, what is missing, field errors. */
import { m } from '$lib/paraglide/messages';
import type { FieldError } from '$lib/api/problem';
import { getLocale } from '$lib/paraglide/runtime';
import { draftOf, RX_POWER_WEAK, type ChecklistEntry, type Signal } from '$lib/checklist';
import { fieldErrorText } from './field-errors';

const ENTRY_NAMES: Record<string, () => string> = {
	odp_port: () => m.job_entry_odp_port(),
	drop_cable_m: () => m.job_entry_drop_cable_m(),
	ont_serial: () => m.job_entry_ont_serial(),
	rx_power: () => m.job_entry_rx_power(),
	speed_test: () => m.job_entry_speed_test(),
	photo_odp: () => m.job_entry_photo_odp(),
	photo_ont: () => m.job_entry_photo_ont(),
	photo_cabling: () => m.job_entry_photo_cabling(),
	customer_signature: () => m.job_entry_customer_signature(),
	diagnosis: () => m.job_entry_diagnosis(),
	cause: () => m.job_entry_cause(),
	resolution: () => m.job_entry_resolution(),
	photo_repair: () => m.job_entry_photo_repair(),
	photo_dismantle: () => m.job_entry_photo_dismantle(),
	[RX_POWER_WEAK]: () => m.job_missing_rx_power_weak()
};

/** An entry's name ("Redaman (Rx)"); a key this app does not know yet reads as itself, tidied. */
export function entryName(key: string): string {
	return ENTRY_NAMES[key]?.() ?? key.replace(/_/g, ' ');
}

/** Whether a key is one this app names (an entry, or `rx_power_weak`). */
export function isChecklistKey(key: string): boolean {
	return key in ENTRY_NAMES;
}

const CAUSES: Record<string, () => string> = {
	drop_cable_cut: () => m.job_cause_drop_cable_cut(),
	drop_cable_bent: () => m.job_cause_drop_cable_bent(),
	connector_dirty: () => m.job_cause_connector_dirty(),
	ont_faulty: () => m.job_cause_ont_faulty(),
	power_adapter: () => m.job_cause_power_adapter(),
	odp_port: () => m.job_cause_odp_port(),
	splitter: () => m.job_cause_splitter(),
	feeder_cut: () => m.job_cause_feeder_cut(),
	router_settings: () => m.job_cause_router_settings(),
	customer_device: () => m.job_cause_customer_device(),
	other: () => m.job_code_other()
};

const RESOLUTIONS: Record<string, () => string> = {
	replaced_drop_cable: () => m.job_resolution_replaced_drop_cable(),
	respliced: () => m.job_resolution_respliced(),
	cleaned_connector: () => m.job_resolution_cleaned_connector(),
	replaced_ont: () => m.job_resolution_replaced_ont(),
	replaced_adapter: () => m.job_resolution_replaced_adapter(),
	moved_port: () => m.job_resolution_moved_port(),
	reconfigured: () => m.job_resolution_reconfigured(),
	advised_customer: () => m.job_resolution_advised_customer(),
	other: () => m.job_code_other()
};

/** A code of a `code` entry in words (`cause`, `resolution`); an unknown one as itself. */
export function codeName(entryKey: string, code: string): string {
	const names = entryKey === 'resolution' ? RESOLUTIONS : CAUSES;
	return names[code]?.() ?? code.replace(/_/g, ' ');
}

export function signalName(signal: Signal): string {
	switch (signal) {
		case 'healthy':
			return m.job_signal_healthy();
		case 'warning':
			return m.job_signal_warning();
		case 'weak':
			return m.job_signal_weak();
	}
}

/** "-19,4" (id) / "-19.4" (en), to two places at most. */
export function dbmText(dbm: number): string {
	return new Intl.NumberFormat(getLocale() === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 2, useGrouping: false }).format(dbm);
}

function num(value: number): string {
	return new Intl.NumberFormat(getLocale() === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
}

/** What an entry holds, in a line ("-19,4 dBm", "Port 3", "↓ 50 Mbps · ↑ 20 Mbps"); photos and signatures are shown, not said. */
export function entryValueText(entry: Pick<ChecklistEntry, 'key' | 'kind' | 'value'>): string {
	if (entry.value === null || entry.value === undefined) return m.job_not_recorded();
	const d = draftOf(entry, 'en');
	const n = (text: string) => (text === '' ? '?' : num(Number(text)));
	switch (entry.kind) {
		case 'odp_port':
			return m.customer_port_n({ port: d.port });
		case 'length':
			return m.job_value_meters({ meters: n(d.meters) });
		case 'ont_serial':
			return d.serial;
		case 'optical_power':
			return `${dbmText(Number(d.dbm))} dBm`;
		case 'speed_test':
			return d.ping_ms
				? m.job_value_speed_ping({ down: n(d.download_mbps), up: n(d.upload_mbps), ping: n(d.ping_ms) })
				: m.job_value_speed({ down: n(d.download_mbps), up: n(d.upload_mbps) });
		case 'photos':
			return m.job_value_photos({ count: String(d.attachment_ids.length) });
		case 'signature':
			return m.job_value_signed({ signer: d.signer });
		case 'code':
			return codeName(entry.key, d.code);
		case 'text':
			return d.text;
	}
}

/** "rx_power, photo_ont" → "Redaman (Rx) dan Foto ONT terpasang". */
export function missingNames(missing: readonly string[]): string[] {
	return missing.map(entryName);
}

/**
 * A field error on an entry in words. The server names `value.dbm`,
 * `value.port`, `value.serial`, ...: the sentence is the general one for the
 * code, except where the entry says more (a port taken by whom, an ONT at
 * another customer's, a ticket without an ODP, a serial that is not one).
 */
export function entryErrorText(error: FieldError): string {
	const field = error.field.replace(/^value\.?/, '').replace(/\[\d+\]$/, '');
	const code = error.code ?? 'invalid';
	if (field === 'serial' && code === 'other_customer') return m.job_err_serial_other_customer();
	if (field === 'serial' && code === 'format') return m.job_err_serial_format();
	if (field === 'serial' && code === 'required') return m.job_err_serial_required();
	if (field === 'port' && code === 'required') return m.job_err_no_odp();
	if (field === 'port' && code === 'format') return m.job_err_port_format();
	if (field.startsWith('attachment_id') && (code === 'unknown' || code === 'format')) return m.job_err_photo();
	if (field === 'attachment_ids' && code === 'required') return m.job_err_photo_required();
	if (field === 'attachment_id' && code === 'required') return m.job_err_signature_required();
	if (code === 'format' && field !== 'text' && field !== 'signer' && field !== 'code') return m.job_err_number();
	// `text`, `code`, `signer` and the rest: the general sentence, about the field itself (not "value").
	return fieldErrorText({ ...error, field: field || error.field });
}
