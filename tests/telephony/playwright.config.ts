import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath, fakeMediaArgs } from '../support/chromium';

const port = Number(process.env.TELEPHONY_E2E_PORT ?? 4180);
const baseURL = `http://127.0.0.1:${port}`;

/**
 * Telephony end-to-end: the built console (embedded PostgreSQL with the demo company) and the SIP
 * rig (Kamailio, rtpengine, sipp) on loopback, Chromium with fake media. Run through
 * tests/telephony/run-e2e.sh, which puts everything in a network namespace that has only `lo`.
 */
export default defineConfig({
	testDir: 'e2e',
	// The screen-pop benchmark is a spec only so that it can drive the browser; `npm run bench` runs it.
	testIgnore: process.env.TELEPHONY_BENCH_CALLS ? [] : ['**/*.bench.spec.ts'],
	outputDir: '../../test-results/telephony',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 120_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL,
		// Writes must carry the console's Origin: Playwright's request API (sign-in) sends it too.
		extraHTTPHeaders: { origin: baseURL },
		locale: 'it-IT',
		timezoneId: 'Europe/Rome',
		viewport: { width: 1440, height: 900 },
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		permissions: ['microphone', 'notifications'],
		launchOptions: {
			executablePath: chromiumPath,
			args: [
				...chromiumArgs,
				...fakeMediaArgs,
				// WebRTC ignores loopback otherwise: in a namespace with only lo no media would flow.
				'--allow-loopback-in-peer-connection'
			]
		}
	},
	projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
	webServer: {
		command: 'node --import tsx tests/telephony/e2e/start-console.ts',
		cwd: '../..',
		url: `${baseURL}/api/health`,
		env: { TELEPHONY_E2E_PORT: String(port) },
		reuseExistingServer: false,
		// First start builds the bundle if stale and seeds the demo company into a new embedded PostgreSQL.
		timeout: 600_000,
		stdout: 'pipe',
		stderr: 'pipe',
		gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 }
	}
});
