import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './tests/support/chromium';

const port = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://localhost:${port}`;

/**
 * Browser tests against the built console (`npm run build` first) on a fresh PostgreSQL
 * database with the demo company; see tests/e2e/start-server.ts. Debian's Chromium is used:
 * `npx playwright install` cannot download browsers on this machine.
 */
export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/playwright',
	fullyParallel: false,
	workers: 2,
	forbidOnly: !!process.env.CI,
	retries: 0,
	timeout: 45_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL,
		// Writes must carry the console's Origin (docs/security.md). Chromium sends it on every
		// write of the pages; this gives Playwright's own request API (test set-up) the same.
		extraHTTPHeaders: { origin: baseURL },
		locale: 'it-IT',
		timezoneId: 'Europe/Rome',
		viewport: { width: 1440, height: 900 },
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: { executablePath: chromiumPath, args: chromiumArgs }
	},
	projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
	webServer: {
		command: 'npx tsx tests/e2e/start-server.ts',
		url: `${baseURL}/api/health`,
		env: { E2E_PORT: String(port) },
		reuseExistingServer: false,
		// First start seeds the demo company (and builds if the bundle is stale).
		timeout: 300_000,
		stdout: 'pipe',
		stderr: 'pipe',
		// SIGTERM lets start-server.ts stop the console and drop its database.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 }
	}
});
