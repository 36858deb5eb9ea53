/**
 * A small seeded PRNG (mulberry32) with the helpers the demo generators need. The same seed
 * gives the same sequence on every machine, so the demo company is identical on every install.
 */
export class Random {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max], both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(probability: number): boolean {
		return this.next() < probability;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Picks by weight: `weights[i]` is the relative frequency of `items[i]`. */
	weighted<T>(items: readonly T[], weights: readonly number[]): T {
		let total = 0;
		for (const w of weights) total += w;
		let r = this.next() * total;
		for (let i = 0; i < items.length; i++) {
			r -= weights[i];
			if (r < 0) return items[i];
		}
		return items[items.length - 1];
	}

	/** `count` distinct items, in random order. */
	sample<T>(items: readonly T[], count: number): T[] {
		return this.shuffle([...items]).slice(0, Math.min(count, items.length));
	}

	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			[items[i], items[j]] = [items[j], items[i]];
		}
		return items;
	}

	/** A uniform offset in [-spread, +spread]. */
	jitter(spread: number): number {
		return (this.next() * 2 - 1) * spread;
	}

	/** `length` decimal digits, the first one in [firstMin, 9]. */
	digits(length: number, firstMin = 0): string {
		let s = String(this.int(firstMin, 9));
		for (let i = 1; i < length; i++) s += String(Math.floor(this.next() * 10));
		return s;
	}
}

/** Coordinates to six decimals (about 10 cm), as a geocoder would give them. */
export function round6(value: number): number {
	return Math.round(value * 1e6) / 1e6;
}
