import { describe, expect, it } from 'vitest';
import {
	bandBody,
	bandForm,
	buildValue,
	captureFields,
	coordinatesText,
	draftField,
	draftOf,
	EMPTY_DRAFT,
	fitWithin,
	isDocumented,
	judgeDbm,
	needsException,
	parseDecimal,
	progress,
	recordedDbm,
	stampLines,
	type ChecklistEntry,
	type Draft,
	type JobChecklist
} from './checklist';

const band = { weakest: -25, warn_from: -23 };
const draft = (over: Partial<Draft>): Draft => ({ ...EMPTY_DRAFT, attachment_ids: [], ...over });
const entry = (over: Partial<ChecklistEntry>): ChecklistEntry => ({ key: 'rx_power', kind: 'optical_power', required: true, choices: [], value: null, recorded: null, ...over });

describe('numbers as a phone types them', () => {
	it('reads a decimal comma, a point, a typographic minus and spaces', () => {
		expect(parseDecimal('-19,4')).toBe(-19.4);
		expect(parseDecimal(' -19.4 ')).toBe(-19.4);
		expect(parseDecimal('\u221219,4')).toBe(-19.4);
		expect(parseDecimal('- 20')).toBe(-20);
		expect(parseDecimal('150')).toBe(150);
		expect(parseDecimal(',5')).toBe(0.5);
	});

	it('refuses what is not one number', () => {
		for (const bad of ['', 'abc', '-19,4,2', '1.2.3', '--3', '19 dBm', '1e3']) expect(parseDecimal(bad), bad).toBeNull();
	});
});

describe('the optical reading against the band', () => {
	it('is healthy from warn_from up, a warning below it, weak below the weakest', () => {
		expect(judgeDbm(-19.4, band)).toBe('healthy');
		expect(judgeDbm(-23, band)).toBe('healthy');
		expect(judgeDbm(-23.1, band)).toBe('warning');
		expect(judgeDbm(-25, band)).toBe('warning');
		expect(judgeDbm(-25.5, band)).toBe('weak');
	});

	it('needs an exception only for a weak reading without one', () => {
		const optical = { band, signal: 'weak' as const, exception: null, typed_weakest: -27, typed_strongest: -8 };
		expect(needsException({ optical })).toBe(true);
		expect(needsException({ optical: { ...optical, exception: { dbm: -26, reason: 'x', approved: { at: '2026-01-01T00:00:00Z' } } } })).toBe(false);
		expect(needsException({ optical: { ...optical, signal: 'warning' } })).toBe(false);
		expect(needsException({ optical: { ...optical, signal: null } })).toBe(false);
	});
});

describe('values in each entry kind\'s form', () => {
	it('sends numbers typed with a comma as numbers', () => {
		expect(buildValue('optical_power', draft({ dbm: '-19,4' }))).toEqual({ value: { dbm: -19.4 } });
		expect(buildValue('length', draft({ meters: '85,5' }))).toEqual({ value: { meters: 85.5 } });
		expect(buildValue('odp_port', draft({ port: '3' }))).toEqual({ value: { port: 3 } });
	});

	it('leaves out a ping not typed, and keeps one typed', () => {
		expect(buildValue('speed_test', draft({ download_mbps: '48,7', upload_mbps: '21' }))).toEqual({ value: { download_mbps: 48.7, upload_mbps: 21 } });
		expect(buildValue('speed_test', draft({ download_mbps: '50', upload_mbps: '20', ping_ms: '7' }))).toEqual({
			value: { download_mbps: 50, upload_mbps: 20, ping_ms: 7 }
		});
	});

	it('says which field is missing or unreadable', () => {
		expect(buildValue('optical_power', draft({}))).toEqual({ problems: [{ field: 'dbm', code: 'required' }] });
		expect(buildValue('optical_power', draft({ dbm: '-19,4 dB' }))).toEqual({ problems: [{ field: 'dbm', code: 'format' }] });
		expect(buildValue('odp_port', draft({ port: '2,5' }))).toEqual({ problems: [{ field: 'port', code: 'format' }] });
		expect(buildValue('speed_test', draft({ upload_mbps: 'x' }))).toEqual({
			problems: [
				{ field: 'download_mbps', code: 'required' },
				{ field: 'upload_mbps', code: 'format' }
			]
		});
		expect(buildValue('photos', draft({}))).toEqual({ problems: [{ field: 'attachment_ids', code: 'required' }] });
		expect(buildValue('signature', draft({ signer: ' ' }))).toEqual({
			problems: [
				{ field: 'signer', code: 'required' },
				{ field: 'attachment_id', code: 'required' }
			]
		});
	});

	it('writes a serial in one form, and codes, text, photos and signatures as they are', () => {
		expect(buildValue('ont_serial', draft({ serial: ' zte c1234 ' }))).toEqual({ value: { serial: 'ZTEC1234' } });
		expect(buildValue('code', draft({ code: 'ont_faulty' }))).toEqual({ value: { code: 'ont_faulty' } });
		expect(buildValue('text', draft({ text: ' LOS merah ' }))).toEqual({ value: { text: 'LOS merah' } });
		expect(buildValue('photos', draft({ attachment_ids: ['a', 'b'] }))).toEqual({ value: { attachment_ids: ['a', 'b'] } });
		expect(buildValue('signature', draft({ attachment_id: 'a', signer: 'Ibu Sari' }))).toEqual({ value: { attachment_id: 'a', signer: 'Ibu Sari' } });
	});

	it('shows a recorded value in the form, the Indonesian way', () => {
		expect(draftOf(entry({ value: { dbm: -19.4 } as never }), 'id').dbm).toBe('-19,4');
		expect(draftOf(entry({ value: { dbm: -19.4 } as never }), 'en').dbm).toBe('-19.4');
		const speed = draftOf(entry({ kind: 'speed_test', value: { download_mbps: 50, upload_mbps: 20, ping_ms: null } as never }), 'id');
		expect([speed.download_mbps, speed.upload_mbps, speed.ping_ms]).toEqual(['50', '20', '']);
		expect(draftOf(entry({ kind: 'photos', value: { attachment_ids: ['x'], sha256: ['h'] } as never })).attachment_ids).toEqual(['x']);
		expect(draftOf(entry({})).dbm).toBe('');
	});

	it('puts a server field error at the entry\'s input', () => {
		expect(draftField('value.dbm', 'optical_power')).toBe('dbm');
		expect(draftField('value.attachment_ids[0]', 'photos')).toBe('attachment_ids');
		expect(draftField('value.attachment_id', 'signature')).toBe('attachment_id');
		expect(draftField('value.signer', 'signature')).toBe('signer');
		expect(draftField('value', 'odp_port')).toBe('port');
		expect(draftField('value.ping_ms', 'speed_test')).toBe('ping_ms');
		expect(draftField('reason', 'text')).toBeNull();
	});
});

