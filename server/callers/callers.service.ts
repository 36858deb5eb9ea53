import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, inArray, ne, or, sql } from 'drizzle-orm';
import {
	prospects,
	contacts,
	contracts,
	customerAddresses,
	customers,
	machineModels,
	machines,
	phoneNumbers,
	users
} from '../../db/schema';
import type { DbOrTx } from '../../db/client';
import { inTransaction, type Ctx, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { badRequest, notFound } from '../core/errors';
import { normalizePhone, reversedDigits } from './phone';
import { sipUserPart } from './sip-uri';
import { toMatch } from './owner-row';
import type {
	CallerCard,
	CallerMatch,
	CallerSuggestion,
	CardQuery,
	LookupResult,
	QuickCreateInput,
	ScreenPopResult
} from './callers.schemas';

/** Fewer digits than this match too many numbers to be a caller ID (at most 10 matches come back). */
const minSuffixDigits = 6;

/**
 * Caller ID: who owns this number? Exact E.164 matches; when there are none, numbers whose
 * national significant number ends with the digits received (a PBX that strips the trunk prefix
 * or the area code's 0). Answered from the in-process caller index (caller-index.ts) when it is
 * loaded; otherwise one round trip to `caller_lookup` (db/migrations/0005_caller_lookup.sql): each
 * branch is a range scan of a btree index that holds the owner columns, the suffix branch only
 * runs when the exact one found nothing, and its plan is made once per connection.
 */
export async function lookupCaller({
	ctx,
	input,
	defaultCountry
}: ServiceArgs<{ number: string }> & { defaultCountry: string }): Promise<LookupResult> {
	authorize(ctx.actor, 'callers:lookup');
	const normalized = normalizePhone(input.number, defaultCountry);
	const suffixKey = normalized?.nsnReversed ?? reversedDigits(sipUserPart(input.number));
	const suffix = suffixKey.length >= minSuffixDigits ? suffixKey : null;
	if (!normalized && !suffix) return { normalized: null, matches: [] };
	return {
		normalized: normalized?.e164 ?? null,
		matches: await findPhoneOwners(ctx, { e164: normalized?.e164 ?? null, suffix })
	};
}

/**
 * Who owns a number: exact E.164 matches, else (given a reversed-digits key) suffix matches; at
 * most 10. Caller ID and the global search box both ask this way. Callers authorise.
 */
export async function findPhoneOwners(
	ctx: Ctx,
	key: { e164: string | null; suffix: string | null }
): Promise<CallerMatch[]> {
	// The in-process index answers the same from memory, once loaded and caught up.
	const known = ctx.callerIndex?.lookup(key);
	if (known) return known;
	const rows = await ownersQuery(ctx.db).execute({ e164: key.e164 ?? '', suffix: key.suffix });
	return rows.map((row) => toMatch(row, row.match));
}

const hit = <T>(column: string) => sql<T>`${sql.raw(`hits.${column}`)}`;

/** Named, so postgres.js prepares it once per connection. */
function ownersQuery(db: Ctx['db']) {
	return db
		.select({
			match: hit<CallerMatch['match']>('match'),
			customerId: hit<string | null>('customer_id'),
			contactId: hit<string | null>('contact_id'),
			prospectId: hit<string | null>('prospect_id'),
			technicianId: hit<string | null>('technician_id'),
			raw: hit<string>('raw'),
			customerName: hit<string | null>('customer_name'),
			contactName: hit<string | null>('contact_name'),
			contactCustomerId: hit<string | null>('contact_customer_id'),
			contactCompany: hit<string | null>('contact_company'),
			prospectName: hit<string | null>('prospect_name'),
			prospectCompany: hit<string | null>('prospect_company'),
			technicianName: hit<string | null>('technician_name')
		})
		.from(sql`caller_lookup(${sql.placeholder('e164')}, ${sql.placeholder('suffix')}::text) as hits`)
		.prepare('callers_lookup');
}

/**
 * A customer's open tickets and the latest activities on their tickets, for the card; the tickets
 * domain plugs its reader in at start-up.
 */
export type TicketsReader = (
	ctx: Ctx,
	customerId: string
) => Promise<{
	openTickets: Array<Omit<CallerCard['openTickets'][number], 'machineSerial'> & { machineId: string | null }>;
	recentActivities: CallerCard['recentActivities'];
}>;
/** The customer's last calls for the card; the calls domain plugs its reader in at start-up. */
export type RecentCallsReader = (ctx: Ctx, customerId: string) => Promise<CallerCard['recentCalls']>;

export interface CardReaders {
	tickets?: TicketsReader;
	recentCalls?: RecentCallsReader;
}

/**
 * The landing card, in one answer: master data, the calling contact, machines in the field with
 * their warranty, active contracts, open tickets with SLA deadlines and the last calls. The queries
 * run concurrently; each is an index lookup on the customer.
 */
export async function getCallerCard({
	ctx,
	input,
	readers = {},
	today = italianToday()
}: ServiceArgs<CardQuery> & { readers?: CardReaders; today?: string }): Promise<CallerCard> {
	authorize(ctx.actor, 'customers:read');
	let customerId = input.customerId;
	if (input.contactId && !customerId) {
		const [contact] = await ctx.db
			.select({ customerId: contacts.customerId })
			.from(contacts)
			.where(eq(contacts.id, input.contactId));
		if (!contact) throw notFound('Contact');
		customerId = contact.customerId;
	}
	const id = customerId!;
	const [customerRows, address, contactRows, phones, machineRows, contractRows, ticketsPart, recentCalls] =
		await Promise.all([
			ctx.db
				.select({ customer: customers, accountManager: users.displayName })
				.from(customers)
				.leftJoin(users, eq(users.id, customers.accountManagerId))
				.where(eq(customers.id, id)),
			ctx.db
				.select()
				.from(customerAddresses)
				.where(eq(customerAddresses.customerId, id))
				.orderBy(sql`(${customerAddresses.kind} = 'registered') desc`)
				.limit(1),
			ctx.db
				.select()
				.from(contacts)
				.where(eq(contacts.customerId, id))
				.orderBy(desc(contacts.isPrimary), asc(contacts.lastName)),
			ctx.db
				.select({
					raw: phoneNumbers.raw,
					e164: phoneNumbers.e164,
					kind: phoneNumbers.kind,
					contactId: phoneNumbers.contactId
				})
				.from(phoneNumbers)
				.where(
					input.contactId
						? or(eq(phoneNumbers.customerId, id), eq(phoneNumbers.contactId, input.contactId))
						: eq(phoneNumbers.customerId, id)
				),
			ctx.db
				.select({
					id: machines.id,
					serialNumber: machines.serialNumber,
					model: machineModels.name,
					manufacturer: machineModels.manufacturer,
					siteStreet: machines.siteStreet,
					siteCity: machines.siteCity,
					siteProvince: machines.siteProvince,
					status: machines.status,
					partsWarrantyUntil: machines.partsWarrantyUntil,
					labourWarrantyUntil: machines.labourWarrantyUntil
				})
				.from(machines)
				.innerJoin(machineModels, eq(machineModels.id, machines.modelId))
				.where(and(eq(machines.customerId, id), inArray(machines.status, ['in_service', 'refurbished'])))
				.orderBy(asc(machines.serialNumber))
				.limit(100),
			ctx.db
				.select({
					id: contracts.id,
					code: contracts.code,
					serviceLevel: contracts.serviceLevel,
					startsOn: contracts.startsOn,
					endsOn: contracts.endsOn,
					autoRenewal: contracts.autoRenewal,
					// Qualified by hand: inside a subquery Drizzle would render the outer column unqualified.
					machines: sql<number>`(select count(*)::int from contract_lines cl where cl.contract_id = "contracts"."id")`
				})
				.from(contracts)
				.where(
					and(
						eq(contracts.customerId, id),
						eq(contracts.status, 'active'),
						sql`${contracts.endsOn} >= ${today}`
					)
				)
				.orderBy(asc(contracts.endsOn)),
			readers.tickets ? readers.tickets(ctx, id) : Promise.resolve({ openTickets: [], recentActivities: [] }),
			readers.recentCalls ? readers.recentCalls(ctx, id) : Promise.resolve([])
		]);
	const { openTickets, recentActivities } = ticketsPart;
	const [row] = customerRows;
	if (!row) throw notFound('Customer');
	const c = row.customer;
	const phoneOf = (p: (typeof phones)[number]) => ({ raw: p.raw, e164: p.e164, kind: p.kind });
	const caller = input.contactId ? contactRows.find((ct) => ct.id === input.contactId) : undefined;
	// Checked here rather than first: one round trip less while the phone rings.
	if (input.contactId && !caller) throw notFound('Contact');
	const serials = new Map(machineRows.map((m) => [m.id, m.serialNumber]));
	const a = address[0];
	return {
		customer: {
			id: c.id,
			code: c.code,
			companyName: c.companyName,
			vatNumber: c.vatNumber,
			email: c.email,
			paymentTerms: c.paymentTerms,
			notes: c.notes,
			blocked: c.blocked,
			address: a ? { street: a.street, postalCode: a.postalCode, city: a.city, province: a.province } : null,
			accountManager: row.accountManager,
			phones: phones.filter((p) => !p.contactId).map(phoneOf)
		},
		contact: caller
			? {
					id: caller.id,
					firstName: caller.firstName,
					lastName: caller.lastName,
					role: caller.role,
					email: caller.email,
					phones: phones.filter((p) => p.contactId === caller.id).map(phoneOf)
				}
			: null,
		contacts: contactRows.map((ct) => ({
			id: ct.id,
			name: `${ct.firstName} ${ct.lastName}`,
			role: ct.role,
			isPrimary: ct.isPrimary
		})),
		machines: machineRows.map((m) => ({
			id: m.id,
			serialNumber: m.serialNumber,
			model: m.model,
			manufacturer: m.manufacturer,
			site:
				[m.siteStreet, [m.siteCity, m.siteProvince ? `(${m.siteProvince})` : null].filter(Boolean).join(' ')]
					.filter(Boolean)
					.join(', ') || null,
			status: m.status,
			partsWarrantyUntil: m.partsWarrantyUntil,
			labourWarrantyUntil: m.labourWarrantyUntil,
			warranty: warrantyOf(m, today)
		})),
		contracts: contractRows,
		openTickets: openTickets.map(({ machineId, ...ticket }) => ({
			...ticket,
			machineSerial: machineId ? (serials.get(machineId) ?? null) : null
		})),
		recentCalls,
		recentActivities
	};
}

/** In warranty while parts or labour cover has not ended (the end date included). */
export function warrantyOf(
	m: { partsWarrantyUntil: string | null; labourWarrantyUntil: string | null },
	today: string
): 'in_warranty' | 'expired' | 'none' {
	const ends = [m.partsWarrantyUntil, m.labourWarrantyUntil].filter((d): d is string => d !== null);
	if (ends.length === 0) return 'none';
	return ends.some((d) => d >= today) ? 'in_warranty' : 'expired';
}

/** Dates in the card are calendar dates in Italy, where the machines are. */
function italianToday(now = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(now);
}

/**
 * Fuzzy suggestions for an unknown number, from the name the PBX sent ("ROSSI MARIO", "Officine
 * Rossi"): customers, contacts and prospects by trigram similarity, on their GIN indexes.
 */
export async function suggestCallers({
	ctx,
	input
}: ServiceArgs<{ name: string }>): Promise<CallerSuggestion[]> {
	authorize(ctx.actor, 'callers:lookup');
	const name = input.name;
	const rows = await ctx.db.execute<{
		kind: 'customer' | 'contact' | 'prospect';
		id: string;
		display_name: string;
		customer_id: string | null;
		company_name: string | null;
		score: number;
	}>(sql`
		(select 'customer' as kind, c.id, c.company_name as display_name, c.id as customer_id, c.company_name,
		        similarity(c.company_name, ${name}) as score
		   from customers c where c.company_name % ${name} order by score desc limit 5)
		union all
		(select 'contact', ct.id, ct.first_name || ' ' || ct.last_name, ct.customer_id, c.company_name,
		        greatest(similarity(ct.last_name || ' ' || ct.first_name, ${name}),
		                 similarity(ct.first_name || ' ' || ct.last_name, ${name})) as score
		   from contacts ct join customers c on c.id = ct.customer_id
		  where (ct.last_name || ' ' || ct.first_name) % ${name} order by score desc limit 5)
		union all
		(select 'prospect', p.id, coalesce(nullif(concat_ws(' ', p.first_name, p.last_name), ''), p.company_name), null, p.company_name,
		        similarity(p.company_name, ${name}) as score
		   from prospects p where p.company_name % ${name} order by score desc limit 3)
		order by score desc limit 8`);
	return rows.map((r) => ({
		kind: r.kind,
		id: r.id,
		displayName: r.display_name,
		customerId: r.customer_id,
		companyName: r.company_name,
		score: Math.round(Number(r.score) * 100) / 100
	}));
}

/** Quick-create from a call: a prospect, or a contact of an existing customer, with the caller's number. */
export async function quickCreateCaller({
	ctx,
	input,
	defaultCountry
}: ServiceArgs<QuickCreateInput> & { defaultCountry: string }): Promise<CallerMatch> {
	authorize(ctx.actor, 'customers:write');
	const phone = normalizePhone(input.phone, defaultCountry);
	if (!phone) throw badRequest('phone is not a valid phone number', 'phone');
	const kind = phone.kind === 'mobile' ? 'mobile' : 'landline';
	const created = await inTransaction(ctx, async ({ db, raise }) => {
		if (input.kind === 'prospect') {
			const [prospect] = await db
				.insert(prospects)
				.values({
					firstName: input.firstName ?? null,
					lastName: input.lastName ?? null,
					companyName: input.companyName ?? null,
					city: input.city ?? null,
					source: 'inbound call'
				})
				.returning();
			await db.insert(phoneNumbers).values({
				raw: input.phone,
				e164: phone.e164,
				nsnReversed: phone.nsnReversed,
				kind,
				prospectId: prospect.id
			});
			const person = [prospect.firstName, prospect.lastName].filter(Boolean).join(' ');
			return {
				kind: 'prospect' as const,
				id: prospect.id,
				displayName: person || prospect.companyName || input.phone,
				...(prospect.companyName ? { companyName: prospect.companyName } : {}),
				phone: input.phone,
				match: 'exact' as const
			};
		}
		const [customer] = await db
			.select({ id: customers.id, companyName: customers.companyName, version: customers.version })
			.from(customers)
			.where(eq(customers.id, input.customerId))
			.for('update');
		if (!customer) throw notFound('Customer');
		const [contact] = await db
			.insert(contacts)
			.values({
				customerId: customer.id,
				firstName: input.firstName,
				lastName: input.lastName,
				role: input.role ?? null
			})
			.returning();
		await db.insert(phoneNumbers).values({
			raw: input.phone,
			e164: phone.e164,
			nsnReversed: phone.nsnReversed,
			kind,
			contactId: contact.id
		});
		// The customer's card shows its contacts: watchers refetch.
		const [bumped] = await db
			.update(customers)
			.set({ version: sql`${customers.version} + 1`, updatedAt: new Date() })
			.where(eq(customers.id, customer.id))
			.returning({ version: customers.version });
		raise({ type: 'customer.updated', customerId: customer.id, version: bumped.version });
		return {
			kind: 'contact' as const,
			id: contact.id,
			displayName: `${contact.firstName} ${contact.lastName}`,
			customerId: customer.id,
			companyName: customer.companyName,
			phone: input.phone,
			match: 'exact' as const
		};
	});
	// This process's index hears of it by NOTIFY a moment later; the next call must not wait for that.
	ctx.callerIndex?.changed([phone.e164]);
	return created;
}

/** The match a ringing call's card opens by itself: the one exact match, or the only match. */
export function onlyMatch(matches: CallerMatch[]): CallerMatch | null {
	const exact = matches.filter((m) => m.match === 'exact');
	if (exact.length === 1) return exact[0];
	return matches.length === 1 ? matches[0] : null;
}

/**
 * The screen pop of a ringing call in one round trip: lookup, then the card of the only match,
 * or suggestions for an unknown number. Every millisecond here is one the agent waits.
 */
export async function screenPop({
	ctx,
	input,
	defaultCountry,
	readers
}: ServiceArgs<{ number: string; name?: string }> & {
	defaultCountry: string;
	readers?: CardReaders;
}): Promise<ScreenPopResult> {
	const lookup = await lookupCaller({ ctx, input: { number: input.number }, defaultCountry });
	const chosen = onlyMatch(lookup.matches);
	let card: CallerCard | null = null;
	if (chosen?.customerId && (chosen.kind === 'customer' || chosen.kind === 'contact')) {
		card = await getCallerCard({
			ctx,
			input:
				chosen.kind === 'contact'
					? { customerId: chosen.customerId, contactId: chosen.id }
					: { customerId: chosen.customerId },
			readers
		});
	}
	const name = input.name?.trim();
	const suggestions =
		lookup.matches.length === 0 && name && name.length >= 3 && !/^\+?\d+$/.test(name)
			? await suggestCallers({ ctx, input: { name } })
			: [];
	return { lookup, card, chosen, suggestions };
}

export interface DemoCaller {
	customerId: string;
	companyName: string;
	/** E.164 */
	number: string;
}

/**
 * A customer whose own number belongs to nobody else, picked at random: the caller ID of a
 * simulated demo call, so the agent's card pops on exactly that customer. A random uuid as the
 * starting point keeps it an index walk at any table size.
 */
export async function sampleDemoCaller(db: DbOrTx): Promise<DemoCaller | null> {
	for (const from of [randomUUID(), '00000000-0000-0000-0000-000000000000']) {
		const [row] = await db
			.select({ customerId: customers.id, companyName: customers.companyName, number: phoneNumbers.e164 })
			.from(phoneNumbers)
			.innerJoin(customers, eq(customers.id, phoneNumbers.customerId))
			.where(
				and(
					gte(phoneNumbers.id, from),
					ne(phoneNumbers.kind, 'fax'),
					sql`not exists (select 1 from ${phoneNumbers} other where other.e164 = ${phoneNumbers.e164} and other.id <> ${phoneNumbers.id})`
				)
			)
			.orderBy(asc(phoneNumbers.id))
			.limit(1);
		if (row) return row;
	}
	return null;
}
