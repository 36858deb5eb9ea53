import { and, asc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { users } from '../../db/schema/identity';
import { agentStateHistory, agentStates, calls, type AgentState } from '../../db/schema/calls';
import type { DbOrTx } from '../../db/client';
import type { DomainEvent } from '../core/events';
import { inTransaction, type Ctx, type ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { inScope, watchedTeams } from '../teams/team-scope';
import { conflict, forbidden } from '../core/errors';
import type { AgentStateEntry, AgentStateInput } from './calls.schemas';

export interface CallPolicy {
	defaultCountry: string;
	/** Wrap-up ends by itself after this long. */
	wrapUpMaxSeconds: number;
}

type Raise = (event: DomainEvent) => void;

interface NextState {
	state: AgentState;
	reason?: string | null;
	callId?: string | null;
	wrapUpUntil?: Date | null;
}

const entryColumns = {
	userId: users.id,
	username: users.username,
	displayName: users.displayName,
	extension: users.sipExtension,
	teamId: users.teamId,
	state: agentStates.state,
	reason: agentStates.reason,
	since: agentStates.since,
	callId: agentStates.callId,
	wrapUpUntil: agentStates.wrapUpUntil,
	version: agentStates.version
};

type EntryRow = {
	userId: string;
	username: string;
	displayName: string;
	extension: string | null;
	teamId: string | null;
	state: AgentState | null;
	reason: string | null;
	since: Date | null;
	callId: string | null;
	wrapUpUntil: Date | null;
	version: number | null;
};

function toEntry(row: EntryRow): AgentStateEntry {
	return {
		userId: row.userId,
		username: row.username,
		displayName: row.displayName,
		extension: row.extension,
		teamId: row.teamId,
		state: row.state ?? 'offline',
		reason: row.reason,
		since: (row.since ?? new Date(0)).toISOString(),
		callId: row.callId,
		wrapUpUntil: row.wrapUpUntil?.toISOString() ?? null,
		version: row.version ?? 0
	};
}

async function readEntry(db: DbOrTx, userId: string): Promise<AgentStateEntry> {
	const [row] = await db
		.select(entryColumns)
		.from(users)
		.leftJoin(agentStates, eq(agentStates.userId, users.id))
		.where(eq(users.id, userId));
	return toEntry(row);
}

/**
 * Moves an agent to a new state: the current row (version + 1), the history interval closed and
 * a new one opened, in the caller's transaction; supervisors hear it after commit.
 */
async function transition(db: DbOrTx, raise: Raise, userId: string, next: NextState, at = new Date()) {
	const values = {
		state: next.state,
		reason: next.reason ?? null,
		callId: next.callId ?? null,
		wrapUpUntil: next.wrapUpUntil ?? null,
		since: at
	};
	await db
		.insert(agentStates)
		.values({ userId, ...values })
		.onConflictDoUpdate({
			target: agentStates.userId,
			set: { ...values, version: sql`${agentStates.version} + 1` }
		});
	await db
		.update(agentStateHistory)
		.set({ to: at })
		.where(and(eq(agentStateHistory.userId, userId), isNull(agentStateHistory.to)));
	await db
		.insert(agentStateHistory)
		.values({ userId, state: next.state, reason: values.reason, callId: values.callId, from: at });
	const entry = await readEntry(db, userId);
	raise({ type: 'agent.state_changed', entry });
	return entry;
}

/** The current state, locked for the rest of the transaction. */
async function lockState(db: DbOrTx, userId: string) {
	const [row] = await db.select().from(agentStates).where(eq(agentStates.userId, userId)).for('update');
	return row ?? null;
}

/** An agent sets available, break (with a reason) or offline. Ringing, on call and wrap-up follow the calls. */
export async function setAgentState({ ctx, input }: ServiceArgs<AgentStateInput>): Promise<AgentStateEntry> {
	authorize(ctx.actor, 'calls:report');
	if (ctx.actor.kind !== 'user') throw forbidden('Only an agent has a state');
	const userId = ctx.actor.userId;
	return inTransaction(ctx, async ({ db, raise }) => {
		const current = await lockState(db, userId);
		const reason = input.state === 'break' ? input.reason : null;
		if (current && current.state === input.state && current.reason === reason) return readEntry(db, userId);
		if (current && (current.state === 'ringing' || current.state === 'on_call') && current.callId) {
			const [call] = await db.select({ state: calls.state }).from(calls).where(eq(calls.id, current.callId));
			// Signing out or closing the softphone ends the day even mid-call; a break waits for the call to end.
			if (call && call.state !== 'ended' && input.state !== 'offline') {
				throw conflict('You are on a call: the state changes when it ends', 'state');
			}
		}
		return transition(db, raise, userId, { state: input.state, reason });
	});
}

export async function getMyAgentState({ ctx }: ServiceArgs<void>): Promise<AgentStateEntry> {
	authorize(ctx.actor, 'calls:report');
	if (ctx.actor.kind !== 'user') throw forbidden('Only an agent has a state');
	return readEntry(ctx.db, ctx.actor.userId);
}

/** Every agent (anyone with an extension or the agent role) and their state: the supervisors' board. */
export async function listAgentStates({ ctx }: ServiceArgs<void>): Promise<AgentStateEntry[]> {
	authorize(ctx.actor, 'agent_states:watch');
	const scope = await watchedTeams(ctx.db, ctx.actor);
	const rows = await ctx.db
		.select(entryColumns)
		.from(users)
		.leftJoin(agentStates, eq(agentStates.userId, users.id))
		.where(
			and(
				eq(users.disabled, false),
				sql`('agent' = any(${users.roles}) or ${users.sipExtension} is not null)`
			)
		)
		.orderBy(asc(users.displayName));
	return rows.filter((row) => inScope(scope, row.teamId)).map(toEntry);
}

/** The agent's last socket is gone: nobody can take calls there any more. */
export async function markOffline({ ctx, input }: ServiceArgs<{ userId: string }>): Promise<void> {
	await inTransaction(ctx, async ({ db, raise }) => {
		const current = await lockState(db, input.userId);
		if (!current || current.state === 'offline') return;
		await transition(db, raise, input.userId, { state: 'offline' });
	});
}

/** Wrap-up has a maximum: agents past it become available again. Run by a timer in every process. */
export async function expireWrapUps({ ctx }: ServiceArgs<void>): Promise<number> {
	const due = await ctx.db
		.select({ userId: agentStates.userId })
		.from(agentStates)
		.where(and(eq(agentStates.state, 'wrap_up'), lt(agentStates.wrapUpUntil, new Date())));
	for (const { userId } of due) {
		await inTransaction(ctx, async ({ db, raise }) => {
			const current = await lockState(db, userId);
			// Another process got there first, or the agent moved on.
			if (current?.state !== 'wrap_up' || !current.wrapUpUntil || current.wrapUpUntil > new Date()) return;
			await transition(db, raise, userId, { state: 'available' });
		});
	}
	return due.length;
}

/** Ends the agent's wrap-up for this call (the disposition is saved). */
export async function endWrapUp(db: DbOrTx, raise: Raise, userId: string, callId: string) {
	const current = await lockState(db, userId);
	if (current?.state === 'wrap_up' && current.callId === callId)
		await transition(db, raise, userId, { state: 'available' });
}

/**
 * The agent's state as the call dictates: ringing while an inbound call rings (if free), on call
 * while it is up, wrap-up after an answered call ends, available after an unanswered one. Works on
 * the projected call, so it holds whatever order the events came in.
 */
export async function followCall(
	db: DbOrTx,
	raise: Raise,
	call: { id: string; agentId: string | null; state: string; direction: string; answeredAt: Date | null },
	policy: CallPolicy,
	reportedBy: 'browser' | 'pbx'
) {
	if (!call.agentId) return;
	const current = await lockState(db, call.agentId);
	const state = current?.state ?? 'offline';
	const ownCall = current?.callId === call.id;
	if (call.state === 'ended') {
		if (!ownCall || (state !== 'ringing' && state !== 'on_call')) return;
		if (call.answeredAt) {
			await transition(db, raise, call.agentId, {
				state: 'wrap_up',
				callId: call.id,
				wrapUpUntil: new Date(Date.now() + policy.wrapUpMaxSeconds * 1000)
			});
		} else {
			await transition(db, raise, call.agentId, { state: 'available' });
		}
		return;
	}
	const busy = call.state === 'talking' || call.state === 'held' || call.direction !== 'inbound';
	if (busy) {
		if (!(state === 'on_call' && ownCall))
			await transition(db, raise, call.agentId, { state: 'on_call', callId: call.id });
		return;
	}
	// Ringing: only a free agent shows it; a PBX may ring an agent whose browser has not said so yet.
	const free =
		state === 'available' || (reportedBy === 'browser' && state === 'offline') || state === 'wrap_up';
	if (free) await transition(db, raise, call.agentId, { state: 'ringing', callId: call.id });
}

export type { Ctx };

export interface ReachableAgent {
	userId: string;
	extension: string;
	state: AgentState | 'offline';
}

/**
 * Agents with an extension who are available now, the longest idle first (they became available
 * earliest): who an ACD rings next. The demo switchboard's simulated calls ask it.
 */
export async function availableAgentsLongestIdle(db: DbOrTx): Promise<ReachableAgent[]> {
	const rows = await db
		.select({ userId: users.id, extension: users.sipExtension, state: agentStates.state })
		.from(agentStates)
		.innerJoin(users, eq(users.id, agentStates.userId))
		.where(and(eq(agentStates.state, 'available'), eq(users.disabled, false), isNotNull(users.sipExtension)))
		.orderBy(asc(agentStates.since), asc(users.id));
	return rows.map((r) => ({ userId: r.userId, extension: r.extension ?? '', state: r.state }));
}

/** The agent on an extension and their state (offline when they never had one). */
export async function agentOnExtension(db: DbOrTx, extension: string): Promise<ReachableAgent | null> {
	const [row] = await db
		.select({ userId: users.id, extension: users.sipExtension, state: agentStates.state })
		.from(users)
		.leftJoin(agentStates, eq(agentStates.userId, users.id))
		.where(and(eq(users.sipExtension, extension), eq(users.disabled, false)))
		.limit(1);
	return row ? { userId: row.userId, extension, state: row.state ?? 'offline' } : null;
}
