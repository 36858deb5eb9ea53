import type { Ctx } from '../core/context';
import { log } from '../core/log';
import { expireWrapUps } from './agent-states.service';

/**
 * Ends wrap-ups past their maximum. Every process runs it; the row lock in expireWrapUps makes
 * a second process's attempt a no-op.
 */
export function startWrapUpTimer(ctx: Ctx, everyMs = 5000): () => void {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		expireWrapUps({ ctx, input: undefined })
			.catch((error: unknown) => log.warn('wrap-up expiry failed', { error }))
			.finally(() => (running = false));
	}, everyMs);
	timer.unref();
	return () => clearInterval(timer);
}
