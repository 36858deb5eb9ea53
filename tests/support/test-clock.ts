import { afterAll } from 'vitest';

/**
 * The clock of the test process (server included: the integration tests run the console in
 * the same process). `Date` is shifted by a fixed offset and runs at real speed, so timers,
 * sockets and database round trips behave as usual and a second waited is a second on the
 * clock; PostgreSQL keeps its own clock.
 *
 * `TEST_CLOCK=2026-12-07T23:30:00+01:00 npx vitest run ...` starts the whole run at that
 * instant, as if the machine's clock said so: the vitest projects `clock:*` run the business-time
 * tests this way, at a weekday morning, a Saturday night, a holiday eve and the DST fall-back.
 */
const RealDate = globalThis.Date;

export function pinClock(at: string | Date): void {
	const target = new RealDate(at instanceof RealDate ? at.getTime() : at).getTime();
	if (Number.isNaN(target)) throw new Error(`pinClock: not an instant: ${String(at)}`);
	const offset = target - RealDate.now();
	const now = () => RealDate.now() + offset;
	// A proxy, not a subclass: `Date.prototype` stays the same object, so dates made before and
	// after pinning are all `instanceof Date`.
	globalThis.Date = new Proxy(RealDate, {
		construct: (real, args: unknown[], newTarget) =>
			args.length === 0 ? new real(now()) : Reflect.construct(real, args, newTarget),
		apply: () => new RealDate(now()).toString(),
		get: (real, property, receiver) => (property === 'now' ? now : Reflect.get(real, property, receiver))
	});
}

export function unpinClock(): void {
	globalThis.Date = RealDate;
}

if (process.env.TEST_CLOCK) {
	pinClock(process.env.TEST_CLOCK);
	afterAll(unpinClock);
}
