import { createSubscriber } from 'svelte/reactivity';

/**
 * The one ticking clock of the tab. Every SLA countdown reads `clock.now`, so a queue of two
 * hundred rows costs one timer, not two hundred, and all of them turn on the same second. It
 * ticks only while something on screen reads it.
 */
class Clock {
	readonly #subscribe = createSubscriber((update) => {
		let timer: ReturnType<typeof setTimeout>;
		// Aligned just past each whole second, so every countdown changes together.
		const schedule = () => {
			timer = setTimeout(
				() => {
					update();
					schedule();
				},
				1010 - (Date.now() % 1000)
			);
		};
		schedule();
		return () => clearTimeout(timer);
	});

	/** Epoch milliseconds; reading it in a template or effect re-runs it every second. */
	get now(): number {
		this.#subscribe();
		return Date.now();
	}
}

export const clock = new Clock();
