/** What a click-to-call asks for; the softphone listens for `console:dial` on window. */
export interface DialRequest {
	/** E.164, e.g. +390212345678. */
	number: string;
	/** As shown to the user. */
	display: string;
	customerId?: string;
	contactId?: string;
}

/**
 * Asks the softphone to call. Returns false when nothing handled the request (no softphone yet):
 * the softphone marks a request handled with `event.preventDefault()`.
 */
export function dial(request: DialRequest): boolean {
	const event = new CustomEvent<DialRequest>('console:dial', { detail: request, cancelable: true });
	return !window.dispatchEvent(event);
}
