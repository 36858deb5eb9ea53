import { and, desc, eq, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { contacts, customers, tickets, users } from '../../db/schema';
import { callEvents, calls, type CallDirection, type CallEventType } from '../../db/schema/calls';
import type { DbOrTx } from '../../db/client';
import { inTransaction, type Actor, type Ctx, type ServiceArgs } from '../core/context';
import { visibleServiceCenterIds } from '../tickets/visibility';
import { authorize, can } from '../auth/policy';
import { badRequest, conflict, forbidden, notFound } from '../core/errors';
import type { DomainEvent } from '../core/events';
import { normalizePhone } from '../callers/phone';
import { sipUserPart } from '../callers/sip-uri';
import { lookupCaller } from '../callers/callers.service';
import type { CallerCard } from '../callers/callers.schemas';
import { projectCall } from './call-projection';
import { endWrapUp, followCall, type CallPolicy } from './agent-states.service';
import type {
	CallListQuery,
	CallLogEntry,
	CallReportInput,
	CtiEventInput,
	WrapUpInput
} from './calls.schemas';

interface IngestInput {
	source: 'browser' | 'pbx';
	externalId: string;
	callKey: string;
	eventId: string;
	type: CallEventType;
	at: Date;
	direction: 'inbound' | 'outbound';
	from: string;
	to: string;
	callerName?: string;
	verstat?: string;
	queue?: string;
	transferTarget?: string;
	agentId: string | null;
	matched?: {
		kind: 'customer' | 'contact' | 'prospect' | 'technician';
		id: string;
		customerId?: string;
	} | null;
	payload: Record<string, unknown>;
}

export interface IngestResult {
	callId: string;
	duplicate: boolean;
	version: number;
}

/** A call event reported by the agent's browser (sip.js) over the socket. */
export async function reportCallEvent({
	ctx,
	input,
	policy
}: ServiceArgs<CallReportInput> & { policy: CallPolicy }): Promise<IngestResult> {
	authorize(ctx.actor, 'calls:report');
	if (ctx.actor.kind !== 'user') throw forbidden('Only an agent reports calls');
	const { eventId, sipCallId, type, at, direction, from, to, callerName, verstat, matched, transferTarget } =
		input;
	return ingest(
		ctx,
		{
			source: 'browser',
			externalId: sipCallId,
			callKey: `browser:${sipCallId}:${ctx.actor.userId}`,
			eventId: `browser:${eventId}`,
			type,
			at: new Date(at),
			direction,
			from,
			to,
			callerName,
			verstat,
			transferTarget,
			matched,
			agentId: ctx.actor.userId,
			payload: { ...input }
		},
		policy
	);
}

/** A PBX event from POST /api/cti/events. */
export async function ingestCtiEvent({
	ctx,
	input,
	policy
}: ServiceArgs<CtiEventInput> & { policy: CallPolicy }): Promise<IngestResult> {
	authorize(ctx.actor, 'cti:ingest');
	const agentId = input.agent ? await agentByExtensionOrUsername(ctx.db, input.agent) : null;
	return ingest(
		ctx,
		{
			source: 'pbx',
			externalId: input.callId,
			callKey: `pbx:${input.callId}`,
			eventId: `pbx:${input.eventId}`,
			type: input.type,
			at: new Date(input.at),
			direction: input.direction,
			from: input.from,
			to: input.to,
			callerName: input.callerName,
			queue: input.queue,
			transferTarget: input.transferTarget,
			agentId,
			payload: { ...input }
		},
		policy
	);
}

async function agentByExtensionOrUsername(db: DbOrTx, agent: string): Promise<string | null> {
	const [user] = await db
		.select({ id: users.id })
		.from(users)
		.where(or(eq(users.sipExtension, agent), eq(sql`lower(${users.username})`, agent.toLowerCase())))
		.limit(1);
	return user?.id ?? null;
}

/**
 * One event into the log: stored once (a repeated eventId changes nothing), then the call row is
 * recomputed from all its events ordered by `at`. The upsert locks the call row, so concurrent
 * events of one call are applied one after the other.
 */
async function ingest(ctx: Ctx, input: IngestInput, policy: CallPolicy): Promise<IngestResult> {
	const from = normalizePhone(input.from, policy.defaultCountry);
	const to = normalizePhone(input.to, policy.defaultCountry);
	const remote = input.direction === 'inbound' ? input.from : input.to;
	// Outside the transaction: a read that only decides the first values of a new row.
	const [colleague] = await ctx.db
		.select({ id: users.id })
		.from(users)
		.where(eq(users.sipExtension, sipUserPart(remote)))
		.limit(1);
	const direction: CallDirection = colleague ? 'internal' : input.direction;
	let matched = input.matched ?? null;
	if (input.matched === undefined && direction !== 'internal') {
		const found = await lookupCaller({
			ctx: { ...ctx, actor: { kind: 'system', name: 'call-log' } },
			input: { number: remote },
			defaultCountry: policy.defaultCountry
		}).catch(() => null);
		const best = found?.matches.filter((m) => m.match === 'exact') ?? [];
		// Only an unambiguous owner is linked automatically; otherwise the agent picks on the card.
		if (best.length === 1) matched = { kind: best[0].kind, id: best[0].id, customerId: best[0].customerId };
	}

	return inTransaction(ctx, async ({ db, raise }) => {
		const [row] = await db
			.insert(calls)
			.values({
				callKey: input.callKey,
				source: input.source,
				externalId: input.externalId,
				direction,
				fromRaw: input.from,
				fromE164: from?.e164 ?? null,
				toRaw: input.to,
				toE164: to?.e164 ?? null,
				callerName: input.callerName ?? null,
				verstat: input.verstat ?? null,
				state: 'ringing',
				offeredAt: input.at,
				agentId: input.agentId
			})
			.onConflictDoUpdate({ target: calls.callKey, set: { updatedAt: sql`now()` } })
			.returning({ id: calls.id, version: calls.version, matchedId: calls.matchedId });
		const inserted = await db
			.insert(callEvents)
			.values({
				eventId: input.eventId,
				callId: row.id,
				type: input.type,
				at: input.at,
				agentId: input.agentId,
				payload: input.payload
			})
			.onConflictDoNothing({ target: callEvents.eventId })
			.returning({ id: callEvents.id, callId: callEvents.callId });
		if (inserted.length === 0) {
			const [seen] = await db
				.select({ callId: callEvents.callId })
				.from(callEvents)
				.where(eq(callEvents.eventId, input.eventId));
			const [call] = await db.select({ version: calls.version }).from(calls).where(eq(calls.id, seen.callId));
			return { callId: seen.callId, duplicate: true, version: call.version };
		}

		const events = await db
			.select({
				type: callEvents.type,
				at: callEvents.at,
				agentId: callEvents.agentId,
				payload: callEvents.payload,
				receivedAt: callEvents.receivedAt
			})
			.from(callEvents)
			.where(eq(callEvents.callId, row.id));
		const facts = projectCall(
			events.map((e) => ({
				type: e.type,
				at: e.at,
				agentId: e.agentId,
				receivedAt: e.receivedAt,
				queue: typeof e.payload.queue === 'string' ? e.payload.queue : null,
				transferTarget: typeof e.payload.transferTarget === 'string' ? e.payload.transferTarget : null
			}))
		);
		const matchUpdate =
			matched && (input.matched !== undefined || !row.matchedId)
				? {
						matchedKind: matched.kind,
						matchedId: matched.id,
						customerId: matched.kind === 'customer' ? matched.id : (matched.customerId ?? null),
						contactId: matched.kind === 'contact' ? matched.id : null
					}
				: {};
		const [updated] = await db
			.update(calls)
			.set({
				...facts,
				...matchUpdate,
				...(input.callerName ? { callerName: input.callerName } : {}),
				...(input.verstat ? { verstat: input.verstat } : {}),
				version: sql`${calls.version} + 1`,
				updatedAt: new Date()
			})
			.where(eq(calls.id, row.id))
			.returning();
		await followCall(db, raise, updated, policy, input.source);
		raise({ type: 'call.changed', entry: await readEntry(db, updated.id) });
		return { callId: updated.id, duplicate: false, version: updated.version };
	});
}

const agentUser = alias(users, 'agent_user');
const handler = alias(users, 'handler_user');

async function selectEntries(db: DbOrTx, where: SQL | undefined, limit = 1): Promise<CallLogEntry[]> {
	const rows = await db
		.select({
			call: calls,
			customerName: customers.companyName,
			contactFirst: contacts.firstName,
			contactLast: contacts.lastName,
			agentName: agentUser.displayName,
			handledBy: handler.displayName
		})
		.from(calls)
		.leftJoin(customers, eq(customers.id, calls.customerId))
		.leftJoin(contacts, eq(contacts.id, calls.contactId))
		.leftJoin(agentUser, eq(agentUser.id, calls.agentId))
		.leftJoin(handler, eq(handler.id, calls.handledById))
		.where(where)
		.orderBy(desc(calls.offeredAt), desc(calls.id))
		.limit(limit);
	return rows.map(({ call: c, ...r }) => ({
		id: c.id,
		version: c.version,
		source: c.source,
		direction: c.direction,
		state: c.state,
		from: c.fromRaw,
		fromE164: c.fromE164,
		to: c.toRaw,
		toE164: c.toE164,
		callerName: c.callerName,
		verstat: c.verstat,
		matched: c.matchedKind && c.matchedId ? { kind: c.matchedKind, id: c.matchedId } : null,
		customer: c.customerId && r.customerName ? { id: c.customerId, companyName: r.customerName } : null,
		contact:
			c.contactId && r.contactLast ? { id: c.contactId, name: `${r.contactFirst} ${r.contactLast}` } : null,
		agent: c.agentId && r.agentName ? { id: c.agentId, displayName: r.agentName } : null,
		queue: c.queue,
		offeredAt: c.offeredAt.toISOString(),
		answeredAt: c.answeredAt?.toISOString() ?? null,
		endedAt: c.endedAt?.toISOString() ?? null,
		talkSeconds: c.talkSeconds,
		holdSeconds: c.holdSeconds,
		outcome: c.outcome,
		transferredTo: c.transferredTo,
		disposition: c.disposition,
		wrapUpNote: c.wrapUpNote,
		ticketIds: c.ticketIds,
		handledAt: c.handledAt?.toISOString() ?? null,
		handledBy: r.handledBy
	}));
}

async function readEntry(db: DbOrTx, id: string): Promise<CallLogEntry> {
	const [entry] = await selectEntries(db, eq(calls.id, id));
	if (!entry) throw notFound('Call');
	return entry;
}

const missedWhere = sql`${calls.outcome} in ('missed', 'abandoned') and ${calls.direction} = 'inbound' and ${calls.handledAt} is null`;

/** The call log: my calls, the missed calls nobody handled yet, or everyone's (supervisors). */
export async function listCalls({
	ctx,
	input
}: ServiceArgs<CallListQuery>): Promise<{ items: CallLogEntry[] }> {
	authorize(ctx.actor, 'calls:read');
	const before = input.before ? lt(calls.offeredAt, new Date(input.before)) : undefined;
	let where: SQL | undefined;
	if (input.view === 'all') {
		authorize(ctx.actor, 'calls:read_all');
		where = before;
	} else if (input.view === 'missed') {
		where = and(missedWhere, before);
	} else {
		if (ctx.actor.kind !== 'user') throw forbidden('Only a user has calls of their own');
		where = and(eq(calls.agentId, ctx.actor.userId), before);
	}
	return { items: await selectEntries(ctx.db, where, input.limit) };
}

export async function getCall({ ctx, input }: ServiceArgs<{ id: string }>): Promise<CallLogEntry> {
	authorize(ctx.actor, 'calls:read');
	const entry = await readEntry(ctx.db, input.id);
	assertMayRead(ctx, entry);
	return entry;
}

function assertMayRead(ctx: Ctx, entry: CallLogEntry) {
	const call = { agentId: entry.agent?.id ?? null, direction: entry.direction, outcome: entry.outcome };
	if (!mayReadCall(ctx.actor, call)) throw forbidden('This call is not yours');
}

/** Tickets named in a body are checked like one in the path: a reserved centre's stay hidden. */
async function assertTicketsVisible(db: DbOrTx, actor: Actor, ticketIds: string[]) {
	const wanted = [...new Set(ticketIds)];
	const [visible, rows] = await Promise.all([
		visibleServiceCenterIds(db, actor),
		db
			.select({ id: tickets.id, serviceCenterId: tickets.serviceCenterId })
			.from(tickets)
			.where(inArray(tickets.id, wanted))
	]);
	const found = new Map(rows.map((r) => [r.id, r.serviceCenterId]));
	for (const [i, id] of ticketIds.entries()) {
		const centre = found.get(id);
		if (!centre || !visible.includes(centre)) {
			// Not found and not yours look the same: an id does not reveal a reserved ticket.
			throw badRequest(`ticketIds.${i}: no such ticket among those you can see`, `ticketIds.${i}`);
		}
	}
}

/** One's own calls, the missed calls everybody works, or everyone's with calls:read_all. */
function mayReadCall(
	actor: Actor,
	call: { agentId: string | null; direction: string; outcome: string | null }
): boolean {
	if (can(actor, 'calls:read_all')) return true;
	const own = actor.kind === 'user' && call.agentId === actor.userId;
	const missed = call.direction === 'inbound' && (call.outcome === 'missed' || call.outcome === 'abandoned');
	return own || missed;
}

/** Wrap-up: the agent's disposition, note and linked tickets; ends the agent's wrap-up state. */
export async function wrapUpCall({
	ctx,
	input
}: ServiceArgs<{ id: string; wrapUp: WrapUpInput }>): Promise<CallLogEntry> {
	authorize(ctx.actor, 'calls:report');
	const { version, ...changes } = input.wrapUp;
	return inTransaction(ctx, async ({ db, raise }) => {
		const [call] = await db.select().from(calls).where(eq(calls.id, input.id)).for('update');
		if (!call) throw notFound('Call');
		const own = ctx.actor.kind === 'user' && call.agentId === ctx.actor.userId;
		if (!own && !can(ctx.actor, 'calls:read_all'))
			throw forbidden('Only the agent of the call writes its wrap-up');
		if (call.version !== version) {
			throw conflict(
				`The call was changed meanwhile (now version ${call.version}): reload and retry`,
				'version'
			);
		}
		if (changes.ticketIds?.length) await assertTicketsVisible(db, ctx.actor, changes.ticketIds);
		await db
			.update(calls)
			.set({ ...changes, version: sql`${calls.version} + 1`, updatedAt: new Date() })
			.where(eq(calls.id, call.id));
		if (own && call.state === 'ended' && ctx.actor.kind === 'user')
			await endWrapUp(db, raise, ctx.actor.userId, call.id);
		const entry = await readEntry(db, call.id);
		raise({ type: 'call.changed', entry });
		return entry;
	});
}

/**
 * A ticket opened from a call (the landing card's "new ticket"): the call log lists it. Runs in
 * the transaction that creates the ticket, so neither exists without the other.
 */
export async function linkTicketToCall(
	db: DbOrTx,
	raise: (event: DomainEvent) => void,
	link: { callId: string; ticketId: string; actor: Actor }
): Promise<void> {
	// The call in the body is checked like one in the path: one's own, a missed one, or anyone's
	// for a supervisor. Another agent's call is not a place to append tickets to.
	if (!can(link.actor, 'calls:read')) throw forbidden('callId: your role may not link tickets to calls');
	const [call] = await db
		.select({ agentId: calls.agentId, direction: calls.direction, outcome: calls.outcome })
		.from(calls)
		.where(eq(calls.id, link.callId))
		.for('update');
	if (!call) throw badRequest('callId: no call with this id in the call log', 'callId');
	// A call no agent has taken yet (offered to a queue, ringing) is open to whoever answers it.
	if (call.agentId !== null && !mayReadCall(link.actor, call)) {
		throw forbidden('callId: this call is not yours');
	}
	const [updated] = await db
		.update(calls)
		.set({
			ticketIds: sql`array_append(${calls.ticketIds}, ${link.ticketId}::uuid)`,
			version: sql`${calls.version} + 1`,
			updatedAt: new Date()
		})
		.where(eq(calls.id, link.callId))
		.returning({ id: calls.id });
	if (!updated) throw badRequest('callId: no call with this id in the call log', 'callId');
	raise({ type: 'call.changed', entry: await readEntry(db, link.callId) });
}

/** A missed call was called back or dismissed: it leaves everyone's missed list. */
export async function markCallHandled({ ctx, input }: ServiceArgs<{ id: string }>): Promise<CallLogEntry> {
	authorize(ctx.actor, 'calls:read');
	if (ctx.actor.kind !== 'user') throw forbidden('Only a user handles a missed call');
	const userId = ctx.actor.userId;
	return inTransaction(ctx, async ({ db, raise }) => {
		const [updated] = await db
			.update(calls)
			.set({
				handledAt: new Date(),
				handledById: userId,
				version: sql`${calls.version} + 1`,
				updatedAt: new Date()
			})
			.where(
				and(eq(calls.id, input.id), isNull(calls.handledAt), inArray(calls.outcome, ['missed', 'abandoned']))
			)
			.returning({ id: calls.id });
		if (!updated) {
			const [call] = await db
				.select({ handledAt: calls.handledAt })
				.from(calls)
				.where(eq(calls.id, input.id));
			if (!call) throw notFound('Call');
			if (call.handledAt) return readEntry(db, input.id);
			throw conflict('Only a missed call can be marked handled');
		}
		const entry = await readEntry(db, input.id);
		raise({ type: 'call.changed', entry });
		return entry;
	});
}

/** The customer's last calls, for the landing card. */
export async function recentCallsOf(ctx: Ctx, customerId: string): Promise<CallerCard['recentCalls']> {
	const rows = await ctx.db
		.select({
			id: calls.id,
			direction: calls.direction,
			offeredAt: calls.offeredAt,
			outcome: calls.outcome,
			agent: users.displayName,
			talkSeconds: calls.talkSeconds,
			disposition: calls.disposition,
			wrapUpNote: calls.wrapUpNote
		})
		.from(calls)
		.leftJoin(users, eq(users.id, calls.agentId))
		// Finished calls only: the call ringing now is the one the card is open for.
		.where(and(eq(calls.customerId, customerId), eq(calls.state, 'ended')))
		.orderBy(desc(calls.offeredAt))
		.limit(5);
	return rows.map((r) => ({ ...r, offeredAt: r.offeredAt.toISOString() }));
}
