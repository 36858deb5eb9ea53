import { z } from 'zod';

export const callerKind = z.enum(['customer', 'contact', 'prospect', 'technician']);
export type CallerKind = z.infer<typeof callerKind>;

export const lookupQuery = z.object({
	number: z
		.string({ error: 'number is required' })
		.trim()
		.min(3, 'number must have at least 3 characters')
		.max(200, 'number is too long')
});

export const callerMatch = z.object({
	kind: callerKind,
	id: z.uuid(),
	displayName: z.string(),
	/** The customer a contact belongs to (and a customer's own id). */
	customerId: z.uuid().optional(),
	companyName: z.string().optional(),
	/** The stored number that matched, as it was typed. */
	phone: z.string(),
	/** exact: same E.164; suffix: the national number ends with the digits received. */
	match: z.enum(['exact', 'suffix'])
});
export type CallerMatch = z.infer<typeof callerMatch>;

export const lookupResult = z.object({
	/** The number in E.164, or null when it is not a plausible phone number. */
	normalized: z.string().nullable(),
	matches: z.array(callerMatch)
});
export type LookupResult = z.infer<typeof lookupResult>;

export const cardQuery = z
	.object({
		customerId: z.uuid('customerId must be a UUID').optional(),
		contactId: z.uuid('contactId must be a UUID').optional()
	})
	.refine((q) => q.customerId || q.contactId, {
		message: 'customerId or contactId is required',
		path: ['customerId']
	});
export type CardQuery = z.infer<typeof cardQuery>;

const cardPhone = z.object({
	raw: z.string(),
	e164: z.string(),
	kind: z.enum(['landline', 'mobile', 'fax'])
});

export const warrantyState = z.enum(['in_warranty', 'expired', 'none']);

/** Everything the landing card shows, in one answer: it must render while the phone still rings. */
export const callerCard = z.object({
	customer: z.object({
		id: z.uuid(),
		code: z.string(),
		companyName: z.string(),
		vatNumber: z.string().nullable(),
		email: z.string().nullable(),
		paymentTerms: z.string().nullable(),
		notes: z.string().nullable(),
		blocked: z.boolean(),
		address: z
			.object({
				street: z.string(),
				postalCode: z.string().nullable(),
				city: z.string(),
				province: z.string().nullable()
			})
			.nullable(),
		accountManager: z.string().nullable(),
		phones: z.array(cardPhone)
	}),
	/** The contact who calls, when the number is a contact's. */
	contact: z
		.object({
			id: z.uuid(),
			firstName: z.string(),
			lastName: z.string(),
			role: z.string().nullable(),
			email: z.string().nullable(),
			phones: z.array(cardPhone)
		})
		.nullable(),
	contacts: z.array(
		z.object({ id: z.uuid(), name: z.string(), role: z.string().nullable(), isPrimary: z.boolean() })
	),
	machines: z.array(
		z.object({
			id: z.uuid(),
			serialNumber: z.string(),
			model: z.string(),
			manufacturer: z.string(),
			site: z.string().nullable(),
			status: z.string(),
			partsWarrantyUntil: z.string().nullable(),
			labourWarrantyUntil: z.string().nullable(),
			warranty: warrantyState
		})
	),
	contracts: z.array(
		z.object({
			id: z.uuid(),
			code: z.string(),
			serviceLevel: z.string(),
			startsOn: z.string(),
			endsOn: z.string(),
			autoRenewal: z.boolean(),
			machines: z.number().int()
		})
	),
	openTickets: z.array(
		z.object({
			id: z.uuid(),
			number: z.string(),
			title: z.string(),
			status: z.string(),
			priority: z.string(),
			machineSerial: z.string().nullable(),
			openedAt: z.string(),
			/** The deadline the ticket counts down to (first response, then resolution); null while paused. */
			slaDueAt: z.string().nullable(),
			slaBreached: z.boolean()
		})
	),
	recentCalls: z.array(
		z.object({
			id: z.uuid(),
			direction: z.string(),
			offeredAt: z.string(),
			outcome: z.string().nullable(),
			agent: z.string().nullable(),
			talkSeconds: z.number().int().nullable(),
			disposition: z.string().nullable(),
			wrapUpNote: z.string().nullable()
		})
	),
	/** The latest entries of the customer's tickets' histories (actions, notes, replies), newest first. */
	recentActivities: z.array(
		z.object({
			id: z.uuid(),
			ticketId: z.uuid(),
			ticketNumber: z.string(),
			at: z.string(),
			actorName: z.string(),
			kind: z.string(),
			reasonName: z.string().nullable(),
			note: z.string().nullable(),
			channel: z.string().nullable()
		})
	)
});
export type CallerCard = z.infer<typeof callerCard>;

export const suggestionsQuery = z.object({
	name: z.string({ error: 'name is required' }).trim().min(3, 'name must have at least 3 characters').max(200)
});

export const callerSuggestion = z.object({
	kind: z.enum(['customer', 'contact', 'prospect']),
	id: z.uuid(),
	displayName: z.string(),
	customerId: z.uuid().nullable(),
	companyName: z.string().nullable(),
	/** pg_trgm similarity, 0..1. */
	score: z.number()
});
export type CallerSuggestion = z.infer<typeof callerSuggestion>;

const personName = z.string().trim().min(1, 'is required').max(100);

/** The quick-create card: an unknown number becomes a prospect, or a new contact of a known customer. */
export const quickCreateInput = z.discriminatedUnion('kind', [
	z
		.object({
			kind: z.literal('prospect'),
			firstName: personName.optional(),
			lastName: personName.optional(),
			companyName: z.string().trim().min(2).max(200).optional(),
			city: z.string().trim().max(100).optional(),
			phone: z.string().trim().min(3).max(100)
		})
		.strict()
		.refine((p) => p.lastName || p.companyName, {
			message: 'lastName or companyName is required',
			path: ['lastName']
		}),
	z
		.object({
			kind: z.literal('contact'),
			customerId: z.uuid(),
			firstName: personName,
			lastName: personName,
			role: z.string().trim().max(100).optional(),
			phone: z.string().trim().min(3).max(100)
		})
		.strict()
]);
export type QuickCreateInput = z.infer<typeof quickCreateInput>;

export const screenPopQuery = z.object({
	number: lookupQuery.shape.number,
	/** The display name the PBX sent: suggestions for an unknown number. */
	name: z.string().trim().max(200).optional()
});

/** Everything the landing card needs when a call rings, in one round trip. */
export const screenPopResult = z.object({
	lookup: lookupResult,
	/** The card of the only match (one exact match, or a single match); null otherwise. */
	card: callerCard.nullable(),
	/** The match the card is for. */
	chosen: callerMatch.nullable(),
	/** For an unknown number: suggestions from the PBX's name. */
	suggestions: z.array(callerSuggestion)
});
export type ScreenPopResult = z.infer<typeof screenPopResult>;
