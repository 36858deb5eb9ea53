import { sql } from 'drizzle-orm';
import type { ServiceArgs } from '../core/context';
import { authorize, can } from '../auth/policy';
import type { Actor } from '../core/context';
import { normalizePhone, reversedDigits } from '../callers/phone';
import { findPhoneOwners } from '../callers/callers.service';
import { escapeLike } from '../customers/customers.service';
import { searchTickets, ticketNumberFilter } from '../tickets/ticket-search';
import type { SearchHit, SearchResult } from './search.schemas';

/** Digits, spaces and phone punctuation only: the user typed a phone number. */
const looksLikePhone = (q: string) => /^[+()\d\s\-./]{5,}$/.test(q) && q.replace(/\D/g, '').length >= 5;

type HitKind = SearchHit['kind'];

/**
 * What each kind of hit reveals, and so who may see it. Machines name their owner, so they
 * are customer data too; a colleague's phone (a technician) is for everyone who searches.
 * Tickets are for who works the ticket desk, and then only those of the centres it shows.
 */
function readableKinds(actor: Actor): Set<HitKind> {
	const kinds = new Set<HitKind>(['technician']);
	if (can(actor, 'customers:read'))
		for (const k of ['customer', 'contact', 'prospect', 'machine'] as const) kinds.add(k);
	if (can(actor, 'tickets:read')) kinds.add('ticket');
	return kinds;
}

/**
 * The global search box: anyone by phone number in any format; customers by name, VAT number,
 * city or code; contacts by name; machines by serial number; tickets by number or title words.
 * Each user gets only the kinds of record its role may read: a technician finds colleagues, not
 * customers; tickets come from the service centres the user's ticket desk shows.
 */
export async function globalSearch({
	ctx,
	input,
	defaultCountry
}: ServiceArgs<{ q: string; limit: number }> & { defaultCountry: string }): Promise<SearchResult> {
	authorize(ctx.actor, 'search:use');
	const q = input.q;
	const readable = readableKinds(ctx.actor);
	const customerData = readable.has('customer');
	const ticketDesk = readable.has('ticket');
	if (looksLikePhone(q)) {
		const phone = normalizePhone(q, defaultCountry);
		// Eleven digits may be a VAT number as well as a phone number, six a ticket's: try each.
		const [byVat, byPhone, byTicket] = await Promise.all([
			customerData && /^\d{11}$/.test(q) ? searchVat(ctx, q, input.limit) : Promise.resolve([]),
			searchPhone(ctx, q, phone?.e164 ?? null, input.limit),
			ticketDesk && ticketNumberFilter(q) ? ticketHits(ctx, q, input.limit) : Promise.resolve([])
		]);
		const hits = [...byVat, ...byPhone].filter((h) => readable.has(h.kind));
		return { query: q, normalizedPhone: phone?.e164 ?? null, hits: [...hits, ...byTicket] };
	}
	// Text search finds customer data and tickets only.
	const [byText, byTicket] = await Promise.all([
		customerData ? searchText(ctx, q, input.limit) : Promise.resolve([]),
		ticketDesk ? ticketHits(ctx, q, input.limit) : Promise.resolve([])
	]);
	// A ticket's number names one ticket: it goes first. Title matches keep their room after the
	// customer hits, however many customers a common word finds.
	const byNumber = byTicket.filter((h) => h.matched === 'number');
	const byTitle = byTicket.filter((h) => h.matched !== 'number');
	return {
		query: q,
		normalizedPhone: null,
		hits: [...byNumber, ...byText.slice(0, input.limit * 2 - byTicket.length), ...byTitle]
	};
}

async function ticketHits(ctx: ServiceArgs<unknown>['ctx'], q: string, limit: number): Promise<SearchHit[]> {
	const rows = await searchTickets(ctx, { q, limit });
	return rows.map((r) => ({
		kind: 'ticket' as const,
		id: r.id,
		title: `${r.number} · ${r.title}`,
		subtitle: r.customerName,
		customerId: r.customerId,
		phone: null,
		matched: r.matched
	}));
}

async function searchVat(ctx: ServiceArgs<unknown>['ctx'], q: string, limit: number): Promise<SearchHit[]> {
	const rows = await ctx.db.execute<{ id: string; title: string; subtitle: string | null }>(
		sql`select id, company_name as title, code as subtitle from customers where vat_number = ${q} or tax_code = ${q} limit ${limit}`
	);
	return rows.map((r) => ({
		kind: 'customer' as const,
		id: r.id,
		title: r.title,
		subtitle: r.subtitle,
		customerId: r.id,
		phone: null,
		matched: 'vat' as const
	}));
}

