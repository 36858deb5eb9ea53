/**
 * Call log, agent states and the PBX event API. Plain zod with literal enums (no table imports):
 * the socket contract, and through it the browser, imports these.
 */
import { isoInstant as instant } from '../core/instant';
import { z } from 'zod';

export const callDirections = ['inbound', 'outbound', 'internal'] as const;
export const callOutcomes = ['answered', 'missed', 'rejected', 'abandoned', 'transferred'] as const;
export const callStates = ['queued', 'ringing', 'talking', 'held', 'ended'] as const;
export const callPartyKinds = ['customer', 'contact', 'prospect', 'technician'] as const;
export const agentStates = ['available', 'ringing', 'on_call', 'wrap_up', 'break', 'offline'] as const;
/** Break reason codes an agent may pick. */
export const breakReasons = ['lunch', 'coffee', 'training', 'meeting', 'back_office', 'other'] as const;
/** Dispositions offered in wrap-up. */
export const dispositions = [
	'resolved',
	'ticket_opened',
	'ticket_updated',
	'callback_needed',
	'information',
	'wrong_number',
	'sales',
	'other'
] as const;

const isoInstant = instant();
const party = z.string().trim().min(1).max(300);

/** What the PBX may tell us about a call. */
export const ctiEventTypes = [
	'offered',
	'queued',
	'ringing',
	'answered',
	'held',
	'resumed',
	'transferred',
	'ended',
	'abandoned'
] as const;

export const ctiEventInput = z
	.object({
		eventId: z
			.string()
			.trim()
			.min(1)
			.max(200)
			.describe('Unique per event: a retried event with the same id is ignored'),
		callId: z
			.string()
			.trim()
			.min(1)
			.max(200)
			.describe("The PBX's id of the call (Asterisk linkedid, FreeSWITCH call UUID)"),
		type: z.enum(ctiEventTypes),
		at: isoInstant.describe('When it happened on the PBX; events are ordered by this, not by arrival'),
		from: party.describe('Caller number as the PBX has it (any format, or a SIP URI)'),
		to: party.describe('Called number or extension'),
		queue: z.string().trim().max(100).optional(),
		agent: z.string().trim().max(100).optional().describe("The agent's SIP extension or username"),
		direction: z.enum(['inbound', 'outbound']).default('inbound'),
		callerName: z.string().trim().max(200).optional(),
		transferTarget: z.string().trim().max(200).optional()
	})
	.strict();
export type CtiEventInput = z.infer<typeof ctiEventInput>;

export const ctiEventAccepted = z.object({
	/** Our id of the call-log row. */
	callId: z.uuid(),
	/** The eventId was seen before: nothing changed. */
	duplicate: z.boolean(),
	version: z.number().int()
});

/** Call events a browser reports (the agent is whoever is signed in on the socket). */
export const browserCallEventTypes = [
	'offered',
	'ringing',
	'answered',
	'held',
	'resumed',
	'transferred',
	'ended',
	'rejected',
	'missed'
] as const;

export const callReportInput = z
	.object({
		eventId: z.uuid(),
		/** The SIP Call-ID of the agent's dialog. */
		sipCallId: z.string().trim().min(1).max(300),
		type: z.enum(browserCallEventTypes),
		at: isoInstant,
		direction: z.enum(['inbound', 'outbound']),
		from: party,
		to: party,
		callerName: z.string().trim().max(200).optional(),
		verstat: z.string().trim().max(60).optional(),
		/** The party the agent picked on the landing card (or the only match). */
		matched: z
			.object({ kind: z.enum(callPartyKinds), id: z.uuid(), customerId: z.uuid().optional() })
			.nullable()
			.optional(),
		transferTarget: z.string().trim().max(200).optional()
	})
	.strict();
export type CallReportInput = z.infer<typeof callReportInput>;

export const callLogEntry = z.object({
	id: z.uuid(),
	version: z.number().int(),
	source: z.enum(['browser', 'pbx']),
	direction: z.enum(callDirections),
	state: z.enum(callStates),
	from: z.string(),
	fromE164: z.string().nullable(),
	to: z.string(),
	toE164: z.string().nullable(),
	callerName: z.string().nullable(),
	verstat: z.string().nullable(),
	matched: z.object({ kind: z.enum(callPartyKinds), id: z.uuid() }).nullable(),
	customer: z.object({ id: z.uuid(), companyName: z.string() }).nullable(),
	contact: z.object({ id: z.uuid(), name: z.string() }).nullable(),
	agent: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
	queue: z.string().nullable(),
	offeredAt: z.string(),
	answeredAt: z.string().nullable(),
	endedAt: z.string().nullable(),
	talkSeconds: z.number().int().nullable(),
	holdSeconds: z.number().int(),
	outcome: z.enum(callOutcomes).nullable(),
	transferredTo: z.string().nullable(),
	disposition: z.string().nullable(),
	wrapUpNote: z.string().nullable(),
	ticketIds: z.array(z.uuid()),
	handledAt: z.string().nullable(),
	handledBy: z.string().nullable()
});
export type CallLogEntry = z.infer<typeof callLogEntry>;

export const callListQuery = z.object({
	/** mine: my calls; missed: unanswered inbound calls nobody handled yet; all: everyone's (supervisors). */
	view: z.enum(['mine', 'missed', 'all']).default('mine'),
	/** Keyset paging: calls offered before this instant. */
	before: isoInstant.optional(),
	limit: z.coerce.number().int().min(1).max(200).default(50)
});
export type CallListQuery = z.infer<typeof callListQuery>;

export const callIdParam = z.object({ id: z.uuid('id must be a UUID') });

export const wrapUpInput = z
	.object({
		version: z.number({ error: 'version is required' }).int().positive(),
		disposition: z.enum(dispositions).nullable().optional(),
		wrapUpNote: z.string().trim().max(4000).nullable().optional(),
		ticketIds: z.array(z.uuid()).max(20).optional()
	})
	.strict();
export type WrapUpInput = z.infer<typeof wrapUpInput>;

export const agentStateEntry = z.object({
	userId: z.uuid(),
	username: z.string(),
	displayName: z.string(),
	extension: z.string().nullable(),
	teamId: z.uuid().nullable(),
	state: z.enum(agentStates),
	reason: z.string().nullable(),
	since: z.string(),
	callId: z.uuid().nullable(),
	wrapUpUntil: z.string().nullable(),
	/** 0 for an agent who never had a state (offline). */
	version: z.number().int()
});
export type AgentStateEntry = z.infer<typeof agentStateEntry>;

/** What an agent may set by hand; ringing, on call and wrap-up follow the calls. */
export const agentStateInput = z.discriminatedUnion('state', [
	z.object({ state: z.literal('available') }).strict(),
	z.object({ state: z.literal('offline') }).strict(),
	z.object({ state: z.literal('break'), reason: z.enum(breakReasons) }).strict()
]);
export type AgentStateInput = z.infer<typeof agentStateInput>;
