/**
 * How long to wait before reconnection attempt `attempt` (0-based): exponential from `baseMs`,
 * capped at `maxMs`, with jitter in [50%, 100%] so a PBX restart is not hit by every agent at once.
 */
export function reconnectDelay(
	attempt: number,
	{ baseMs = 500, maxMs = 30_000 } = {},
	random = Math.random
): number {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
	return Math.round(ceiling * (0.5 + random() / 2));
}
