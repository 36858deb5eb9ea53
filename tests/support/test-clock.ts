import { afterAll, vi } from 'vitest';

/**
 * The clock of the test process (server included: the integration tests run the console in
 * the same process). Only `Date` is faked and it keeps advancing with real time, so timers,
 * sockets and database round trips behave as usual; PostgreSQL keeps its own clock.
 *
 * `TEST_CLOCK=2026-12-07T23:30:00+01:00 npx vitest run ...` starts the whole run at that instant,
 * as if the machine's clock said so (`npm run test:clocks` runs the SLA and ticket tests at a
 * Saturday night, a holiday eve and a DST change this way). A test whose expectations need a
 * known instant pins it with `pinClock`, whatever TEST_CLOCK says.
 */
export function pinClock(at: string | Date): void {
	const instant = new Date(at);
	if (Number.isNaN(instant.getTime())) throw new Error(`pinClock: not an instant: ${String(at)}`);
	vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
	vi.setSystemTime(instant);
}

if (process.env.TEST_CLOCK) {
	pinClock(process.env.TEST_CLOCK);
	afterAll(() => vi.useRealTimers());
}
