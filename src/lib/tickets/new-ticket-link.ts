import { ticketOrigins, type TicketOrigin } from './tickets-api';

/** What another screen may fill in when it opens the new-ticket form (the softphone's landing card...). */
export interface NewTicketPrefill {
	serviceCenterId?: string;
	customerId?: string;
	contactId?: string;
	machineId?: string;
	/** The call the ticket is opened from (call-log id). */
	callId?: string;
	origin?: TicketOrigin;
	/** The caller's number, shown on the form. */
	phone?: string;
	title?: string;
}

const keys = [
	'serviceCenterId',
	'customerId',
	'contactId',
	'machineId',
	'callId',
	'origin',
	'phone',
	'title'
] as const satisfies ReadonlyArray<keyof NewTicketPrefill>;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ids = new Set<keyof NewTicketPrefill>(['serviceCenterId', 'customerId', 'contactId', 'machineId']);

/** `/tickets/new?customerId=…&origin=phone`: the address of the form, prefilled. */
export function newTicketHref(prefill: NewTicketPrefill = {}): string {
	const params = new URLSearchParams();
	for (const key of keys) {
		const value = prefill[key];
		if (value) params.set(key, value);
	}
	const query = params.toString();
	return query ? `/tickets/new?${query}` : '/tickets/new';
}

/** Reads the prefill back from the address, dropping what is malformed (a hand-edited link). */
export function readNewTicketPrefill(params: URLSearchParams): NewTicketPrefill {
	const prefill: NewTicketPrefill = {};
	for (const key of keys) {
		const value = params.get(key)?.trim();
		if (!value) continue;
		if (ids.has(key) && !uuid.test(value)) continue;
		if (key === 'origin') {
			if ((ticketOrigins as readonly string[]).includes(value)) prefill.origin = value as TicketOrigin;
			continue;
		}
		// A title comes whole: the form counts it against the limit instead of cutting it unseen.
		prefill[key] = key === 'title' ? value : value.slice(0, 200);
	}
	return prefill;
}
