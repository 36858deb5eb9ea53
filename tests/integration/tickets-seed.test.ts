import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { connectDatabase, type DatabaseHandle } from '../../db/client';
import { seedDemo } from '../../db/seed/demo';
import { seedTicketsDemo } from '../../db/seed/tickets';
import { DomainEventBus } from '../../server/core/events';
import type { Ctx } from '../../server/core/context';
import { previewSla } from '../../server/sla/sla.service';
import { countTickets, listTickets } from '../../server/tickets/tickets.service';
import { runSlaDeadlines } from '../../server/sla/sla-deadlines.job';

let database: TestDatabase;
let handle: DatabaseHandle;
beforeAll(async () => {
	database = await createTestDatabase('seed_tickets');
	handle = connectDatabase(database.url, { max: 4 });
});
afterAll(async () => {
	await handle?.close();
	await database?.drop();
});

describe('demo support desk', () => {
	it(
		'configures Assistenza tecnica as the issue describes and opens a few dozen tickets, once',
		{ timeout: 60_000 },
		async () => {
			await seedDemo(handle.db, { today: '2026-11-22' });
			const now = new Date('2026-11-23T10:00:00+01:00');
			expect(await seedTicketsDemo(handle.db, { now })).toEqual({ tickets: 40 });
			expect(await seedTicketsDemo(handle.db, { now })).toEqual({ tickets: 0 });

			const ctx: Ctx = {
				actor: { kind: 'system', name: 'test' },
				db: handle.db,
				events: new DomainEventBus()
			};
			const [at] = await handle.sql<Array<{ id: string }>>`select id from service_centers where code = 'AT'`;
			const preview = (priority: 'urgent' | 'high' | 'normal' | 'low') =>
				previewSla({
					ctx,
					input: { serviceCenterId: at.id, priority, openedAt: '2026-03-06T17:00:00+01:00' }
				});
			expect(await preview('urgent')).toMatchObject({ firstResponseMinutes: 60, resolutionMinutes: 480 });
			expect(await preview('high')).toMatchObject({ firstResponseMinutes: 120, resolutionMinutes: 960 });
			expect(await preview('normal')).toMatchObject({ firstResponseMinutes: 240, resolutionMinutes: 2400 });
			expect(await preview('low')).toMatchObject({ firstResponseMinutes: 480, resolutionMinutes: 4800 });

			await runSlaDeadlines({ ctx, input: { now } });
			const counts = await countTickets({ ctx, input: { serviceCenterId: at.id } });
			expect(counts.open).toBe(40);
			expect(counts.breached).toBeGreaterThan(0);
			const queue = await listTickets({
				ctx,
				input: { view: 'open', serviceCenterId: at.id, page: 1, pageSize: 50 }
			});
			expect(new Set(queue.items.map((t) => t.priority))).toEqual(
				new Set(['urgent', 'high', 'normal', 'low'])
			);
			const due = queue.items.filter((t) => t.slaNextDueAt).map((t) => Date.parse(t.slaNextDueAt!));
			expect(due).toEqual([...due].sort((a, b) => a - b));
			const [{ reasons, rules }] = await handle.sql<Array<{ reasons: number; rules: number }>>`
			select (select count(*)::int from action_reasons where service_center_id = ${at.id}) as reasons,
				(select count(*)::int from assignment_rules where service_center_id = ${at.id}) as rules`;
			expect(reasons).toBeGreaterThan(10);
			expect(rules).toBe(4);
		}
	);
});
