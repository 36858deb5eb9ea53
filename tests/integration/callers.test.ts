import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { startTestServer, type TestServer } from '../support/test-server';
import {
	contacts,
	contractLines,
	contracts,
	customerAddresses,
	customers,
	machineModels,
	machines,
	phoneNumbers,
	prospects,
	users
} from '../../db/schema';
import { normalizePhone } from '../../server/callers/phone';
import { actOk, createDesk, openTicket } from './tickets-fixtures';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ env: { SIP_WS_URL: 'ws://127.0.0.1:5066', SIP_DOMAIN: 'pbx.test' } });
});
afterAll(() => server?.close());

const phone = (raw: string) => {
	const p = normalizePhone(raw)!;
	return { raw, e164: p.e164, nsnReversed: p.nsnReversed };
};

/** A customer with a landline, a contact with a mobile, two machines (one out of warranty) and contracts. */
async function makeCustomer(customerPhone: string, contactPhone: string) {
	const db = server.runtime.database.handle.db;
	const tag = randomBytes(3).toString('hex').toUpperCase();
	const [customer] = await db
		.insert(customers)
		.values({ code: `C-${tag}`, companyName: `Officine ${tag} S.r.l.`, notes: 'Cliente storico' })
		.returning();
	await db
		.insert(customerAddresses)
		.values({ customerId: customer.id, street: 'Via Roma 1', city: 'Bergamo', province: 'BG' });
	const [contact] = await db
		.insert(contacts)
		.values({
			customerId: customer.id,
			firstName: 'Lucia',
			lastName: `Bianchi${tag}`,
			role: 'Responsabile manutenzione'
		})
		.returning();
	await db.insert(phoneNumbers).values([
		{ ...phone(customerPhone), kind: 'landline', customerId: customer.id },
		{ ...phone(contactPhone), kind: 'mobile', contactId: contact.id }
	]);
	// As after an import: caller ID has heard of these numbers before the next request.
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
	const [covered, expired] = await db
		.insert(machines)
		.values([
			{
				modelId: model.id,
				serialNumber: `FRG-${tag}-1`,
				customerId: customer.id,
				siteCity: 'Bergamo',
				partsWarrantyUntil: '2999-12-31'
			},
			{
				modelId: model.id,
				serialNumber: `FRG-${tag}-2`,
				customerId: customer.id,
				siteCity: 'Lecco',
				partsWarrantyUntil: '2001-01-31'
			}
		])
		.returning();
	const [active] = await db
		.insert(contracts)
		.values([
			{
				code: `K-${tag}-A`,
				customerId: customer.id,
				startsOn: '2020-01-01',
				endsOn: '2999-12-31',
				serviceLevel: 'premium',
				status: 'active'
			},
			{
				code: `K-${tag}-X`,
				customerId: customer.id,
				startsOn: '2001-01-01',
				endsOn: '2002-12-31',
				serviceLevel: 'basic',
				status: 'expired'
			}
		])
		.returning();
	await db
		.insert(contractLines)
		.values({ contractId: active.id, machineId: covered.id, visitEveryMonths: 6 });
	return { customer, contact, covered, expired, tag };
}

describe('caller lookup', () => {
	it('finds a customer by the number a PBX sends, in any format, exact match first', async () => {
		const agent = await server.userWithRoles(['agent']);
		const { customer, contact } = await makeCustomer('+39 02 4455 6677', '347-8899001');
		for (const number of ['0244556677', '+390244556677', 'sip:0244556677@10.0.0.1', '0039 02 44556677']) {
			const res = await agent.fetch(`/api/callers/lookup?number=${encodeURIComponent(number)}`);
			expect(res.status, number).toBe(200);
			const body = await res.json();
			expect(body.normalized).toBe('+390244556677');
			expect(body.matches[0]).toMatchObject({
				kind: 'customer',
				id: customer.id,
				customerId: customer.id,
				companyName: customer.companyName,
				match: 'exact',
				phone: '+39 02 4455 6677'
			});
		}
		const byMobile = await (
			await agent.fetch(`/api/callers/lookup?number=${encodeURIComponent('+393478899001')}`)
		).json();
		expect(byMobile.matches[0]).toMatchObject({
			kind: 'contact',
			id: contact.id,
			customerId: customer.id,
			displayName: contact.firstName + ' ' + contact.lastName
		});
	});

	it('falls back to national-number suffix matches when the PBX strips prefixes', async () => {
		const agent = await server.userWithRoles(['agent']);
		const { customer } = await makeCustomer('035 9182736', '348 1029384');
		// The PBX dropped the trunk prefix and the area code's 0: 35 9182736.
		const body = await (await agent.fetch('/api/callers/lookup?number=359182736')).json();
		expect(body.matches).toHaveLength(1);
		expect(body.matches[0]).toMatchObject({ kind: 'customer', id: customer.id, match: 'suffix' });
	});

	it('finds prospects and technicians, and nothing for an unknown or too short number', async () => {
		const agent = await server.userWithRoles(['agent']);
		const db = server.runtime.database.handle.db;
		const [prospect] = await db
			.insert(prospects)
			.values({ firstName: 'Piero', lastName: 'Nuovi', companyName: 'Nuovi Clienti Srl' })
			.returning();
		await db.insert(phoneNumbers).values({ ...phone('0521 777111'), prospectId: prospect.id });
		await server.runtime.callerIndex?.caughtUp();
		const found = await (await agent.fetch('/api/callers/lookup?number=0521777111')).json();
		expect(found.matches[0]).toMatchObject({ kind: 'prospect', id: prospect.id, displayName: 'Piero Nuovi' });
		const unknown = await (await agent.fetch('/api/callers/lookup?number=%2B390699988877')).json();
		expect(unknown).toEqual({ normalized: '+390699988877', matches: [] });
		const short = await (await agent.fetch('/api/callers/lookup?number=1234')).json();
		expect(short.matches).toEqual([]);
		expect((await agent.fetch('/api/callers/lookup')).status).toBe(400);
	});

	it('refuses technicians and anonymous callers', async () => {
		const technician = await server.userWithRoles(['technician']);
		expect((await technician.fetch('/api/callers/lookup?number=0212345678')).status).toBe(403);
		expect((await fetch(`${server.url}/api/callers/lookup?number=0212345678`)).status).toBe(401);
	});
});

