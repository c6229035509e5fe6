import { describe, expect, it } from 'vitest';
import {
	CODE_LENGTH,
	codeDigits,
	isCompleteCode,
	methodUrl,
	phoneFromLogin,
	phoneShown,
	RESEND_SECONDS,
	resendWait,
	signInMethod,
	waitMinutes
} from './sign-in-code';

describe('signing in with a WhatsApp code', () => {
	it('opens the code when the address or the page state asks for it, the password otherwise', () => {
		expect(signInMethod('code')).toBe('code');
		expect(signInMethod(null)).toBe('password');
		expect(signInMethod('password')).toBe('password');
		expect(signInMethod('CODE')).toBe('password');
	});

	it('puts the way of signing in into the address and keeps where the user was going', () => {
		const url = new URL('http://netcrew.test/login?next=%2Faccount%2Ftickets');
		const code = methodUrl(url, 'code');
		expect(code.pathname).toBe('/login');
		expect(code.searchParams.get('with')).toBe('code');
		expect(code.searchParams.get('next')).toBe('/account/tickets');
		const back = methodUrl(code, 'password');
		expect(back.searchParams.has('with')).toBe(false);
		expect(back.searchParams.get('next')).toBe('/account/tickets');
		expect(url.searchParams.has('with'), 'the address given is not changed').toBe(false);
	});

	it('keeps what was typed in the login field only when it looks like a phone number', () => {
		expect(phoneFromLogin(' 0812-3456-7890 ')).toBe('0812-3456-7890');
		expect(phoneFromLogin('+62 812 3456 7890')).toBe('+62 812 3456 7890');
		expect(phoneFromLogin('rina@fibernusa.example')).toBe('');
		expect(phoneFromLogin('0812')).toBe('');
		expect(phoneFromLogin('')).toBe('');
		expect(phoneFromLogin(undefined)).toBe('');
		expect(phoneFromLogin(81234567890)).toBe('');
	});

	it('reads a typed or pasted code as its six digits', () => {
		expect(codeDigits('123456')).toBe('123456');
		expect(codeDigits('123 456')).toBe('123456');
		expect(codeDigits(' 123-456 ')).toBe('123456');
		expect(codeDigits('12a3')).toBe('123');
		expect(codeDigits('1234567')).toBe('123456');
		// The whole message pasted: the code comes first.
		expect(codeDigits('482913 adalah kode masuk FiberNusa Anda. Berlaku sekali, selama 5 menit.')).toBe('482913');
		expect(codeDigits('')).toBe('');
		expect(CODE_LENGTH).toBe(6);
	});

	it('knows a complete code', () => {
		expect(isCompleteCode('000000')).toBe(true);
		expect(isCompleteCode('12345')).toBe(false);
		expect(isCompleteCode('1234567')).toBe(false);
		expect(isCompleteCode('12 456')).toBe(false);
	});

	it('offers "send again" a minute after the last code was asked for', () => {
		const at = 1_700_000_000_000;
		expect(RESEND_SECONDS).toBe(60);
		expect(resendWait(null, at)).toBe(0);
		expect(resendWait(at, at)).toBe(60);
		expect(resendWait(at, at + 1)).toBe(60);
		expect(resendWait(at, at + 59_001)).toBe(1);
		expect(resendWait(at, at + 60_000)).toBe(0);
		expect(resendWait(at, at + 600_000)).toBe(0);
		// A clock set back never makes the wait longer than a minute.
		expect(resendWait(at, at - 30_000)).toBe(60);
		expect(resendWait(at, at + 10_000, 30)).toBe(20);
	});

	it('says the wait after too many tries in whole minutes, at least one', () => {
		expect(waitMinutes(812)).toBe(14);
		expect(waitMinutes(60)).toBe(1);
		expect(waitMinutes(61)).toBe(2);
		expect(waitMinutes(5)).toBe(1);
		expect(waitMinutes(null)).toBe(1);
		expect(waitMinutes(undefined)).toBe(1);
		expect(waitMinutes(0)).toBe(1);
		expect(waitMinutes(Number.NaN)).toBe(1);
	});

	it('shows the number the code went to the way people say it', () => {
		expect(phoneShown('081234567890')).toBe('0812 3456 7890');
		expect(phoneShown('+62 812-3456-7890')).toBe('0812 3456 7890');
		expect(phoneShown('6281234567890')).toBe('0812 3456 7890');
		expect(phoneShown('0812.3456.789')).toBe('0812 3456 789');
		expect(phoneShown('+62 0812 3456 7890')).toBe('0812 3456 7890');
		expect(phoneShown(' +1 555 123 4567 ')).toBe('+1 555 123 4567');
		expect(phoneShown('(022) 250 1234')).toBe('(022) 250 1234');
	});
});
