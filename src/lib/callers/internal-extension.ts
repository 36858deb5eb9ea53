import { sipUserPart } from '$server/callers/sip-uri';

/**
 * A colleague's extension rather than an outside number: 2 to 5 digits, as a PBX shows an internal
 * caller (outside numbers have at least 6 digits, even with every prefix stripped). Looking it up
 * among customers would only offer to create a prospect for a colleague.
 */
export function internalExtension(number: string): string | null {
	const user = sipUserPart(number);
	return /^\d{2,5}$/.test(user) ? user : null;
}