describe('landing card', () => {
	it('returns the customer, the calling contact, machines with warranty and active contracts in one answer', async () => {
		const agent = await server.userWithRoles(['agent']);
		const { customer, contact, covered, expired } = await makeCustomer('0341 556677', '333 4455667');
		const res = await agent.fetch(`/api/callers/card?customerId=${customer.id}&contactId=${contact.id}`);
		expect(res.status).toBe(200);
		const card = await res.json();
		expect(card.customer).toMatchObject({
			id: customer.id,
			companyName: customer.companyName,
			notes: 'Cliente storico',
			address: { city: 'Bergamo', province: 'BG' },
			phones: [{ raw: '0341 556677', e164: '+390341556677', kind: 'landline' }]
		});
		expect(card.contact).toMatchObject({
			id: contact.id,
			role: 'Responsabile manutenzione',
			phones: [{ raw: '333 4455667' }]
		});
		expect(card.machines.map((m: { id: string; warranty: string }) => [m.id, m.warranty])).toEqual([
			[covered.id, 'in_warranty'],
			[expired.id, 'expired']
		]);
		expect(card.contracts).toHaveLength(1);
		expect(card.contracts[0]).toMatchObject({ serviceLevel: 'premium', machines: 1 });
		expect(card.openTickets).toEqual([]);
		expect(Array.isArray(card.recentCalls)).toBe(true);

		const byContact = await (await agent.fetch(`/api/callers/card?contactId=${contact.id}`)).json();
		expect(byContact.customer.id).toBe(customer.id);
	});

	it('lists the open tickets with their SLA deadline, machine first, and hides a reserved desk’s', async () => {
		const agent = await server.userWithRoles(['agent']);
		const desk = await createDesk(server, { groupA: [agent] });
		const ticket = await openTicket(agent, desk, { machineId: desk.machineId, title: 'Tornio fermo' });
		const reserved = await createDesk(server, { access: 'reserved' });
		await openTicket(await server.userWithRoles(['admin']), { ...reserved, customerId: desk.customerId });
		const card = await (await agent.fetch(`/api/callers/card?customerId=${desk.customerId}`)).json();
		expect(card.openTickets).toHaveLength(1);
		expect(card.openTickets[0]).toMatchObject({ id: ticket.id, title: 'Tornio fermo', slaBreached: false });
		expect(card.openTickets[0].machineSerial).toBe(card.machines[0].serialNumber);
		expect(Date.parse(card.openTickets[0].slaDueAt)).toBeGreaterThan(Date.now());
	});

	it('shows the latest activities on the customer’s tickets, newest first, not a reserved desk’s', async () => {
		const agent = await server.userWithRoles(['agent']);
		const desk = await createDesk(server, { groupA: [agent] });
		const ticket = await openTicket(agent, desk, { title: 'Pressa rumorosa' });
		await actOk(agent, ticket, desk.reasons.NOTA, { note: 'Il cliente richiamerà dopo le 15' });
		const reserved = await createDesk(server, { access: 'reserved' });
		const admin = await server.userWithRoles(['admin']);
		const hidden = await openTicket(admin, { ...reserved, customerId: desk.customerId });
		await actOk(admin, hidden, reserved.reasons.NOTA, { note: 'Riservato' });

		const card = await (await agent.fetch(`/api/callers/card?customerId=${desk.customerId}`)).json();
		expect(
			card.recentActivities.map((a: { ticketId: string; kind: string; note: string | null }) => [
				a.ticketId,
				a.kind,
				a.note
			])
		).toEqual([
			[ticket.id, 'action', 'Il cliente richiamerà dopo le 15'],
			[ticket.id, 'created', null]
		]);
		expect(card.recentActivities[0]).toMatchObject({
			ticketNumber: ticket.number,
			reasonName: 'Nota interna'
		});
	});

	it('answers 404 for an unknown customer or a contact of another customer, 400 without ids', async () => {
		const agent = await server.userWithRoles(['agent']);
		const a = await makeCustomer('0342 111222', '334 1112223');
		const b = await makeCustomer('0343 111222', '335 1112223');
		expect(
			(await agent.fetch('/api/callers/card?customerId=00000000-0000-4000-8000-000000000000')).status
		).toBe(404);
		expect(
			(await agent.fetch(`/api/callers/card?customerId=${a.customer.id}&contactId=${b.contact.id}`)).status
		).toBe(404);
		const bad = await agent.fetch('/api/callers/card');
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.field).toBe('customerId');
	});
});

