/**
 * Debian's Chromium for every Playwright run (`npx playwright install` cannot download here), and
 * the flags every launch uses: no sandbox (root in CI), nothing that calls the internet.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/** For calls: a fake microphone granted without asking, and remote audio played unprompted. */
export const fakeMediaArgs = [
	'--use-fake-ui-for-media-stream',
	'--use-fake-device-for-media-stream',
	'--autoplay-policy=no-user-gesture-required'
];
