import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { contacts, customers } from './customers';

export const callDirectionEnum = pgEnum('call_direction', ['inbound', 'outbound', 'internal']);
export type CallDirection = (typeof callDirectionEnum.enumValues)[number];
export const callOutcomeEnum = pgEnum('call_outcome', [
	'answered',
	'missed',
	'rejected',
	'abandoned',
	'transferred'
]);
export type CallOutcome = (typeof callOutcomeEnum.enumValues)[number];
/** Where the call is now; `ended` once the outcome is known. */
export const callStateEnum = pgEnum('call_state', ['queued', 'ringing', 'talking', 'held', 'ended']);
export type CallState = (typeof callStateEnum.enumValues)[number];
export const callPartyKindEnum = pgEnum('call_party_kind', ['customer', 'contact', 'prospect', 'technician']);
/** Who told us: the agent's browser (sip.js) or the PBX through POST /api/cti/events. */
export const callSourceEnum = pgEnum('call_source', ['browser', 'pbx']);
export const callEventTypeEnum = pgEnum('call_event_type', [
	'offered',
	'queued',
	'ringing',
	'answered',
	'held',
	'resumed',
	'transferred',
	'ended',
	'abandoned',
	'rejected',
	'missed'
]);
export type CallEventType = (typeof callEventTypeEnum.enumValues)[number];

/**
 * The call log. A row is a projection of its events (call_events): it is recomputed from them,
 * ordered by `at`, whenever one arrives, so retried or reordered events cannot corrupt it.
 */
export const calls = pgTable(
	'calls',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** `browser:<SIP Call-ID>:<agent id>` or `pbx:<PBX call id>`: one row per call and point of view. */
		callKey: text('call_key').notNull().unique(),
		source: callSourceEnum('source').notNull(),
		/** The SIP Call-ID or the PBX's id of the call. */
		externalId: text('external_id').notNull(),
		direction: callDirectionEnum('direction').notNull(),
		fromRaw: text('from_raw').notNull(),
		fromE164: text('from_e164'),
		toRaw: text('to_raw').notNull(),
		toE164: text('to_e164'),
		/** Display name the PBX sent with the caller's number. */
		callerName: text('caller_name'),
		/** STIR/SHAKEN attestation passed by the PBX (verstat). */
		verstat: text('verstat'),
		matchedKind: callPartyKindEnum('matched_kind'),
		matchedId: uuid('matched_id'),
		customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
		contactId: uuid('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
		agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
		queue: text('queue'),
		state: callStateEnum('state').notNull(),
		offeredAt: timestamp('offered_at', { withTimezone: true }).notNull(),
		answeredAt: timestamp('answered_at', { withTimezone: true }),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		talkSeconds: integer('talk_seconds'),
		holdSeconds: integer('hold_seconds').notNull().default(0),
		outcome: callOutcomeEnum('outcome'),
		transferredTo: text('transferred_to'),
		/** Picked by the agent in wrap-up. */
		disposition: text('disposition'),
		wrapUpNote: text('wrap_up_note'),
		ticketIds: uuid('ticket_ids')
			.array()
			.notNull()
			.default(sql`'{}'`),
		/** A missed call somebody called back or dismissed. */
		handledAt: timestamp('handled_at', { withTimezone: true }),
		handledById: uuid('handled_by_id').references(() => users.id, { onDelete: 'set null' }),
		version: integer('version').notNull().default(1),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('calls_offered_idx').on(t.offeredAt),
		index('calls_agent_idx').on(t.agentId, t.offeredAt),
		index('calls_customer_idx').on(t.customerId, t.offeredAt),
		// The missed-calls list: inbound, not answered, nobody handled it yet.
		index('calls_missed_idx')
			.on(t.offeredAt)
			.where(sql`outcome in ('missed', 'abandoned') and direction = 'inbound' and handled_at is null`)
	]
);

/** Every event reported for a call; `event_id` makes a retried report harmless. */
export const callEvents = pgTable(
	'call_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		eventId: text('event_id').notNull().unique(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		type: callEventTypeEnum('type').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull(),
		agentId: uuid('agent_id').references(() => users.id, { onDelete: 'set null' }),
		/** The report as received (numbers, queue, agent, transfer target...). */
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('call_events_call_idx').on(t.callId, t.at)]
);

export const agentStateEnum = pgEnum('agent_state', [
	'available',
	'ringing',
	'on_call',
	'wrap_up',
	'break',
	'offline'
]);
export type AgentState = (typeof agentStateEnum.enumValues)[number];

/** Each agent's state now: one row per agent, versioned for the live board. */
export const agentStates = pgTable('agent_states', {
	userId: uuid('user_id')
		.primaryKey()
		.references(() => users.id, { onDelete: 'cascade' }),
	state: agentStateEnum('state').notNull(),
	/** Break reason code. */
	reason: text('reason'),
	since: timestamp('since', { withTimezone: true }).notNull(),
	/** The call that put the agent in ringing, on call or wrap-up. */
	callId: uuid('call_id').references(() => calls.id, { onDelete: 'set null' }),
	/** Wrap-up ends here at the latest (the configured maximum). */
	wrapUpUntil: timestamp('wrap_up_until', { withTimezone: true }),
	version: integer('version').notNull().default(1)
});

/** Every state an agent was in, for the KPIs: [from, to). */
export const agentStateHistory = pgTable(
	'agent_state_history',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		state: agentStateEnum('state').notNull(),
		reason: text('reason'),
		callId: uuid('call_id').references(() => calls.id, { onDelete: 'set null' }),
		from: timestamp('from', { withTimezone: true }).notNull(),
		to: timestamp('to', { withTimezone: true })
	},
	(t) => [index('agent_state_history_user_idx').on(t.userId, t.from)]
);
