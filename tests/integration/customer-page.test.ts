import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { tickets } from '../../db/schema';
import { calls } from '../../db/schema/calls';
import type { CustomerDetail } from '../../server/customers/customers.schemas';
import { startTestServer, type TestServer } from '../support/test-server';
import { actOk, createDesk, dbOf, openTicket } from './tickets-fixtures';

/*
 * The customer page was a dead end (issue 17): GET /api/customers/{id} now also answers the
 * customer's tickets (open first), the latest activities on them, its last calls, and each
 * contract's lines, so the page shows them and opens machines and contracts in place.
 */
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server?.close());

async function endedCall(customerId: string, agentId: string, offeredAt: Date) {
	await dbOf(server)
		.insert(calls)
		.values({
			callKey: `test:${randomUUID()}`,
			source: 'pbx',
			externalId: randomUUID(),
			direction: 'inbound',
			fromRaw: '0351234567',
			toRaw: '100',
			state: 'ended',
			outcome: 'answered',
			agentId,
			customerId,
			talkSeconds: 95,
			wrapUpNote: 'Richiamare per il preventivo',
			offeredAt
		});
}

describe('the customer record', () => {
	it('lists its tickets open first, their activities, its calls and its contract lines', async () => {
		const agent = await server.userWithRoles(['agent']);
		const desk = await createDesk(server, { groupA: [agent] });
		const closed = await openTicket(agent, desk, { title: 'Manutenzione programmata' });
		await dbOf(server)
			.update(tickets)
			.set({ status: 'closed', closedAt: new Date() })
			.where(eq(tickets.id, closed.id));
		const open = await openTicket(agent, desk, { machineId: desk.machineId, title: 'Tornio fermo' });
		await actOk(agent, open, desk.reasons.NOTA, { note: 'Tecnico avvisato' });
		const reserved = await createDesk(server, { access: 'reserved' });
		await openTicket(await server.userWithRoles(['admin']), { ...reserved, customerId: desk.customerId });
		await endedCall(desk.customerId, agent.userId, new Date(Date.now() - 60_000));

		const res = await agent.fetch(`/api/customers/${desk.customerId}`);
		expect(res.status).toBe(200);
		const customer = (await res.json()) as CustomerDetail;

		// The reserved desk's ticket stays hidden; the open one comes before the closed one.
		expect(customer.tickets.map((t) => [t.id, t.status])).toEqual([
			[open.id, open.status],
			[closed.id, 'closed']
		]);
		expect(customer.tickets[0]).toMatchObject({ machineId: desk.machineId, title: 'Tornio fermo' });
		expect(customer.recentActivities[0]).toMatchObject({ ticketId: open.id, note: 'Tecnico avvisato' });
		expect(customer.recentActivities.every((a) => a.ticketId !== undefined)).toBe(true);
		expect(customer.recentCalls).toEqual([
			expect.objectContaining({
				outcome: 'answered',
				talkSeconds: 95,
				wrapUpNote: 'Richiamare per il preventivo'
			})
		]);

		const [machine] = customer.machines;
		expect(machine.id).toBe(desk.machineId);
		expect(customer.contracts).toHaveLength(1);
		expect(customer.contracts[0].lines).toBe(1);
		expect(customer.contracts[0].contractLines).toEqual([
			{
				id: expect.any(String),
				machineId: machine.id,
				serialNumber: machine.serialNumber,
				model: 'Tornio CNC',
				visitEveryMonths: 6,
				notes: null
			}
		]);
	});

	it('leaves the calls out for a role that may not read the call log', async () => {
		const agent = await server.userWithRoles(['agent']);
		const dispatcher = await server.userWithRoles(['dispatcher']);
		const desk = await createDesk(server, { groupA: [agent] });
		await openTicket(agent, desk, { title: 'Pressa rumorosa' });
		await endedCall(desk.customerId, agent.userId, new Date());

		const customer = (await (
			await dispatcher.fetch(`/api/customers/${desk.customerId}`)
		).json()) as CustomerDetail;
		expect(customer.recentCalls).toEqual([]);
		expect(customer.tickets).toHaveLength(1);
	});
});
