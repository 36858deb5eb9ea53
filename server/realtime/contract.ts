/**
 * The one socket contract, imported by the server and the SvelteKit client alike.
 * Types describe; the zod schemas below validate every inbound payload.
 */
import { z } from 'zod';

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
	online: boolean;
	at: string;
}

export type Ack<T = undefined> = (
	reply: { ok: true; data?: T } | { ok: false; error: { code: string; message: string; field?: string } }
) => void;

export interface ServerToClientEvents {
	'entity:changed': (change: EntityChange) => void;
	/** Supervisor-only: who is online. */
	'presence:changed': (entry: PresenceEntry) => void;
	/** The server ends this session (logout elsewhere, account disabled). */
	'session:ended': (reason: { reason: 'logout' | 'disabled' }) => void;
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
}

export interface SocketData {
	userId: string;
	username: string;
	roles: string[];
	teamId: string | null;
	sessionHash: string;
}

/** Room names, in one place, so the notifier and the join logic cannot drift apart. */
export const rooms = {
	user: (userId: string) => `user:${userId}`,
	session: (sessionHash: string) => `session:${sessionHash}`,
	role: (role: string) => `role:${role}`,
	entity: (entity: string, id: string) => `entity:${entity}:${id}`,
	/** Everyone who may see presence (supervisors and admins). */
	presence: 'presence'
} as const;
