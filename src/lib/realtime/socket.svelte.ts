import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, WatchEntityInput } from '$server/realtime/contract';

export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting';
type ServerEvent = keyof ServerToClientEvents;

/**
 * The one Socket.IO connection of the tab, typed by the shared contract. Stores subscribe here;
 * `onResync` tells them when to refetch their snapshot: after any connect that did not recover
 * the missed packets (a first connect, a long outage, a server restart).
 */
class Realtime {
	#created: ConsoleSocket | null = null;
	#status = $state<ConnectionStatus>('idle');
	readonly #resync = new Set<() => void>();
	readonly #refused = new Set<() => void>();
	readonly #dropped = new Set<() => void>();

	/** Created on first use, in the browser: importing this module must not touch `window`. */
	get #socket(): ConsoleSocket {
		if (this.#created) return this.#created;
		const socket: ConsoleSocket = io({
			path: '/socket.io/',
			withCredentials: true,
			autoConnect: false,
			// WebSocket first: its handshake always carries Origin, which the server checks. A browser
			// sends no Origin on same-origin polling GETs, so polling is only the fallback.
			transports: ['websocket', 'polling'],
			tryAllTransports: true
		});
		this.#created = socket;
		socket.on('connect', () => {
			this.#status = 'connected';
			if (!socket.recovered) for (const listener of this.#resync) listener();
		});
		socket.on('disconnect', (reason) => {
			// A disconnect we asked for is final; anything else is retried by the manager.
			this.#status =
				reason === 'io client disconnect' || reason === 'io server disconnect' ? 'idle' : 'reconnecting';
			// The server drops a user's sockets when its roles, team or password change.
			if (reason === 'io server disconnect') for (const listener of this.#dropped) listener();
		});
		socket.on('connect_error', () => {
			// The server's middleware refused us (no or expired session): retrying will not help.
			if (!socket.active) {
				this.#status = 'idle';
				for (const listener of this.#refused) listener();
			} else {
				this.#status = 'reconnecting';
			}
		});
		exposeForTests(socket);
		return socket;
	}

	get status(): ConnectionStatus {
		return this.#status;
	}

	get connected(): boolean {
		return this.#status === 'connected';
	}

	get reconnecting(): boolean {
		return this.#status === 'reconnecting';
	}

	connect() {
		if (this.#socket.connected || this.#socket.active) return;
		this.#status = 'connecting';
		this.#socket.connect();
	}

	disconnect() {
		this.#created?.disconnect();
		this.#status = 'idle';
	}

	/** Listens to one server event; returns the function that stops listening. */
	on<E extends ServerEvent>(event: E, listener: ServerToClientEvents[E]): () => void {
		// Socket.IO's overloads cannot follow a generic event name; the contract types `listener` above.
		const socket = this.#socket;
		socket.on(event, listener as never);
		return () => socket.off(event, listener as never);
	}

	/** Called after every connect that did not recover state: refetch snapshots, re-join rooms. */
	onResync(listener: () => void): () => void {
		this.#resync.add(listener);
		return () => this.#resync.delete(listener);
	}

	/** Called when the server refuses the connection (the session is gone). */
	onRefused(listener: () => void): () => void {
		this.#refused.add(listener);
		return () => this.#refused.delete(listener);
	}

	/**
	 * Called when the server closed the connection itself: the user's rights changed (or the
	 * session ended, which `session:ended` says first). Reload the session, then `connect()`.
	 */
	onDropped(listener: () => void): () => void {
		this.#dropped.add(listener);
		return () => this.#dropped.delete(listener);
	}

	/** Follows one record; resolves once the server has joined us to its room. */
	async watch(input: WatchEntityInput): Promise<void> {
		const reply = await this.#socket.timeout(10_000).emitWithAck('entity:watch', input);
		if (!reply.ok) throw new Error(reply.error.message);
	}

	/**
	 * Sends a client event and waits for its acknowledgement. A timeout (no connection, no answer)
	 * comes back as `{ ok: false, error: { code: 'timeout' } }`, so callers can retry.
	 */
	async request<E extends 'call:report' | 'agent:state'>(
		event: E,
		payload: Parameters<ClientToServerEvents[E]>[0]
	): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
		try {
			return await this.#socket.timeout(10_000).emitWithAck(event as 'agent:state', payload as never);
		} catch {
			return { ok: false, error: { code: 'timeout', message: 'No answer from the server' } };
		}
	}

	unwatch(input: WatchEntityInput) {
		if (this.#created?.connected) this.#created.emit('entity:unwatch', input, () => {});
	}
}

/**
 * Browser tests observe the raw socket (e.g. that an agent never receives supervisor pushes).
 * Exposed in development, or when a test sets `window.__consoleTestHooks` before the app loads.
 */
function exposeForTests(socket: ConsoleSocket) {
	if (import.meta.env.DEV || window.__consoleTestHooks === true) window.__consoleSocket = socket;
}

export const realtime = new Realtime();