/** Exact number first, else the last digits someone remembers (or a PBX that strips prefixes). */
async function searchPhone(
	ctx: ServiceArgs<unknown>['ctx'],
	q: string,
	e164: string | null,
	limit: number
): Promise<SearchHit[]> {
	const digits = reversedDigits(q);
	const owners = await findPhoneOwners(ctx, { e164, suffix: digits.length >= 6 ? digits : null });
	return owners.slice(0, limit).map((owner) => ({
		kind: owner.kind,
		id: owner.id,
		title: owner.displayName,
		subtitle: owner.kind === 'contact' ? (owner.companyName ?? null) : null,
		customerId: owner.customerId ?? null,
		phone: owner.phone,
		matched: owner.match === 'exact' ? ('phone' as const) : ('phone_suffix' as const)
	}));
}

async function searchText(ctx: ServiceArgs<unknown>['ctx'], q: string, limit: number): Promise<SearchHit[]> {
	const like = `%${escapeLike(q)}%`;
	const upper = q.toUpperCase();
	const hits: SearchHit[] = [];
	// Each query is index-backed (trigram GIN for names and cities, btree prefix for serials),
	// and they run concurrently on the pool.
	const [byName, byCity, byContact, bySerial, byCode] = await Promise.all([
		ctx.db.execute<{ id: string; title: string; subtitle: string | null }>(sql`
			select c.id, c.company_name as title, c.code as subtitle
			from customers c where c.company_name ilike ${like} limit ${limit}`),
		ctx.db.execute<{ id: string; title: string; subtitle: string | null }>(sql`
			select c.id, c.company_name as title, a.city as subtitle
			from customer_addresses a join customers c on c.id = a.customer_id
			where a.city ilike ${like} limit ${limit}`),
		ctx.db.execute<{ id: string; title: string; subtitle: string | null; customer_id: string }>(sql`
			select ct.id, ct.last_name || ' ' || ct.first_name as title, c.company_name as subtitle, ct.customer_id
			from contacts ct join customers c on c.id = ct.customer_id
			where (ct.last_name || ' ' || ct.first_name) ilike ${like} limit ${limit}`),
		ctx.db.execute<{ id: string; title: string; subtitle: string | null; customer_id: string }>(sql`
			select m.id, m.serial_number as title, mm.name || ' · ' || c.company_name as subtitle, m.customer_id
			from machines m join machine_models mm on mm.id = m.model_id join customers c on c.id = m.customer_id
			where m.serial_number like ${escapeLike(upper) + '%'} limit ${limit}`),
		ctx.db.execute<{ id: string; title: string; subtitle: string | null }>(
			sql`select id, company_name as title, code as subtitle from customers where code = ${upper} limit 1`
		)
	]);
	const seen = new Set(hits.map((h) => `${h.kind}:${h.id}`));
	const push = (h: SearchHit) => {
		const key = `${h.kind}:${h.id}`;
		if (!seen.has(key)) {
			seen.add(key);
			hits.push(h);
		}
	};
	byCode.forEach((r) =>
		push({
			kind: 'customer',
			id: r.id,
			title: r.title,
			subtitle: r.subtitle,
			customerId: r.id,
			phone: null,
			matched: 'code'
		})
	);
	bySerial.forEach((r) =>
		push({
			kind: 'machine',
			id: r.id,
			title: r.title,
			subtitle: r.subtitle,
			customerId: r.customer_id,
			phone: null,
			matched: 'serial'
		})
	);
	// Ranking in SQL would sort every match of a common word (thousands); rank the few hits here.
	byName.sort((a, b) => rank(a.title, q) - rank(b.title, q));
	byName.forEach((r) =>
		push({
			kind: 'customer',
			id: r.id,
			title: r.title,
			subtitle: r.subtitle,
			customerId: r.id,
			phone: null,
			matched: 'name'
		})
	);
	byContact.forEach((r) =>
		push({
			kind: 'contact',
			id: r.id,
			title: r.title,
			subtitle: r.subtitle,
			customerId: r.customer_id,
			phone: null,
			matched: 'name'
		})
	);
	byCity.forEach((r) =>
		push({
			kind: 'customer',
			id: r.id,
			title: r.title,
			subtitle: r.subtitle,
			customerId: r.id,
			phone: null,
			matched: 'city'
		})
	);
	return hits.slice(0, limit * 2);
}

/** Names that start with the query first, then names with a word that starts with it, then the rest. */
function rank(title: string, q: string): number {
	const t = title.toLowerCase();
	const needle = q.toLowerCase();
	if (t.startsWith(needle)) return 0;
	if (t.includes(` ${needle}`)) return 1;
	return 2;
}
