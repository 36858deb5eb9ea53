import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { seedDemo, DemoAlreadySeededError } from '../../db/seed/demo';
import { normalizePhone } from '../../server/callers/phone';

let database: TestDatabase;
let handle: DatabaseHandle;
beforeAll(async () => {
	database = await createTestDatabase('seed');
	handle = connectDatabase(database.url, { max: 4 });
});
afterAll(async () => {
	await handle?.close();
	await database?.drop();
});

describe('demo company', () => {
	it(
		'creates a realistic company once, with numbers typed the way people type them',
		{ timeout: 60_000 },
		async () => {
			const summary = await seedDemo(handle.db, { today: '2026-11-22' });
			expect(summary.customers).toBeGreaterThanOrEqual(300);
			expect(summary.machines).toBeGreaterThanOrEqual(600);
			expect(summary.contracts).toBeGreaterThanOrEqual(150);
			expect(summary.technicians).toBe(25);
			expect(summary.serviceCenters).toBe(3);

			const sql = handle.sql;
			const usernames = (await sql<{ username: string }[]>`select username from users order by username`).map(
				(u) => u.username
			);
			expect(usernames).toEqual(
				expect.arrayContaining(['admin', 'supervisor1', 'dispatcher1', 'agent1', 'agent5', 'tech1', 'tech25'])
			);
			const [agent1] = await sql`select sip_extension from users where username = 'agent1'`;
			expect(agent1.sip_extension).toBe('1001');

			// Stored raw in mixed formats, each with an E.164 form that normalisation reproduces.
			const phones = await sql<{ raw: string; e164: string }[]>`select raw, e164 from phone_numbers`;
			expect(phones.some((p) => p.raw.startsWith('+39 '))).toBe(true);
			expect(phones.some((p) => p.raw.startsWith('0039'))).toBe(true);
			expect(phones.some((p) => /^3\d\d-\d+$/.test(p.raw))).toBe(true);
			for (const p of phones) expect(normalizePhone(p.raw)?.e164).toBe(p.e164);
			expect(new Set(phones.map((p) => p.e164)).size).toBe(phones.length);

			// No two customers share a name (issue 17: the list opened with two "Albergo Bologna
			// S.a.s."), nor a trade name under another legal form: plausible names, never numbered.
			const names = (await sql<{ name: string }[]>`select company_name as name from customers`).map(
				(c) => c.name
			);
			expect(names.length).toBe(summary.customers);
			const tradeNames = names.map((n) =>
				n.replace(/ (S\.r\.l\.(?:s\.)?|S\.p\.A\.|S\.n\.c\.|S\.a\.s\.)$/, '').toLowerCase()
			);
			expect(tradeNames.filter((n, i) => tradeNames.indexOf(n) !== i)).toEqual([]);
			expect(names.filter((n) => /\d/.test(n))).toEqual([]);

			// Every customer has coordinates in northern or central Italy.
			const [box] = await sql`select min(latitude) as south, max(latitude) as north from customer_addresses`;
			expect(box.south).toBeGreaterThan(41);
			expect(box.north).toBeLessThan(47.2);

			await expect(seedDemo(handle.db)).rejects.toBeInstanceOf(DemoAlreadySeededError);
		}
	);
});
