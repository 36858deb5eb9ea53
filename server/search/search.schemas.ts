import { z } from 'zod';

export const searchQuery = z.object({
	q: z.string({ error: 'q is required' }).trim().min(2, 'q must have at least 2 characters').max(100),
	limit: z.coerce.number().int().min(1).max(50).default(8)
});

export const searchHitKind = z.enum(['customer', 'contact', 'prospect', 'technician', 'machine', 'ticket']);

export const searchHit = z.object({
	kind: searchHitKind,
	id: z.uuid(),
	title: z.string(),
	subtitle: z.string().nullable(),
	/**
	 * The customer the hit belongs to (contacts, machines and tickets belong to a customer): its
	 * page is what a hit opens, but a ticket opens its own page.
	 */
	customerId: z.uuid().nullable(),
	/** The stored number a phone search matched, as it was typed (the UI formats it); else null. */
	phone: z.string().nullable(),
	/** How it matched: the phone number, the VAT number, the serial, the ticket number... */
	matched: z.enum(['phone', 'phone_suffix', 'name', 'vat', 'city', 'serial', 'code', 'number', 'title'])
});
export type SearchHit = z.infer<typeof searchHit>;

export const searchResult = z.object({
	query: z.string(),
	normalizedPhone: z.string().nullable(),
	hits: z.array(searchHit)
});
export type SearchResult = z.infer<typeof searchResult>;
