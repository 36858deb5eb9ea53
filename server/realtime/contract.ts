/**
 * The one socket contract, imported by the server and the SvelteKit client alike.
 * Types describe; the zod schemas below validate every inbound payload.
 */
import { z } from 'zod';
import type { ErrorDetail } from '../core/errors';
import type { TicketRow } from '../tickets/tickets.schemas';
import type { SlaAlert } from '../sla/sla.schemas';
import type { NotificationView } from '../notifications/notifications.schemas';
import type { AgentStateEntry, AgentStateInput, CallLogEntry, CallReportInput } from '../calls/calls.schemas';

export { agentStateInput, callReportInput } from '../calls/calls.schemas';
export type { AgentStateEntry, CallLogEntry };

/** Every pushed change names its entity, id and version: a client that sees a gap refetches. */
export interface EntityChange<E extends string = string, D = unknown> {
	entity: E;
	id: string;
	version: number;
	op: 'created' | 'updated' | 'deleted';
	data?: D;
}

export interface PresenceEntry {
	userId: string;
	username: string;
	roles: string[];
	teamId: string | null;
	online: boolean;
	at: string;
}

export type Ack<T = undefined> = (
	reply:
		| { ok: true; data?: T }
		| { ok: false; error: { code: string; message: string; field?: string } & ErrorDetail }
) => void;

/** A queue row after a change: to every socket that may see the ticket's service centre. */
export type TicketChange = EntityChange<'ticket', TicketRow> & { data: TicketRow };
export type { TicketRow, SlaAlert, NotificationView };

export interface ServerToClientEvents {
	/** A ticket was created or changed; `data` is its queue row. A version gap means: refetch the queue. */
	'ticket:changed': (change: TicketChange) => void;
	/** A ticket reached the warning share of a deadline, or the deadline: to its service centre. */
	'ticket:sla': (alert: SlaAlert) => void;
	/** A notification for this user, with the new unread count (the bell). */
	'notification:new': (push: { notification: NotificationView; unread: number }) => void;
	/** Notifications were read on one of the user's consoles. */
	'notification:read': (state: { ids: string[] | 'all'; unread: number }) => void;
	'entity:changed': (change: EntityChange) => void;
	/** Supervisor-only: who is online. */
	'presence:changed': (entry: PresenceEntry) => void;
	/** The server ends this session (logout elsewhere, account disabled). */
	'session:ended': (reason: { reason: 'logout' | 'disabled' | 'expired' }) => void;
	/** A call of the log changed (the agent's own, missed calls for every agent, all for supervisors). */
	'call:changed': (change: EntityChange<'call', CallLogEntry>) => void;
	/** An agent's state changed: to supervisors (room agentStates) and to the agent. */
	'agent:state': (entry: AgentStateEntry) => void;
	/** An outgoing e-mail of a ticket was queued, sent or failed: to its service centre; refetch the list. */
	'ticket:message': (change: {
		ticketId: string;
		messageId: string;
		status: 'queued' | 'sent' | 'failed';
	}) => void;
}

export const watchEntityInput = z.object({
	entity: z.enum(['customer']),
	id: z.uuid()
});
export type WatchEntityInput = z.infer<typeof watchEntityInput>;

export interface ClientToServerEvents {
	/** Follow one record (e.g. the customer card on screen); authorised per entity. */
	'entity:watch': (input: WatchEntityInput, ack: Ack) => void;
	'entity:unwatch': (input: WatchEntityInput, ack: Ack) => void;
	/** The softphone reports a call event (SIP Call-ID, type, at); the server keeps the log. */
	'call:report': (
		input: CallReportInput,
		ack: Ack<{ callId: string; version: number; duplicate: boolean }>
	) => void;
	/** The agent sets available, break (reason) or offline. */
	'agent:state': (input: AgentStateInput, ack: Ack<AgentStateEntry>) => void;
}

export interface SocketData {
	userId: string;
	username: string;
	roles: string[];
	teamId: string | null;
	sessionHash: string;
	/** Epoch ms when the session ends: an open socket does not outlive it. */
	sessionExpiresAt: number;
	/** Service centres whose tickets this socket hears (rooms sc:<id>), fixed at the handshake. */
	serviceCenterIds?: string[];
	/** Teams whose presence and agent states this socket hears ('all' for administrators). */
	watchedTeams?: 'all' | string[];
}

/** Room names, in one place, so the notifier and the join logic cannot drift apart. */
export const rooms = {
	user: (userId: string) => `user:${userId}`,
	session: (sessionHash: string) => `session:${sessionHash}`,
	role: (role: string) => `role:${role}`,
	entity: (entity: string, id: string) => `entity:${entity}:${id}`,
	/** Every socket that may see the service centre's tickets. */
	serviceCenter: (serviceCenterId: string) => `sc:${serviceCenterId}`,
	/** Watchers of everyone's presence (administrators). */
	presence: 'presence',
	/** Watchers of every agent's state (administrators). */
	agentStates: 'agent-states',
	/** Supervisors of a team (and of the teams above it): its people's presence and states. */
	teamWatch: (teamId: string) => `team-watch:${teamId}`
} as const;
