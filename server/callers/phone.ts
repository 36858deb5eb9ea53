import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { sipUserPart } from './sip-uri';

export interface NormalizedPhone {
	e164: string;
	/** National significant number, reversed: a btree prefix search on it is a suffix search on the number. */
	nsnReversed: string;
	kind: 'landline' | 'mobile' | 'fax' | null;
}

/**
 * Normalises a number as people type it ("02 1234567", "0039 06...", "347-1234567", "+39 347 123 4567")
 * or as a PBX sends it ("sip:+390212345678@pbx", "0212345678") to E.164.
 * Returns null when it is not a plausible phone number.
 */
export function normalizePhone(input: string, defaultCountry: string = 'IT'): NormalizedPhone | null {
	// SIP and tel URIs: keep the user part only (percent-encoded there).
	let text = sipUserPart(input);
	if (text !== input.trim()) text = decodeURIComponent(text);
	text = text.replace(/[\s\-./()]/g, '');
	// International prefix written with 00 instead of +.
	if (/^00[1-9]/.test(text)) text = `+${text.slice(2)}`;
	if (!/^\+?\d{4,17}$/.test(text)) return null;
	const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode);
	if (!parsed || !parsed.isPossible()) return null;
	const type = parsed.getType();
	return {
		e164: parsed.number,
		nsnReversed: reverse(parsed.nationalNumber),
		kind: type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' ? 'landline' : null
	};
}

/** The digits of a possibly partial number, reversed, for suffix matching. */
export function reversedDigits(input: string): string {
	return reverse(input.replace(/\D/g, ''));
}

function reverse(s: string): string {
	return s.split('').reverse().join('');
}