describe('softphone config', () => {
	it('gives an agent their own SIP identity and the PBX settings, and 403 to a user without an extension', async () => {
		const agent = await server.userWithRoles(['agent']);
		await server.runtime.database.handle.db
			.update(users)
			.set({
				sipExtension: `9${randomBytes(2).readUInt16BE() % 1000}`.padEnd(4, '0'),
				sipAuthUser: 'auth-x',
				sipPassword: 'secret-x'
			})
			.where(eq(users.id, agent.userId));
		const res = await agent.fetch('/api/softphone/config');
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const config = await res.json();
		expect(config).toMatchObject({
			line: true,
			wsUrl: 'ws://127.0.0.1:5066',
			domain: 'pbx.test',
			authorizationUsername: 'auth-x',
			authorizationPassword: 'secret-x',
			iceServers: []
		});
		expect(config.uri).toBe(`sip:${config.extension}@pbx.test`);
		const noExtension = await server.userWithRoles(['agent']);
		expect((await noExtension.fetch('/api/softphone/config')).status).toBe(403);
		const dispatcher = await server.userWithRoles(['dispatcher']);
		expect((await dispatcher.fetch('/api/softphone/config')).status).toBe(403);
		// A real PBX is configured: no demo switchboard, no simulated calls.
		expect(config.demo).toBe(false);
		expect((await agent.fetch('/api/demo/calls', { method: 'POST', json: {} })).status).toBe(404);
		const opened = await new Promise<boolean>((resolve) => {
			const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/sip`, 'sip', {
				headers: { cookie: agent.cookie, origin: server.origin }
			});
			ws.on('open', () => resolve(true));
			ws.on('unexpected-response', () => resolve(false));
			ws.on('error', () => resolve(false));
		});
		expect(opened).toBe(false);
	});

	it('answers 200 {line: false} when the console has no telephony: no failed request in the browser (issue 17)', async () => {
		const bare = await startTestServer({ env: { DEMO_SWITCHBOARD: 'off' } });
		try {
			const agent = await bare.userWithRoles(['agent']);
			const res = await agent.fetch('/api/softphone/config');
			expect(res.status).toBe(200);
			expect(await res.json()).toEqual({ line: false });
			const dispatcher = await bare.userWithRoles(['dispatcher']);
			expect((await dispatcher.fetch('/api/softphone/config')).status).toBe(403);
		} finally {
			await bare.close();
		}
	});
});

describe('quick-create for an unknown number', () => {
	it('suggests by the PBX name, creates a contact of a customer that the number then finds', async () => {
		const agent = await server.userWithRoles(['agent']);
		const { customer, tag } = await makeCustomer('0344 121212', '336 1212121');
		const suggestions = await (
			await agent.fetch(`/api/callers/suggestions?name=${encodeURIComponent(`Officine ${tag}`)}`)
		).json();
		expect(suggestions.items[0]).toMatchObject({ kind: 'customer', id: customer.id });
		const socket = await agent.socket();
		const created = await agent.fetch('/api/callers', {
			method: 'POST',
			json: {
				kind: 'contact',
				customerId: customer.id,
				firstName: 'Gino',
				lastName: 'Nuovo',
				phone: '+39 339 5556667'
			}
		});
		expect(created.status).toBe(201);
		const contact = await created.json();
		expect(contact).toMatchObject({ kind: 'contact', customerId: customer.id, displayName: 'Gino Nuovo' });
		socket.disconnect();
		const found = await (await agent.fetch('/api/callers/lookup?number=3395556667')).json();
		expect(found.matches[0]).toMatchObject({ kind: 'contact', id: contact.id });
	});

	it('creates a prospect, and refuses a bad phone naming the field', async () => {
		const agent = await server.userWithRoles(['agent']);
		const ok = await agent.fetch('/api/callers', {
			method: 'POST',
			json: { kind: 'prospect', companyName: 'Forni Sconosciuti Srl', phone: '0522 909090' }
		});
		expect(ok.status).toBe(201);
		const found = await (await agent.fetch('/api/callers/lookup?number=0522909090')).json();
		expect(found.matches[0]).toMatchObject({ kind: 'prospect', companyName: 'Forni Sconosciuti Srl' });
		const bad = await agent.fetch('/api/callers', {
			method: 'POST',
			json: { kind: 'prospect', lastName: 'X', phone: 'abc' }
		});
		expect(bad.status).toBe(400);
		expect((await bad.json()).error.field).toBe('phone');
	});
});
