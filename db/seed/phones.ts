import { normalizePhone } from '../../server/callers/phone';
import type { Random } from './random';

export interface GeneratedPhone {
	/** As a person typed it: "02 1234567", "+39 347 123 4567", "(051) 234.5678"... */
	raw: string;
	e164: string;
	nsnReversed: string;
	kind: 'landline' | 'mobile';
}

// Real mobile prefixes (TIM, Vodafone, WindTre, Iliad ranges).
const mobilePrefixes = [
	...Array.from({ length: 30 }, (_, i) => String(320 + i)),
	'366',
	...Array.from({ length: 14 }, (_, i) => String(380 + i))
];

const landlineFormats: Array<(area: string, number: string) => string> = [
	(a, n) => `${a} ${n}`,
	(a, n) => `${a} ${n}`,
	(a, n) => `${a}/${n}`,
	(a, n) => `${a}-${n}`,
	(a, n) => `(${a}) ${n.slice(0, 3)}.${n.slice(3)}`,
	(a, n) => `+39 ${a} ${n}`,
	(a, n) => `0039 ${a} ${n}`,
	(a, n) => `${a}${n}`,
	(a, n) => `${a} ${n.slice(0, 3)} ${n.slice(3)}`
];

const mobileFormats: Array<(prefix: string, number: string) => string> = [
	(p, n) => `+39 ${p} ${n.slice(0, 3)} ${n.slice(3)}`,
	(p, n) => `${p}-${n}`,
	(p, n) => `${p} ${n}`,
	(p, n) => `${p} ${n}`,
	(p, n) => `${p}${n}`,
	(p, n) => `0039 ${p} ${n}`,
	(p, n) => `+39${p}${n}`,
	(p, n) => `${p}.${n.slice(0, 3)}.${n.slice(3, 5)}.${n.slice(5)}`,
	(p, n) => `${p} ${n.slice(0, 3)} ${n.slice(3)}`
];

/**
 * Hands out Italian phone numbers that the app's own normaliser accepts, each used once in the
 * whole data set, so that caller-ID always finds exactly one owner.
 */
export class PhoneFactory {
	// E.164 digits fit in a double exactly; numbers keep the set small at millions of entries.
	private readonly used = new Set<number>();

	constructor(private readonly random: Random) {}

	get count(): number {
		return this.used.size;
	}

	/** A landline in the district of `areaCode` (with its leading 0); Italian numbers are 6 to 11 digits long. */
	landline(areaCode: string): GeneratedPhone {
		const subscriberLength = areaCode.length === 2 ? (this.random.chance(0.8) ? 8 : 7) : 10 - areaCode.length;
		return this.unique('landline', () => {
			const number = this.random.digits(subscriberLength, 2);
			return this.random.pick(landlineFormats)(areaCode, number);
		});
	}

	mobile(): GeneratedPhone {
		return this.unique('mobile', () => {
			const prefix = this.random.pick(mobilePrefixes);
			return this.random.pick(mobileFormats)(prefix, this.random.digits(7));
		});
	}

	private unique(kind: GeneratedPhone['kind'], draw: () => string): GeneratedPhone {
		for (let attempt = 0; attempt < 1000; attempt++) {
			const raw = draw();
			const normalized = normalizePhone(raw, 'IT');
			if (!normalized || normalized.kind !== kind) continue;
			const key = Number(normalized.e164.slice(1));
			if (this.used.has(key)) continue;
			this.used.add(key);
			return { raw, e164: normalized.e164, nsnReversed: normalized.nsnReversed, kind };
		}
		throw new Error(`could not draw a unique ${kind} number`);
	}
}
