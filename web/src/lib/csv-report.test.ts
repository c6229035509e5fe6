import { describe, expect, it } from 'vitest';
import { apiErrorFromResponse } from '$lib/api/problem';
import { badLineCount, fileNameFrom, problemRows, readCsvFile, reportRows } from './csv-report';

describe('CSV import report table', () => {
	it('lists a dry run report in file order', () => {
		const rows = reportRows({
			errors: [
				{ line: 7, field: 'port_count', code: 'choice', detail: '4, 8, 16 or 24' },
				{ line: 3, field: 'lat', code: 'format', detail: '"abc" is not a number' },
				{ line: 3, field: 'radius_m', code: 'range', detail: 'between 100 and 50000 metres' }
			]
		});
		expect(rows).toEqual([
			{ line: 3, field: 'lat', detail: '"abc" is not a number' },
			{ line: 3, field: 'radius_m', detail: 'between 100 and 50000 metres' },
			{ line: 7, field: 'port_count', detail: '4, 8, 16 or 24' }
		]);
		const worded = reportRows(
			{ errors: [{ line: 4, field: 'code', code: 'duplicate', detail: 'also on line 2' }] },
			(e) => `${e.code}:${e.detail}`
		);
		expect(worded).toEqual([{ line: 4, field: 'code', detail: 'duplicate:also on line 2' }]);
		expect(badLineCount(rows)).toBe(2);
	});

	it('passes the values the server sends (params) to the wording', () => {
		const rows = reportRows(
			{ errors: [{ line: 2, field: 'package', code: 'not_on_sale', detail: 'Rumah 10 is no longer on sale', params: { package: 'Rumah 10' } }] },
			(e) => `${e.code}:${String(e.params?.package)}`
		);
		expect(rows).toEqual([{ line: 2, field: 'package', detail: 'not_on_sale:Rumah 10' }]);
		const refused = apiErrorFromResponse(
			{ status: 422 },
			{
				type: '/problems/validation',
				title: 'Invalid input',
				status: 422,
				errors: [{ field: 'line 4: status', code: 'choice', detail: 'x', params: { allowed: ['prospect', 'active'] } }]
			}
		);
		expect(problemRows(refused, (e) => `${e.code}:${JSON.stringify(e.params)}`)).toEqual([
			{ line: 4, field: 'status', detail: 'choice:{"allowed":["prospect","active"]}' }
		]);
	});

	it('reads the lines of a refused import from the problem', () => {
		const error = apiErrorFromResponse(
			{ status: 422 },
			{
				type: '/problems/validation',
				title: 'Invalid input',
				status: 422,
				errors: [
					{ field: 'line 12: odc_code', detail: 'no ODC ODC-X' },
					{ field: 'line 3: lat', detail: '"abc" is not a number' }
				]
			}
		);
		expect(problemRows(error)).toEqual([
			{ line: 3, field: 'lat', detail: '"abc" is not a number' },
			{ line: 12, field: 'odc_code', detail: 'no ODC ODC-X' }
		]);
	});

	it('puts a wrong header on line 1 and keeps other fields without a line', () => {
		const error = apiErrorFromResponse(
			{ status: 422 },
			{
				type: '/problems/validation',
				title: 'Invalid input',
				status: 422,
				errors: [
					{ field: 'file', detail: 'not UTF-8' },
					{ field: 'header', detail: 'expected code,name,city,lat,lng,radius_m' }
				]
			}
		);
		expect(problemRows(error)).toEqual([
			{ line: null, field: 'file', detail: 'not UTF-8' },
			{ line: 1, field: 'header', detail: 'expected code,name,city,lat,lng,radius_m' }
		]);
	});

	it('words each error with the given text and reads a line without a column', () => {
		const error = apiErrorFromResponse(
			{ status: 422 },
			{
				type: '/problems/validation',
				title: 'Invalid input',
				status: 422,
				errors: [
					{ field: 'line 4', code: 'format', detail: 'found record with 3 fields, but the previous record has 6 fields' },
					{ field: 'line 2: lat', code: 'invalid', detail: '"x" is not a number' }
				]
			}
		);
		expect(problemRows(error, (e) => (e.code === 'invalid' ? e.detail : `<${e.code}>`))).toEqual([
			{ line: 2, field: 'lat', detail: '"x" is not a number' },
			{ line: 4, field: '', detail: '<format>' }
		]);
	});

	it('has no rows for errors that are not about the file', () => {
		expect(problemRows(apiErrorFromResponse({ status: 403 }, { type: '/problems/forbidden', title: 'Forbidden', status: 403 }))).toEqual([]);
		expect(problemRows(new TypeError('offline'))).toEqual([]);
	});

	it('drops the byte-order mark of exported files', async () => {
		expect(await readCsvFile(new Blob(['\ufeffcode,name\n']))).toBe('code,name\n');
		expect(await readCsvFile(new Blob(['code,name\n']))).toBe('code,name\n');
	});

	it('takes the download name from Content-Disposition', () => {
		expect(fileNameFrom('attachment; filename="netcrew-areas-20261125.csv"', 'x.csv')).toBe('netcrew-areas-20261125.csv');
		expect(fileNameFrom(null, 'areas.csv')).toBe('areas.csv');
		expect(fileNameFrom('attachment; filename="../etc/passwd"', 'areas.csv')).toBe('areas.csv');
	});
});
