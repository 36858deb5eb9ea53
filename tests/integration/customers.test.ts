import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, nextEvent, type TestServer } from '../support/test-server';
import {
	contacts,
	contractLines,
	contracts,
	customerAddresses,
	customers,
	machineModels,
	machines,
	phoneNumbers
} from '../../db/schema';
import { normalizePhone } from '../../server/callers/phone';
import { randomBytes } from 'node:crypto';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server?.close());

/** A customer with one contact, phones typed the way people type them, and a machine. */
async function makeCustomer(name: string, phoneRaw: string, contactPhoneRaw: string) {
	const db = server.runtime.database.handle.db;
	const tag = randomBytes(3).toString('hex').toUpperCase();
	const [customer] = await db
		.insert(customers)
		.values({
			code: `C-${tag}`,
			companyName: name,
			vatNumber: `0${Math.floor(Math.random() * 1e10)}`.padStart(11, '0').slice(0, 11)
		})
		.returning();
	await db.insert(customerAddresses).values({
		customerId: customer.id,
		street: 'Via Roma 1',
		city: 'Bergamo',
		province: 'BG',
		latitude: 45.69,
		longitude: 9.67
	});
	const [contact] = await db
		.insert(contacts)
		.values({ customerId: customer.id, firstName: 'Lucia', lastName: `Bianchi${tag}` })
		.returning();
	const p1 = normalizePhone(phoneRaw)!;
	const p2 = normalizePhone(contactPhoneRaw)!;
	await db.insert(phoneNumbers).values([
		{ raw: phoneRaw, e164: p1.e164, nsnReversed: p1.nsnReversed, kind: 'landline', customerId: customer.id },
		{
			raw: contactPhoneRaw,
			e164: p2.e164,
			nsnReversed: p2.nsnReversed,
			kind: 'mobile',
			contactId: contact.id
		}
	]);
	// As after an import: caller ID and the search have heard of these numbers before the next request.
	await server.runtime.callerIndex?.caughtUp();
	const [model] = await db
		.insert(machineModels)
		.values({
			manufacturer: 'Frigotec',
			code: `FR-${tag}`,
			name: 'Cella frigo 400',
			category: 'refrigeration'
		})
		.returning();
	const [machine] = await db
		.insert(machines)
		.values({
			modelId: model.id,
			serialNumber: `FRG-${tag}-0001`,
			customerId: customer.id,
			siteCity: 'Bergamo'
		})
		.returning();
	const [contract] = await db
		.insert(contracts)
		.values({
			code: `MC-${tag}`,
			customerId: customer.id,
			startsOn: '2026-01-01',
			endsOn: '2027-12-31',
			status: 'active',
			serviceLevel: 'premium'
		})
		.returning();
	await db
		.insert(contractLines)
		.values({ contractId: contract.id, machineId: machine.id, visitEveryMonths: 6 });
	return { customer, contact, tag };
}