describe('progress and the reading recorded', () => {
	const list = (values: (object | null)[], required = values.map(() => true)): Pick<JobChecklist, 'entries'> => ({
		entries: values.map((value, i) => entry({ key: `k${i}`, value: value as never, required: required[i]! }))
	});

	it('counts the required entries recorded', () => {
		expect(progress(list([{ dbm: -20 }, null, { dbm: -21 }]))).toEqual({ done: 2, total: 3 });
		expect(progress(list([{ dbm: -20 }, null], [true, false]))).toEqual({ done: 1, total: 1 });
		expect(progress(list([]))).toEqual({ done: 0, total: 0 });
	});

	it('reads the dBm recorded', () => {
		expect(recordedDbm(list([{ dbm: -26.2 }]))).toBe(-26.2);
		expect(recordedDbm(list([null]))).toBeNull();
	});

	it('documents from acceptance until resolution', () => {
		expect(['accepted', 'en_route', 'on_site', 'pending'].every((s) => isDocumented(s as never))).toBe(true);
		expect(['new', 'assigned', 'resolved', 'closed', 'cancelled'].some((s) => isDocumented(s as never))).toBe(false);
	});
});

describe('what a photo carries', () => {
	const at = new Date('2026-11-25T07:05:09Z');

	it('stamps the time in the ISP\'s zone and the coordinates', () => {
		expect(stampLines({ at, lat: -6.9147, lng: 107.60981, accuracy: 12.4 }, 'Asia/Jakarta', 'Lokasi tidak tersedia')).toEqual([
			'25-11-2026 14:05:09 WIB',
			'-6.914700, 107.609810 ±12 m'
		]);
		expect(stampLines({ at }, 'Asia/Makassar', 'Lokasi tidak tersedia')).toEqual(['25-11-2026 15:05:09 WITA', 'Lokasi tidak tersedia']);
	});

	it('writes coordinates only when both are known', () => {
		expect(coordinatesText({ lat: -6.9, lng: 107.6 })).toBe('-6.900000, 107.600000');
		expect(coordinatesText({ lat: -6.9, lng: null })).toBeNull();
		expect(coordinatesText({ lat: Number.NaN, lng: 1 })).toBeNull();
	});

	it('sends the time always and the position when the phone gave it', () => {
		expect(captureFields({ at, lat: -6.9147, lng: 107.60981, accuracy: 12.44 })).toEqual({
			taken_at: '2026-11-25T07:05:09.000Z',
			lat: '-6.9147',
			lng: '107.60981',
			accuracy_m: '12.4'
		});
		expect(captureFields({ at, lat: null, lng: null })).toEqual({ taken_at: '2026-11-25T07:05:09.000Z' });
	});

	it('fits a picture within 1600 px on its long side, never larger', () => {
		expect(fitWithin(4000, 3000)).toEqual({ width: 1600, height: 1200 });
		expect(fitWithin(3000, 4000)).toEqual({ width: 1200, height: 1600 });
		expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
	});
});

describe('the band as an admin types it', () => {
	it('reads commas and says what is not a number', () => {
		expect(bandForm(band, 'id')).toEqual({ weakest: '-25', warn_from: '-23' });
		expect(bandBody({ weakest: '-25,5', warn_from: '-23' })).toEqual({ band: { weakest: -25.5, warn_from: -23 } });
		expect(bandBody({ weakest: '', warn_from: 'x' })).toEqual({
			problems: [
				{ field: 'weakest', code: 'required' },
				{ field: 'warn_from', code: 'format' }
			]
		});
	});
});
