import { and, asc, count, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import {
	contacts,
	contractLines,
	contracts,
	customerAddresses,
	customers,
	machineModels,
	machines,
	phoneNumbers,
	users
} from '../../db/schema';
import { alias } from 'drizzle-orm/pg-core';
import { inTransaction, type Ctx, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { conflict, notFound } from '../core/errors';
import type { CustomerDetail, CustomerPatch, CustomerSummary } from './customers.schemas';

const registeredAddress = sql`(select a.city from customer_addresses a where a.customer_id = ${customers.id} order by (a.kind = 'registered') desc limit 1)`;
const registeredProvince = sql`(select a.province from customer_addresses a where a.customer_id = ${customers.id} order by (a.kind = 'registered') desc limit 1)`;

export async function listCustomers({
	ctx,
	input
}: ServiceArgs<{ q?: string; page: number; pageSize: number }>): Promise<{
	items: CustomerSummary[];
	total: number;
}> {
	authorize(ctx.actor, 'customers:read');
	const where = input.q
		? or(
				ilike(customers.companyName, `%${escapeLike(input.q)}%`),
				eq(customers.vatNumber, input.q),
				eq(customers.code, input.q.toUpperCase())
			)
		: undefined;
	const [items, [{ total }]] = await Promise.all([
		ctx.db
			.select({
				id: customers.id,
				code: customers.code,
				companyName: customers.companyName,
				vatNumber: customers.vatNumber,
				city: sql<string | null>`${registeredAddress}`,
				province: sql<string | null>`${registeredProvince}`,
				blocked: customers.blocked
			})
			.from(customers)
			.where(where)
			.orderBy(asc(customers.companyName), asc(customers.code))
			.limit(input.pageSize)
			.offset((input.page - 1) * input.pageSize),
		ctx.db.select({ total: count() }).from(customers).where(where)
	]);
	return { items, total };
}

/**
 * The parts of the customer page other domains own (its tickets and their activities, its calls),
 * plugged in at start-up as the landing card's are: the customers domain never reads their tables.
 */
export interface CustomerReaders {
	tickets?: (ctx: Ctx, customerId: string) => Promise<Pick<CustomerDetail, 'tickets' | 'recentActivities'>>;
	recentCalls?: (ctx: Ctx, customerId: string) => Promise<CustomerDetail['recentCalls']>;
}

export async function getCustomer({
	ctx,
	input,
	readers = {}
}: ServiceArgs<{ id: string }> & { readers?: CustomerReaders }): Promise<CustomerDetail> {
	authorize(ctx.actor, 'customers:read');
	const billing = alias(customers, 'billing');
	const dealer = alias(customers, 'dealer');
	const [row] = await ctx.db
		.select({
			customer: customers,
			billing: { id: billing.id, companyName: billing.companyName },
			dealer: { id: dealer.id, companyName: dealer.companyName },
			accountManager: { id: users.id, displayName: users.displayName }
		})
		.from(customers)
		.leftJoin(billing, eq(billing.id, customers.billingCustomerId))
		.leftJoin(dealer, eq(dealer.id, customers.dealerId))
		.leftJoin(users, eq(users.id, customers.accountManagerId))
		.where(eq(customers.id, input.id));
	if (!row) throw notFound('Customer');

	const [addresses, contactRows, machineRows, contractRows, lineRows, ticketsPart, recentCalls] =
		await Promise.all([
			ctx.db.select().from(customerAddresses).where(eq(customerAddresses.customerId, input.id)),
			ctx.db
				.select()
				.from(contacts)
				.where(eq(contacts.customerId, input.id))
				.orderBy(sql`${contacts.isPrimary} desc`, asc(contacts.lastName)),
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
					installedOn: machines.installedOn,
					partsWarrantyUntil: machines.partsWarrantyUntil,
					labourWarrantyUntil: machines.labourWarrantyUntil
				})
				.from(machines)
				.innerJoin(machineModels, eq(machineModels.id, machines.modelId))
				.where(eq(machines.customerId, input.id))
				.orderBy(asc(machines.serialNumber)),
			ctx.db
				.select({
					id: contracts.id,
					code: contracts.code,
					status: contracts.status,
					serviceLevel: contracts.serviceLevel,
					startsOn: contracts.startsOn,
					endsOn: contracts.endsOn,
					autoRenewal: contracts.autoRenewal,
					// Qualified by hand: drizzle renders bare column names inside a correlated subquery.
					lines: sql<number>`(select count(*)::int from contract_lines l where l.contract_id = "contracts"."id")`
				})
				.from(contracts)
				.where(eq(contracts.customerId, input.id))
				.orderBy(sql`${contracts.endsOn} desc`),
			ctx.db
				.select({
					id: contractLines.id,
					contractId: contractLines.contractId,
					machineId: contractLines.machineId,
					serialNumber: machines.serialNumber,
					model: machineModels.name,
					visitEveryMonths: contractLines.visitEveryMonths,
					notes: contractLines.notes
				})
				.from(contractLines)
				.innerJoin(contracts, eq(contracts.id, contractLines.contractId))
				.innerJoin(machines, eq(machines.id, contractLines.machineId))
				.innerJoin(machineModels, eq(machineModels.id, machines.modelId))
				.where(eq(contracts.customerId, input.id))
				.orderBy(asc(machines.serialNumber)),
			readers.tickets
				? readers.tickets(ctx, input.id)
				: Promise.resolve({ tickets: [], recentActivities: [] }),
			readers.recentCalls ? readers.recentCalls(ctx, input.id) : Promise.resolve([])
		]);
	const contactIds = contactRows.map((c) => c.id);
	const phones = await ctx.db
		.select({
			id: phoneNumbers.id,
			raw: phoneNumbers.raw,
			e164: phoneNumbers.e164,
			kind: phoneNumbers.kind,
			customerId: phoneNumbers.customerId,
			contactId: phoneNumbers.contactId
		})
		.from(phoneNumbers)
		.where(
			contactIds.length
				? or(eq(phoneNumbers.customerId, input.id), inArray(phoneNumbers.contactId, contactIds))
				: eq(phoneNumbers.customerId, input.id)
		);
	const phoneOf = (p: (typeof phones)[number]) => ({ id: p.id, raw: p.raw, e164: p.e164, kind: p.kind });

	const c = row.customer;
	return {
		id: c.id,
		code: c.code,
		companyName: c.companyName,
		vatNumber: c.vatNumber,
		taxCode: c.taxCode,
		paymentTerms: c.paymentTerms,
		email: c.email,
		notes: c.notes,
		blocked: c.blocked,
		isDealer: c.isDealer,
		version: c.version,
		billingCustomer: row.billing?.id ? row.billing : null,
		dealer: row.dealer?.id ? row.dealer : null,
		accountManager: row.accountManager?.id ? row.accountManager : null,
		addresses: addresses.map((a) => ({
			id: a.id,
			kind: a.kind,
			street: a.street,
			postalCode: a.postalCode,
			city: a.city,
			province: a.province,
			latitude: a.latitude,
			longitude: a.longitude
		})),
		phones: phones.filter((p) => p.customerId === input.id).map(phoneOf),
		contacts: contactRows.map((ct) => ({
			id: ct.id,
			firstName: ct.firstName,
			lastName: ct.lastName,
			role: ct.role,
			email: ct.email,
			phones: phones.filter((p) => p.contactId === ct.id).map(phoneOf)
		})),
		machines: machineRows,
		contracts: contractRows.map((contract) => ({
			...contract,
			contractLines: lineRows
				.filter((line) => line.contractId === contract.id)
				.map(({ contractId: _contract, ...line }) => line)
		})),
		tickets: ticketsPart.tickets,
		recentCalls,
		recentActivities: ticketsPart.recentActivities
	};
}

/** Edits the master record; `version` must match what the caller read (optimistic concurrency). */
export async function updateCustomer({ ctx, input }: ServiceArgs<{ id: string; patch: CustomerPatch }>) {
	authorize(ctx.actor, 'customers:write');
	const { version, ...changes } = input.patch;
	return inTransaction(ctx, async ({ db, raise }) => {
		const [updated] = await db
			.update(customers)
			.set({ ...changes, version: sql`${customers.version} + 1`, updatedAt: new Date() })
			.where(and(eq(customers.id, input.id), eq(customers.version, version)))
			.returning({ id: customers.id, version: customers.version });
		if (!updated) {
			const [exists] = await db
				.select({ version: customers.version })
				.from(customers)
				.where(eq(customers.id, input.id));
			if (!exists) throw notFound('Customer');
			throw conflict(
				`The customer was changed by someone else (now version ${exists.version}): reload and retry`,
				'version'
			);
		}
		raise({ type: 'customer.updated', customerId: updated.id, version: updated.version });
		return updated;
	});
}

export function escapeLike(s: string): string {
	return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
