import { z } from 'zod';
import { callerCard } from '../callers/callers.schemas';
import { ticketRow } from '../tickets/tickets.schemas';

export const customerIdParam = z.object({ id: z.uuid('id must be a UUID') });

const phone = z.object({
	id: z.uuid(),
	raw: z.string(),
	e164: z.string(),
	kind: z.enum(['landline', 'mobile', 'fax'])
});

export const customerSummary = z.object({
	id: z.uuid(),
	code: z.string(),
	companyName: z.string(),
	vatNumber: z.string().nullable(),
	city: z.string().nullable(),
	province: z.string().nullable(),
	blocked: z.boolean()
});
export type CustomerSummary = z.infer<typeof customerSummary>;

export const customerDetail = z.object({
	id: z.uuid(),
	code: z.string(),
	companyName: z.string(),
	vatNumber: z.string().nullable(),
	taxCode: z.string().nullable(),
	paymentTerms: z.string().nullable(),
	email: z.string().nullable(),
	notes: z.string().nullable(),
	blocked: z.boolean(),
	isDealer: z.boolean(),
	version: z.number().int(),
	billingCustomer: z.object({ id: z.uuid(), companyName: z.string() }).nullable(),
	dealer: z.object({ id: z.uuid(), companyName: z.string() }).nullable(),
	accountManager: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
	addresses: z.array(
		z.object({
			id: z.uuid(),
			kind: z.string(),
			street: z.string(),
			postalCode: z.string().nullable(),
			city: z.string(),
			province: z.string().nullable(),
			latitude: z.number().nullable(),
			longitude: z.number().nullable()
		})
	),
	phones: z.array(phone),
	contacts: z.array(
		z.object({
			id: z.uuid(),
			firstName: z.string(),
			lastName: z.string(),
			role: z.string().nullable(),
			email: z.string().nullable(),
			phones: z.array(phone)
		})
	),
	machines: z.array(
		z.object({
			id: z.uuid(),
			serialNumber: z.string(),
			model: z.string(),
			manufacturer: z.string(),
			siteStreet: z.string().nullable(),
			siteCity: z.string().nullable(),
			siteProvince: z.string().nullable(),
			status: z.string(),
			installedOn: z.string().nullable(),
			partsWarrantyUntil: z.string().nullable(),
			labourWarrantyUntil: z.string().nullable()
		})
	),
	contracts: z.array(
		z.object({
			id: z.uuid(),
			code: z.string(),
			status: z.string(),
			serviceLevel: z.string(),
			startsOn: z.string(),
			endsOn: z.string(),
			autoRenewal: z.boolean(),
			lines: z.number().int(),
			/** Its voci: one per machine, with the visit frequency. */
			contractLines: z.array(
				z.object({
					id: z.uuid(),
					machineId: z.uuid(),
					serialNumber: z.string(),
					model: z.string(),
					visitEveryMonths: z.number().int(),
					notes: z.string().nullable()
				})
			)
		})
	),
	/** The customer's tickets in the centres the reader may see: open first, then the latest (50 at most). */
	tickets: z.array(ticketRow),
	/** The last finished calls with the customer, as on the landing card; empty without calls:read. */
	recentCalls: callerCard.shape.recentCalls,
	/** The latest actions and notes on the customer's tickets, newest first. */
	recentActivities: callerCard.shape.recentActivities
});
export type CustomerDetail = z.infer<typeof customerDetail>;

export const customerPatch = z
	.object({
		version: z.number({ error: 'version is required' }).int().positive(),
		companyName: z.string().trim().min(2, 'companyName must have at least 2 characters').max(200).optional(),
		vatNumber: z
			.string()
			.trim()
			.regex(/^\d{11}$/, 'vatNumber must be 11 digits')
			.nullable()
			.optional(),
		email: z.email('email is not a valid address').nullable().optional(),
		paymentTerms: z.string().max(100).nullable().optional(),
		notes: z.string().max(5000).nullable().optional(),
		blocked: z.boolean().optional()
	})
	.strict();
export type CustomerPatch = z.infer<typeof customerPatch>;

export const customerListQuery = z.object({
	q: z.string().trim().max(100).optional(),
	page: z.coerce.number().int().min(1).default(1),
	pageSize: z.coerce.number().int().min(1).max(100).default(25)
});
