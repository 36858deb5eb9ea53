import { BusinessCalendar, computeDeadline, demoBusinessCalendar, type SlaPause } from './business-calendar';

/**
 * Deadline computations per second on one core: the demo calendar, tickets opened at random
 * instants over 2026, targets of 1h to 80h of business time, one ticket in five with a closed
 * pause. The calendar's years are compiled before timing starts, as they are in a running server.
 */
export async function benchDeadlines(): Promise<{ perSecond: number }> {
	const calendar = new BusinessCalendar(demoBusinessCalendar);
	const yearStart = Date.parse('2026-01-01T00:00:00+01:00');
	const yearMs = 365 * 86_400_000;
	const now = new Date(yearStart + yearMs);

	// A fixed seed keeps runs comparable.
	let seed = 7;
	const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
	const noPauses: SlaPause[] = [];
	const tickets = Array.from({ length: 10_000 }, () => {
		const openedAtMs = yearStart + Math.floor(random() * yearMs);
		const pauseFromMs = openedAtMs + Math.floor(random() * 3 * 86_400_000);
		return {
			openedAt: new Date(openedAtMs),
			targetMinutes: 60 + Math.floor(random() * (80 * 60 - 60)),
			pauses:
				random() < 0.2
					? [{ from: new Date(pauseFromMs), to: new Date(pauseFromMs + Math.floor(random() * 86_400_000)) }]
					: noPauses,
			now
		};
	});

	let checksum = 0;
	const runOnce = () => {
		for (const ticket of tickets) checksum += computeDeadline(calendar, ticket).dueAt?.getTime() ?? 0;
	};
	runOnce(); // compiles 2026-2027 and warms the JIT

	let computations = 0;
	const started = performance.now();
	let elapsedMs = 0;
	while (elapsedMs < 1000) {
		runOnce();
		computations += tickets.length;
		elapsedMs = performance.now() - started;
	}
	if (checksum === 0) throw new Error('benchmark computed nothing');
	return { perSecond: Math.round((computations / elapsedMs) * 1000) };
}
