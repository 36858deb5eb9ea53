import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { startTestServer, type TestServer, type TestClient } from '../support/test-server';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { contacts, customers, phoneNumbers } from '../../db/schema';
import { normalizePhone } from '../../server/callers/phone';
import { CallerIndex } from '../../server/callers/caller-index';
import type { CallerMatch } from '../../server/callers/callers.schemas';

/**
 * The in-process caller-ID index against real PostgreSQL: it answers what caller_lookup() answers,
 * and follows every commit (its own process's and another's) through the triggers' NOTIFY.
 */
let server: TestServer;
let agent: TestClient;
/** A second server process's index, on its own connections. */
let otherHandle: DatabaseHandle;
let other: CallerIndex;

beforeAll(async () => {
	server = await startTestServer();
	agent = await server.userWithRoles(['agent']);
	otherHandle = connectDatabase(server.database.url, { max: 2 });
	other = new CallerIndex(otherHandle.sql, { reloadQuietMs: 50 });
	await other.start();
	await Promise.all([server.runtime.callerIndex!.whenReady(), other.whenReady()]);
});
afterAll(async () => {
	await other?.stop();
	await otherHandle?.close();
	await server?.close();
});

const db = () => server.runtime.database.handle.db;
const index = () => server.runtime.callerIndex!;

const phone = (raw: string) => {
	const p = normalizePhone(raw)!;
	return { raw, e164: p.e164, nsnReversed: p.nsnReversed };
};

/** A number nobody has: +39 02 then 8 random digits. */
const freshNumber = () => `02 ${String(randomBytes(4).readUInt32BE() % 100_000_000).padStart(8, '0')}`;

async function customerWithNumber(raw = freshNumber()) {
	const tag = randomBytes(3).toString('hex').toUpperCase();
	const [customer] = await db()
		.insert(customers)
		.values({ code: `IX-${tag}`, companyName: `Idraulica ${tag} S.r.l.` })
		.returning();
	await db()
		.insert(phoneNumbers)
		.values({ ...phone(raw), kind: 'landline', customerId: customer.id });
	return { customer, e164: phone(raw).e164, raw };
}

/** Polls until `read` satisfies `ok`: a commit reaches the index a few milliseconds later. */
async function eventually<T>(read: () => T, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
	const until = Date.now() + timeoutMs;
	let value = read();
	while (!ok(value) && Date.now() < until) {
		await new Promise((r) => setTimeout(r, 10));
		value = read();
	}
	return value;
}

const names = (matches: CallerMatch[] | undefined) => matches?.map((m) => m.displayName).sort();

/** The owners' names of a number once this server's index and the other process's both know one. */
const ownerNamesSeenByBoth = (e164: string, timeoutMs?: number) =>
	Promise.all(
		[index(), other].map(async (idx) =>
			names(
				await eventually(
					() => idx.exact(e164),
					(m) => m?.length === 1,
					timeoutMs
				)
			)
		)
	);

