/** A short, human description of a browser's User-Agent: "Chrome · Android". */

export interface DeviceDescription {
	browser: string | null;
	os: string | null;
}

const BROWSERS: [RegExp, string][] = [
	[/\bEdg(?:e|A|iOS)?\//, 'Edge'],
	[/\bOPR\/|\bOpera\b/, 'Opera'],
	[/\bSamsungBrowser\//, 'Samsung Internet'],
	[/\bFirefox\/|\bFxiOS\//, 'Firefox'],
	[/\bCriOS\/|Chrome\/|\bChromium\//, 'Chrome'],
	[/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
	[/\bcurl\//, 'curl']
];

const SYSTEMS: [RegExp, string][] = [
	[/\bAndroid\b/, 'Android'],
	[/\biPhone\b|\biPad\b|\biPod\b/, 'iOS'],
	[/\bCrOS\b/, 'ChromeOS'],
	[/\bWindows\b/, 'Windows'],
	[/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
	[/\bLinux\b/, 'Linux']
];

export function describeUserAgent(ua: string | null | undefined): DeviceDescription {
	if (!ua) return { browser: null, os: null };
	const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? null;
	const os = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? null;
	return { browser, os };
}
