import { afterAll, describe, expect, it } from 'vitest';
import { overwriteGetLocale } from '$lib/paraglide/runtime';
import { apiErrorFromResponse } from '$lib/api/problem';
import { notReadyMissing } from '$lib/api/installation';
import { CAUSE_CODES, ENTRY_KEYS, RESOLUTION_CODES, RX_POWER_WEAK, type ChecklistEntry } from '$lib/checklist';
import { codeName, dbmText, entryErrorText, entryName, entryValueText, signalName } from './checklist';
import { jobNotReadyText, notReadyText } from './installation';
import { notificationText } from './tickets';
import { auditActionText } from './audit';
import en from './en.json';
import id from './id.json';

let locale: 'id' | 'en' = 'id';
overwriteGetLocale(() => locale);
afterAll(() => overwriteGetLocale(() => 'id'));

const entry = (over: Partial<ChecklistEntry>): ChecklistEntry => ({ key: 'rx_power', kind: 'optical_power', required: true, choices: [], value: null, recorded: null, ...over });

describe('a job\'s documentation in words', () => {
	it('names every entry, cause and resolution in both languages', () => {
		for (const lang of ['id', 'en'] as const) {
			locale = lang;
			for (const key of [...ENTRY_KEYS, RX_POWER_WEAK]) expect(entryName(key), key).not.toMatch(/_/);
			for (const code of CAUSE_CODES) expect(codeName('cause', code), code).not.toMatch(/_/);
			for (const code of RESOLUTION_CODES) expect(codeName('resolution', code), code).not.toMatch(/_/);
		}
		locale = 'id';
		expect(entryName('rx_power')).toBe(id.job_entry_rx_power);
		expect(codeName('cause', 'drop_cable_cut')).toBe('Kabel drop putus');
		expect(codeName('resolution', 'other')).toBe('Lainnya');
		expect(entryName('something_new')).toBe('something new');
		expect(signalName('weak')).toBe('Lemah');
		locale = 'en';
		expect(codeName('resolution', 'replaced_ont')).toBe('Replaced the ONT');
		expect(signalName('warning')).toBe(en.job_signal_warning);
		locale = 'id';
	});

	it('writes dBm the reader\'s way', () => {
		locale = 'id';
		expect(dbmText(-19.4)).toBe('-19,4');
		expect(dbmText(-26)).toBe('-26');
		locale = 'en';
		expect(dbmText(-19.45)).toBe('-19.45');
		locale = 'id';
	});

	it('says what an entry holds', () => {
		locale = 'id';
		expect(entryValueText(entry({ value: { dbm: -19.4 } as never }))).toBe('-19,4 dBm');
		expect(entryValueText(entry({ kind: 'odp_port', value: { port: 3 } as never }))).toBe('Port 3');
		expect(entryValueText(entry({ kind: 'length', value: { meters: 85.5 } as never }))).toBe('85,5 m');
		expect(entryValueText(entry({ kind: 'speed_test', value: { download_mbps: 48.7, upload_mbps: 20, ping_ms: 7 } as never }))).toBe('↓ 48,7 Mbps · ↑ 20 Mbps · ping 7 ms');
		expect(entryValueText(entry({ key: 'cause', kind: 'code', value: { code: 'ont_faulty' } as never }))).toBe('ONT rusak');
		expect(entryValueText(entry({}))).toBe(id.job_not_recorded);
	});

	it('names what is missing when a job is resolved too early', () => {
		locale = 'id';
		const refused = apiErrorFromResponse({ status: 409 }, { type: '/problems/not-ready', title: 'Not ready', status: 409, missing: ['rx_power', 'photo_ont', RX_POWER_WEAK] });
		const missing = notReadyMissing(refused)!;
		expect(jobNotReadyText(missing)).toBe(
			'Belum bisa diselesaikan. Lengkapi dulu: Redaman (daya terima Rx), Foto ONT terpasang dan persetujuan supervisor untuk redaman lemah.'
		);
		expect(notReadyText(['customer_signature'])).toBe('Belum bisa diselesaikan. Lengkapi dulu: Tanda tangan pelanggan.');
		// An installation's booking needs are still said as before.
		expect(notReadyText(['fee'])).toContain(id.inst_need_fee);
		locale = 'en';
		expect(jobNotReadyText(['speed_test'])).toBe('Cannot be finished yet. First record: Speed test.');
		locale = 'id';
	});

	it('says an entry\'s field errors in words', () => {
		locale = 'id';
		expect(entryErrorText({ field: 'value.serial', code: 'other_customer', detail: 'x' })).toBe(id.job_err_serial_other_customer);
		expect(entryErrorText({ field: 'value.serial', code: 'format', detail: 'x' })).toBe(id.job_err_serial_format);
		expect(entryErrorText({ field: 'value.dbm', code: 'range', detail: 'from -27 to -8 dBm', params: { min: -27, max: -8 } })).toBe('Isi angka antara -27 dan -8.');
		expect(entryErrorText({ field: 'value.port', code: 'port_taken', detail: 'x', params: { port: 3, odp: 'ODP-1', customer_number: 'PLG-1' } })).toContain('PLG-1');
		expect(entryErrorText({ field: 'value.port', code: 'required', detail: 'no ODP' })).toBe(id.job_err_no_odp);
		expect(entryErrorText({ field: 'value.attachment_ids[0]', code: 'unknown', detail: 'x' })).toBe(id.job_err_photo);
		expect(entryErrorText({ field: 'value.dbm', code: 'format', detail: 'x' })).toBe(id.job_err_number);
		expect(entryErrorText({ field: 'value.text', code: 'required', detail: 'x' })).toBe(id.field_error_required);
		expect(entryErrorText({ field: 'value.code', code: 'required', detail: 'x' })).toBeTruthy();
	});

	it('says a supervisor\'s exception and a change of the band', () => {
		locale = 'id';
		expect(notificationText({ kind: 'rx_power_exception', ticket_number: 'INS-2026-000001', data: { dbm: -26.2, reason: 'x', by: 'Sup' } })).toBe(
			'Supervisor menyetujui redaman -26,2 dBm untuk INS-2026-000001'
		);
		expect(auditActionText('job_settings.update')).toBe(id.audit_action_job_settings_update);
		locale = 'en';
		expect(auditActionText('job_settings.update')).toBe(en.audit_action_job_settings_update);
		locale = 'id';
	});
});
