import type { Socket } from 'socket.io-client';
import { actionReasons, serviceCenters, serviceGroupMembers, serviceGroups } from '../../db/schema';
import { demoActionReasons } from '../../db/seed/tickets';
import type { Ctx } from '../../server/core/context';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/realtime/contract';
import { listTickets } from '../../server/tickets/tickets.service';
import { ticketViews, type TicketView } from '../../server/tickets/tickets.schemas';
import { createTestDatabase, prepareTemplate } from '../support/databases';
import { connectSocket, startTestServer, type TestClient } from '../support/test-server';
import { percentile, time } from './stats';

const OPEN_TICKETS = 100_000;
const CLOSED_TICKETS = 20_000;
const AGENTS = 10;
const SOCKETS = 500;
const CHANGES = 40;
const QUERIES_PER_VIEW = 200;

type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * Ticket queues at scale, on a fresh database and a real server in this process:
 * - the queue query (GET /api/tickets' service verb) for every view, p95, at 100,000 open tickets
 *   (plus 20,000 closed ones) in one service centre;
 * - the same through HTTP for the "all open" view;
 * - the delay from a ticket change (an action posted over HTTP) to its arrival in each of 500
 *   connected queue sockets, p95 over every socket and change.
 */
export async function benchTickets(
	log: (message: string) => void = () => {}
): Promise<Record<string, number>> {
	await prepareTemplate();
	const database = await createTestDatabase('bench_tickets');
	const server = await startTestServer({ database, env: { LOG_LEVEL: 'error' } });
	const sockets: ConsoleSocket[] = [];
	try {
		const db = server.runtime.database.handle.db;
		const sql = server.runtime.database.handle.sql;
		log('tickets: creating the service centre, agents and customers...');
		const agents: TestClient[] = await Promise.all(
			Array.from({ length: AGENTS }, () => server.userWithRoles(['agent']))
		);
		const [centre] = await db.insert(serviceCenters).values({ code: 'BN', name: 'Bench' }).returning();
		const groups = await db
			.insert(serviceGroups)
			.values([
				{ serviceCenterId: centre.id, name: 'Primo livello' },
				{ serviceCenterId: centre.id, name: 'Secondo livello' }
			])
			.returning();
		await db
			.insert(serviceGroupMembers)
			.values(agents.map((a, i) => ({ groupId: groups[i % 2].id, userId: a.userId })));
		const [note] = await db
			.insert(actionReasons)
			.values(demoActionReasons.map((r, i) => ({ ...r, serviceCenterId: centre.id, sortOrder: i })))
			.returning({ id: actionReasons.id, code: actionReasons.code })
			.then((rows) => rows.filter((r) => r.code === 'NOTA'));
		await sql`insert into customers (code, company_name) select 'B' || lpad(i::text, 6, '0'), 'Cliente ' || i from generate_series(1, 2000) i`;

		log(`tickets: inserting ${OPEN_TICKETS} open and ${CLOSED_TICKETS} closed tickets...`);
		const started = performance.now();
		await insertTickets(
			sql,
			centre.id,
			groups.map((g) => g.id),
			agents.map((a) => a.userId)
		);
		await sql`vacuum analyze tickets`;
		log(`tickets: inserted in ${Math.round(performance.now() - started)} ms`);

		// The queue query, per view, as an agent of the first group sees it.
		const agent = agents[0];
		const ctx: Ctx = {
			actor: { kind: 'user', userId: agent.userId, username: agent.username, roles: ['agent'], teamId: null },
			db,
			events: server.runtime.events
		};
		const figures: Record<string, number> = {};
		const all: number[] = [];
		for (const view of ticketViews) {
			const query = (page: number) =>
				listTickets({
					ctx,
					input: { view: view as TicketView, serviceCenterId: centre.id, page, pageSize: 50 }
				});
			const first = await query(1);
			if (first.items.length === 0) throw new Error(`the ${view} view is empty: the bench data are wrong`);
			for (let i = 0; i < 20; i++) await query(1 + (i % 3));
			const samples: number[] = [];
			for (let i = 0; i < QUERIES_PER_VIEW; i++) samples.push(await time(() => query(1 + (i % 3))));
			all.push(...samples);
			figures[`tickets.queue_${view}_p95_ms`] = round(percentile(samples, 95));
		}
		figures['tickets.queue_query_p95_ms'] = round(percentile(all, 95));
		const http: number[] = [];
		for (let i = 0; i < 100; i++) {
			http.push(
				await time(async () => {
					const res = await agent.fetch(
						`/api/tickets?view=open&serviceCenterId=${centre.id}&page=${1 + (i % 3)}`
					);
					if (res.status !== 200) throw new Error(`GET /api/tickets answered ${res.status}`);
					await res.arrayBuffer();
				})
			);
		}
		figures['tickets.queue_http_p95_ms'] = round(percentile(http.slice(20), 95));
		log(`tickets: queue query p95 ${figures['tickets.queue_query_p95_ms']} ms`);

		log(`tickets: connecting ${SOCKETS} queue sockets...`);
		for (let i = 0; i < SOCKETS; i += 50) {
			await Promise.all(
				Array.from({ length: Math.min(50, SOCKETS - i) }, (_, k) =>
					connectSocket(server.origin, agents[(i + k) % AGENTS].cookie, sockets as never)
				)
			);
		}
		const arrivals: number[] = [];
		let waiting: { key: string; startedAt: number; remaining: number; done: () => void } | null = null;
		for (const socket of sockets) {
			socket.on('ticket:changed', (change) => {
				const at = performance.now();
				if (waiting && `${change.id}:${change.version}` === waiting.key) {
					arrivals.push(at - waiting.startedAt);
					if (--waiting.remaining === 0) waiting.done();
				}
			});
		}
		const targets = await sql<Array<{ id: string; version: number }>>`
			select id, version from tickets where service_center_id = ${centre.id} and status = 'in_progress' order by random() limit ${CHANGES}`;
		log(`tickets: ${CHANGES} ticket changes to ${SOCKETS} sockets...`);
		for (const [i, ticket] of targets.entries()) {
			const all = new Promise<void>((resolve, reject) => {
				const timer = setTimeout(
					() =>
						reject(
							new Error(`change ${i} reached ${SOCKETS - waiting!.remaining} of ${SOCKETS} sockets in 10 s`)
						),
					10_000
				);
				waiting = {
					key: `${ticket.id}:${ticket.version + 1}`,
					startedAt: performance.now(),
					remaining: sockets.length,
					done: () => {
						clearTimeout(timer);
						resolve();
					}
				};
			});
			const res = await agent.fetch(`/api/tickets/${ticket.id}/actions`, {
				method: 'POST',
				json: { reasonId: note.id, version: ticket.version, note: `bench ${i}` }
			});
			if (res.status !== 200) throw new Error(`action answered ${res.status}: ${await res.text()}`);
			await all;
			waiting = null;
		}
		figures['tickets.change_to_sockets_p50_ms'] = round(percentile(arrivals, 50));
		figures['tickets.change_to_sockets_p95_ms'] = round(percentile(arrivals, 95));
		figures['tickets.change_to_sockets_max_ms'] = round(Math.max(...arrivals));
		figures['tickets.queue_sockets'] = sockets.length;
		figures['tickets.open_tickets'] = OPEN_TICKETS;
		return figures;
	} finally {
		for (const socket of sockets) socket.disconnect();
		await server.close();
		await database.drop();
	}
}

/**
 * 100,000 open tickets in one centre in one statement: a third unowned (in a group's queue or
 * "to assign"), one in ten waiting for the customer (clock paused), one in twenty breached, the
 * rest with deadlines spread over the next ten days.
 */
async function insertTickets(
	sql: import('postgres').Sql,
	centreId: string,
	groupIds: string[],
	agentIds: string[]
) {
	await sql`
		with c as (select id, (row_number() over (order by code)) - 1 as rn from customers),
		a as (select * from unnest(${agentIds}::uuid[]) with ordinality as a(id, n)),
		t as (
			select i,
				(array['urgent','high','normal','low'])[1 + (i * 7) % 4]::ticket_priority as priority,
				case when i > ${OPEN_TICKETS} then 'closed'
					when i % 10 < 3 then 'new' when i % 10 < 5 then 'assigned' when i % 10 < 8 then 'in_progress'
					when i % 10 = 8 then 'waiting_customer' else 'waiting_parts' end::ticket_status as status,
				now() - ((i * 7919) % 7200) * interval '1 minute' as opened_at,
				now() + (((i * 104729) % 14400) + 60) * interval '1 minute' as due_at,
				i % 20 = 7 as breached,
				-- Agent k is in group k % 2 (see the caller).
				(i / 10) % ${agentIds.length} as owner_index
			from generate_series(1::bigint, ${OPEN_TICKETS + CLOSED_TICKETS}) i
		)
		insert into tickets (number, service_center_id, customer_id, origin, title, priority, status, owner_id, group_id,
			opened_at, status_changed_at, queued_at, sla_first_response_minutes, sla_resolution_minutes,
			sla_first_response_due_at, sla_resolution_due_at, sla_first_response_breached, sla_next_due_at, sla_next_check_at,
			sla_pauses, closed_at)
		select 'BN-2026-' || lpad(t.i::text, 7, '0'), ${centreId}, c.id, 'phone', 'Macchina ferma ' || t.i, t.priority, t.status,
			case when t.status = 'new' then null else (select id from a where a.n = 1 + t.owner_index) end,
			case when t.status = 'new' and t.i % 3 = 0 then null
				when t.status = 'new' then (${groupIds}::uuid[])[1 + t.i % 2]
				else (${groupIds}::uuid[])[1 + t.owner_index % 2] end,
			t.opened_at, t.opened_at, case when t.status = 'new' then t.opened_at end, 240, 2400,
			case when t.breached then now() - interval '1 hour' else t.due_at end,
			t.due_at + interval '2 days', t.breached,
			case when t.status in ('waiting_customer', 'closed') then null when t.breached then now() - interval '1 hour' else t.due_at end,
			case when t.status in ('waiting_customer', 'closed') or t.breached then null else t.due_at end,
			case when t.status = 'waiting_customer' then jsonb_build_array(jsonb_build_object('from', t.opened_at, 'to', null)) else '[]'::jsonb end,
			case when t.status = 'closed' then now() end
		from t join c on c.rn = t.i % 2000`;
}
