import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { consoleDevServer } from './server/dev-plugin';

/**
 * The tests that involve business time never run on the machine's clock: the process clock
 * is pinned (tests/support/test-clock.ts), once at an ordinary working morning and again at
 * instants where business time and wall time part ways. The suite must pass at any hour and
 * on any date: CI runs at night and on holidays too.
 */
const businessClocks = {
	'weekday-morning': '2026-03-04T10:00:00+01:00',
	'saturday-night': '2026-03-07T23:30:00+01:00',
	'holiday-eve': '2026-12-07T22:30:00+01:00',
	'dst-fall-back': '2026-10-25T02:30:00+02:00'
};
const businessTimeTests = [
	'tests/integration/sla.test.ts',
	'tests/integration/tickets.test.ts',
	'tests/integration/tickets-rules.test.ts',
	'tests/integration/desk-config.test.ts'
];

export default defineConfig({
	plugins: [sveltekit(), consoleDevServer()],
	test: {
		// Vitest runs one file at a time on 2 cores by default (CPUs - 1); integration files mostly
		// wait on PostgreSQL and sockets, so three at once use the machine far better.
		maxWorkers: 3,
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'server/**/*.test.ts', 'db/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					exclude: businessTimeTests,
					environment: 'node',
					globalSetup: ['tests/integration/global-setup.ts'],
					setupFiles: ['tests/support/test-clock.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			...Object.entries(businessClocks).map(([name, clock]) => ({
				extends: true as const,
				test: {
					name: `clock:${name}`,
					include: businessTimeTests,
					environment: 'node',
					env: { TEST_CLOCK: clock },
					globalSetup: ['tests/integration/global-setup.ts'],
					setupFiles: ['tests/support/test-clock.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			}))
		]
	}
});
