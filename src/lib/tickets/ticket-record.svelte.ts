import { ApiError } from '$lib/api/client';
import { realtime } from '$lib/realtime/socket.svelte';
import { session } from '$lib/session/session.svelte';
import { getTicket, performAction, type TicketAction, type TicketDetail } from './tickets-api';

/**
 * One ticket on screen, kept live: a push with a newer version (someone else acted, the SLA job
 * marked a deadline) reloads it with its history; so does a reconnect that lost events.
 */
export class TicketRecord {
	readonly id: string;
	#ticket = $state<TicketDetail | null>(null);
	#error = $state<ApiError | null>(null);
	#loading = $state(true);
	/** The last change that arrived live, as its history entry tells it. */
	#liveChange = $state<{ at: number; actorName: string; what: string | null } | null>(null);
	#request = 0;

	constructor(id: string) {
		this.id = id;
	}

	get ticket(): TicketDetail | null {
		return this.#ticket;
	}

	get error(): ApiError | null {
		return this.#error;
	}

	get loading(): boolean {
		return this.#loading;
	}

	get liveChange() {
		return this.#liveChange;
	}

	start(): () => void {
		const newer = (id: string, version: number) => {
			if (id === this.id && version > (this.#ticket?.version ?? 0)) void this.#load(true);
		};
		const offChanged = realtime.on('ticket:changed', (change) => newer(change.id, change.version));
		const offSla = realtime.on('ticket:sla', (alert) => newer(alert.ticketId, alert.version));
		const offResync = realtime.onResync(() => void this.#load(false));
		void this.#load(false);
		return () => {
			offChanged();
			offSla();
			offResync();
		};
	}

	reload(): Promise<TicketDetail | null> {
		return this.#load(false);
	}

	/** Applies an action reason at the version on screen; throws the ApiError for the panel to explain. */
	async act(action: Omit<TicketAction, 'version'>): Promise<TicketDetail> {
		const current = this.#ticket;
		if (!current) throw new ApiError(0, 'network', 'Ticket not loaded');
		const updated = await performAction(this.id, { ...action, version: current.version });
		this.#request++; // an older reload in flight must not undo the answer
		this.#accept(updated);
		return updated;
	}

	#accept(ticket: TicketDetail) {
		if (this.#ticket && ticket.version < this.#ticket.version) return;
		this.#ticket = ticket;
		this.#error = null;
	}

	async #load(live: boolean): Promise<TicketDetail | null> {
		const request = ++this.#request;
		try {
			const ticket = await getTicket(this.id);
			// Superseded by a newer load (a live push): do not apply it, but the caller still gets
			// what the server said now, not the older ticket still on screen.
			if (request !== this.#request) return ticket;
			const before = this.#ticket?.version ?? 0;
			this.#accept(ticket);
			const last = ticket.history[ticket.history.length - 1];
			// Our own action may be heard on the socket before its answer: that is not news.
			if (live && ticket.version > before && last?.actor?.id !== session.user?.id) {
				this.#liveChange = {
					at: Date.now(),
					actorName: last?.actorName ?? '',
					what: last?.reason?.name ?? null
				};
			}
			return ticket;
		} catch (error) {
			if (request !== this.#request) return this.#ticket;
			this.#error = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
			return null;
		} finally {
			if (request === this.#request) this.#loading = false;
		}
	}
}