describe('caller index', () => {
	it('answers exactly what caller_lookup() answers, for every stored number', async () => {
		const a = await customerWithNumber();
		const [contact] = await db()
			.insert(contacts)
			.values({ customerId: a.customer.id, firstName: 'Sara', lastName: 'Conti' })
			.returning();
		// One number, two owners: the switchboard is also the contact's line.
		await db()
			.insert(phoneNumbers)
			.values({ ...phone(a.raw), kind: 'landline', contactId: contact.id });
		await eventually(
			() => index().exact(a.e164),
			(m) => m?.length === 2
		);

		const all = await server.runtime.database.handle.sql<{ e164: string; nsn_reversed: string }[]>`
			select distinct e164, nsn_reversed from phone_numbers`;
		expect(all.length).toBeGreaterThan(0);
		// Exact numbers, and suffixes: the whole national number or its last 6 digits, as a PBX strips them.
		const keys = all.flatMap(({ e164, nsn_reversed }) => [
			{ e164, suffix: null },
			{ e164: null, suffix: nsn_reversed },
			{ e164: null, suffix: nsn_reversed.slice(0, 6) }
		]);
		for (const key of keys) {
			const fromDb = await server.runtime.database.handle.sql`
				select * from caller_lookup(${key.e164 ?? ''}, ${key.suffix}::text)`;
			const inMemory = index().lookup(key);
			expect(inMemory, JSON.stringify(key)).toBeDefined();
			expect(
				inMemory!.map((m) => `${m.match}:${m.kind}:${m.id}:${m.displayName}:${m.phone}`).sort(),
				JSON.stringify(key)
			).toEqual(
				fromDb
					.map((r) => {
						const kind = r.customer_id
							? 'customer'
							: r.contact_id
								? 'contact'
								: r.prospect_id
									? 'prospect'
									: 'technician';
						const id = r.customer_id ?? r.contact_id ?? r.prospect_id ?? r.technician_id;
						const name =
							r.customer_name ??
							r.contact_name ??
							r.prospect_name ??
							r.prospect_company ??
							r.technician_name ??
							r.raw;
						return `${r.match}:${kind}:${id}:${name}:${r.raw}`;
					})
					.sort()
			);
		}
		const contactMatch = index()
			.exact(a.e164)!
			.find((m) => m.kind === 'contact');
		expect(contactMatch).toMatchObject({
			displayName: 'Sara Conti',
			customerId: a.customer.id,
			companyName: a.customer.companyName,
			match: 'exact'
		});
	});

	it('follows new numbers, renames and deletions in this process and in another one', async () => {
		const { customer, e164 } = await customerWithNumber();
		expect(await ownerNamesSeenByBoth(e164)).toEqual([[customer.companyName], [customer.companyName]]);
		// The API answers from the index too, and the health check says so.
		expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({ callerId: 'memory' });
		const found = await (await agent.fetch(`/api/callers/lookup?number=${encodeURIComponent(e164)}`)).json();
		expect(found.matches.map((m: CallerMatch) => m.id)).toEqual([customer.id]);

		await db()
			.update(customers)
			.set({ companyName: 'Rinominata S.p.A.' })
			.where(eq(customers.id, customer.id));
		for (const idx of [index(), other]) {
			expect(
				names(
					await eventually(
						() => idx.exact(e164),
						(m) => m?.[0]?.displayName === 'Rinominata S.p.A.'
					)
				)
			).toEqual(['Rinominata S.p.A.']);
		}

		await db().delete(phoneNumbers).where(eq(phoneNumbers.customerId, customer.id));
		for (const idx of [index(), other]) {
			expect(
				await eventually(
					() => idx.exact(e164),
					(m) => m?.length === 0
				)
			).toEqual([]);
		}
		const gone = await (await agent.fetch(`/api/callers/lookup?number=${encodeURIComponent(e164)}`)).json();
		expect(gone.matches).toEqual([]);
		// Nor by the digits a PBX that strips the area code's 0 would send.
		const stripped = e164.slice(4);
		expect(index().lookup({ e164: null, suffix: [...stripped].reverse().join('') })).toEqual([]);
	});

	it('finds a number added since it loaded by its last digits, with its owner now', async () => {
		const { customer, e164 } = await customerWithNumber();
		const reversed = [...e164.slice(4)].reverse().join('');
		const found = await eventually(
			() => other.lookup({ e164: null, suffix: reversed }),
			(m) => m?.length === 1
		);
		expect(found).toEqual([
			expect.objectContaining({ id: customer.id, displayName: customer.companyName, match: 'suffix' })
		]);
		const res = await agent.fetch(`/api/callers/lookup?number=${encodeURIComponent(e164.slice(4))}`);
		expect((await res.json()).matches).toEqual([
			expect.objectContaining({ id: customer.id, match: 'suffix' })
		]);
	});

	it('announces nothing for a rolled-back change', async () => {
		const raw = freshNumber();
		const { e164 } = phone(raw);
		await db()
			.transaction(async (tx) => {
				const [customer] = await tx
					.insert(customers)
					.values({ code: `RB-${randomBytes(3).toString('hex')}`, companyName: 'Mai esistita' })
					.returning();
				await tx.insert(phoneNumbers).values({ ...phone(raw), kind: 'landline', customerId: customer.id });
				tx.rollback();
			})
			.catch(() => {});
		// A later change proves the listener is caught up; the rolled-back number never appeared.
		const { e164: later } = await customerWithNumber();
		await eventually(
			() => other.exact(later),
			(m) => m?.length === 1
		);
		expect(other.exact(e164)).toEqual([]);
	});

	it('reloads after a bulk change too large to announce number by number', async () => {
		const [customer] = await db()
			.insert(customers)
			.values({ code: `BULK-${randomBytes(3).toString('hex')}`, companyName: 'Import massivo S.r.l.' })
			.returning();
		const numbers = Array.from({ length: 450 }, () => phone(freshNumber()));
		await db()
			.insert(phoneNumbers)
			.values(numbers.map((n) => ({ ...n, kind: 'landline' as const, customerId: customer.id })));
		// Stale until reloaded: meanwhile it sends lookups to the database rather than answer wrongly.
		const last = numbers.at(-1)!.e164;
		expect(
			await eventually(
				() => other.exact(last),
				(m) => m?.length === 1
			)
		).toHaveLength(1);
		expect(other.size.numbers).toBeGreaterThanOrEqual(450);
		await db()
			.delete(phoneNumbers)
			.where(inArray(phoneNumbers.customerId, [customer.id]));
		expect(
			await eventually(
				() => other.exact(last),
				(m) => m?.length === 0
			)
		).toEqual([]);
	});

	it('reloads when its listening connection was lost, catching up on what it missed', async () => {
		const [listener] = await server.runtime.database.handle.sql<{ pid: number }[]>`
			select pid from pg_stat_activity
			where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`;
		expect(listener).toBeDefined();
		// Kill every listening connection of this database, so both indexes lose theirs.
		await server.runtime.database.handle.sql`
			select pg_terminate_backend(pid) from pg_stat_activity
			where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`;
		const { customer, e164 } = await customerWithNumber();
		expect(await ownerNamesSeenByBoth(e164, 15_000)).toEqual([
			[customer.companyName],
			[customer.companyName]
		]);
	});
});
