import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestClient, type TestServer } from '../support/test-server';
import type { SearchHit } from '../../server/search/search.schemas';
import type { TicketDetail } from '../../server/tickets/tickets.schemas';
import { createDesk, openTicket, type Desk } from './tickets-fixtures';

/** Issue 17: the global search finds tickets by number and title, as the ticket desk shows them. */

let server: TestServer;
let agent: TestClient;
let member: TestClient;
let admin: TestClient;
let technician: TestClient;
let openDesk: Desk;
let reservedDesk: Desk;
/** A word no other ticket's title has, so a title search finds exactly this file's tickets. */
const tag = `Zq${randomBytes(3).toString('hex')}`;
let visible: TicketDetail;
let reserved: TicketDetail;

beforeAll(async () => {
	server = await startTestServer();
	[agent, member, admin, technician] = await Promise.all([
		server.userWithRoles(['agent']),
		server.userWithRoles(['agent']),
		server.userWithRoles(['admin']),
		server.userWithRoles(['technician'])
	]);
	openDesk = await createDesk(server, { groupA: [agent] });
	reservedDesk = await createDesk(server, { access: 'reserved', groupA: [member] });
	visible = await openTicket(agent, openDesk, { title: `Caldaia ${tag} in blocco` });
	reserved = await openTicket(member, reservedDesk, { title: `Caldaia ${tag} riservata` });
});
afterAll(() => server?.close());

async function search(client: TestClient, q: string): Promise<SearchHit[]> {
	const res = await client.fetch(`/api/search?q=${encodeURIComponent(q)}&limit=50`);
	const body = await res.json();
	expect(res.status, JSON.stringify(body)).toBe(200);
	return body.hits;
}

const ticketIds = (hits: SearchHit[]) => hits.filter((h) => h.kind === 'ticket').map((h) => h.id);

describe('global search finds tickets', () => {
	it('by the number the ticket page shows, in any case, first, opening the ticket', async () => {
		for (const q of [visible.number, visible.number.toLowerCase()]) {
			const hits = await search(agent, q);
			expect(hits[0]).toMatchObject({
				kind: 'ticket',
				id: visible.id,
				customerId: openDesk.customerId,
				matched: 'number',
				title: `${visible.number} · Caldaia ${tag} in blocco`
			});
		}
	});

	it('by the number without its zeros, by its start while typing, and by its end', async () => {
		const [centre, year, sequence] = visible.number.split('-');
		expect(sequence).toMatch(/^\d{6}$/);
		const short = `${centre}-${year}-${Number(sequence)}`;
		for (const q of [short, `${centre}-${year}-`, sequence, `${year}-${Number(sequence)}`])
			expect(ticketIds(await search(agent, q)), q).toContain(visible.id);
	});

	it('by the words of its title, in any order and case', async () => {
		for (const q of [tag, tag.toUpperCase(), `blocco CALDAIA ${tag.toLowerCase()}`]) {
			const hits = await search(agent, q);
			expect(ticketIds(hits), q).toEqual([visible.id]);
			expect(hits.find((h) => h.kind === 'ticket')?.matched).toBe('title');
		}
		expect(ticketIds(await search(agent, `${tag} frigorifero`))).toEqual([]);
	});

	it("not in a reserved centre's desk to an outsider; its members and administrators find it", async () => {
		for (const q of [reserved.number, `${tag} riservata`]) {
			expect(ticketIds(await search(agent, q)), q).not.toContain(reserved.id);
			expect(ticketIds(await search(member, q)), q).toContain(reserved.id);
			expect(ticketIds(await search(admin, q)), q).toContain(reserved.id);
		}
		expect(ticketIds(await search(admin, tag)).sort()).toEqual([visible.id, reserved.id].sort());
	});

	it('not to a technician, who has no ticket desk', async () => {
		for (const q of [visible.number, tag, visible.number.split('-')[2]])
			expect(ticketIds(await search(technician, q)), q).toEqual([]);
	});
});
