/**
 * The user part of a SIP or tel URI ("sip:+390212345678@pbx;user=phone" -> "+390212345678"), or
 * the text itself, trimmed. No dependencies: the browser's softphone uses it too.
 */
export function sipUserPart(text: string): string {
	const trimmed = text.trim();
	return /^(?:sips?|tel):([^@;>]+)/i.exec(trimmed)?.[1] ?? trimmed;
}