describe('customers', () => {
	it('shows a customer with contacts, phones and machines, and 404 for an unknown id', async () => {
		const agent = await server.userWithRoles(['agent']);
		const { customer } = await makeCustomer('Officine Test S.r.l.', '035 1234567', '+39 347 765 4321');
		const res = await agent.fetch(`/api/customers/${customer.id}`);
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body.companyName).toBe('Officine Test S.r.l.');
		expect(body.phones[0].e164).toBe('+390351234567');
		expect(body.contacts[0].phones[0].raw).toBe('+39 347 765 4321');
		expect(body.machines).toHaveLength(1);
		expect(body.contracts).toEqual([
			expect.objectContaining({ serviceLevel: 'premium', status: 'active', lines: 1 })
		]);
		expect((await agent.fetch('/api/customers/00000000-0000-4000-8000-000000000000')).status).toBe(404);
		expect((await agent.fetch('/api/customers/not-a-uuid')).status).toBe(400);
	});

	it('refuses a stale version with 409 and pushes a saved change to watchers', async () => {
		const agent = await server.userWithRoles(['agent']);
		const other = await server.userWithRoles(['agent']);
		const { customer } = await makeCustomer('Panificio Versioni S.n.c.', '030 7654321', '348 1112233');
		const socket = await other.socket();
		const pushed = nextEvent(socket, 'entity:changed');
		const ok = await agent.fetch(`/api/customers/${customer.id}`, {
			method: 'PATCH',
			json: { version: 1, notes: 'Cliente storico' }
		});
		expect(ok.status).toBe(200);
		expect(await pushed).toMatchObject({ entity: 'customer', id: customer.id, version: 2 });
		const stale = await other.fetch(`/api/customers/${customer.id}`, {
			method: 'PATCH',
			json: { version: 1, notes: 'overwrite' }
		});
		expect(stale.status).toBe(409);
		expect((await stale.json()).error.field).toBe('version');
		const bad = await agent.fetch(`/api/customers/${customer.id}`, {
			method: 'PATCH',
			json: { version: 2, email: 'nope' }
		});
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.field).toBe('email');
		const now = await (await agent.fetch(`/api/customers/${customer.id}`)).json();
		expect(now.notes).toBe('Cliente storico');
	});

	it('does not let a dispatcher edit a customer', async () => {
		const dispatcher = await server.userWithRoles(['dispatcher']);
		const { customer } = await makeCustomer('Dispatch Only S.p.A.', '051 2345678', '349 4445566');
		const res = await dispatcher.fetch(`/api/customers/${customer.id}`, {
			method: 'PATCH',
			json: { version: 1, notes: 'x' }
		});
		expect(res.status).toBe(403);
	});
});

describe('global search', () => {
	it('finds anyone by phone number written in another format', async () => {
		const agent = await server.userWithRoles(['agent']);
		const { customer, contact } = await makeCustomer(
			'Termoidraulica Ricerca S.r.l.',
			'02 9876543',
			'347-5550001'
		);
		const byCustomerPhone = await (
			await agent.fetch(`/api/search?q=${encodeURIComponent('+39 02 987 6543')}`)
		).json();
		expect(byCustomerPhone.normalizedPhone).toBe('+39029876543');
		// The number as stored, for the console to show in its one format.
		expect(byCustomerPhone.hits[0]).toMatchObject({
			kind: 'customer',
			id: customer.id,
			matched: 'phone',
			phone: '02 9876543'
		});
		const byContactPhone = await (
			await agent.fetch(`/api/search?q=${encodeURIComponent('0039 347 555 0001')}`)
		).json();
		expect(byContactPhone.hits[0]).toMatchObject({
			kind: 'contact',
			id: contact.id,
			customerId: customer.id,
			subtitle: 'Termoidraulica Ricerca S.r.l.',
			phone: '347-5550001'
		});
		const bySuffix = await (await agent.fetch(`/api/search?q=5550001`)).json();
		expect(bySuffix.hits[0]).toMatchObject({ kind: 'contact', id: contact.id, matched: 'phone_suffix' });
	});

	it('finds customers by name, VAT number and city, contacts by name and machines by serial', async () => {
		const agent = await server.userWithRoles(['agent']);
		const { customer, tag } = await makeCustomer('Caseificio Trovami S.r.l.', '0372 123456', '340 9990001');
		const ids = async (q: string) =>
			(
				(await (await agent.fetch(`/api/search?q=${encodeURIComponent(q)}`)).json()).hits as Array<{
					id: string;
					customerId: string;
				}>
			).map((h) => h.customerId);
		expect(await ids('trovami')).toContain(customer.id);
		expect(await ids(customer.vatNumber!)).toContain(customer.id);
		expect(await ids(`Bianchi${tag}`)).toContain(customer.id);
		expect(await ids(`frg-${tag.toLowerCase()}`)).toContain(customer.id);
		expect(await ids('Bergamo')).toContain(customer.id);
	});

	it('answers 400 naming q for a one-letter query', async () => {
		const agent = await server.userWithRoles(['agent']);
		const res = await agent.fetch('/api/search?q=a');
		expect(res.status).toBe(400);
		expect((await res.json()).error.field).toBe('q');
	});
});
