import { api, call } from '$lib/api/client';
import { realtime } from '$lib/realtime/socket.svelte';
import type { MessageView, TicketMessages } from '$server/messages/messages.schemas';

export type { MessageView };

export function listTicketMessages(ticketId: string): Promise<TicketMessages> {
	return call(() => api.tickets[':id'].messages.$get({ param: { id: ticketId } }));
}

/**
 * The outgoing e-mails of one ticket, kept live: a `ticket:message` push (queued, sent, failed)
 * or a reconnect that lost events refetches the list.
 */
export class TicketMessagesList {
	readonly ticketId: string;
	#items = $state<MessageView[]>([]);
	#mailConfigured = $state(true);
	#loaded = $state(false);
	#failed = $state(false);
	#request = 0;

	constructor(ticketId: string) {
		this.ticketId = ticketId;
	}

	get items(): MessageView[] {
		return this.#items;
	}

	get mailConfigured(): boolean {
		return this.#mailConfigured;
	}

	get loaded(): boolean {
		return this.#loaded;
	}

	get failed(): boolean {
		return this.#failed;
	}

	start(): () => void {
		const offMessage = realtime.on('ticket:message', (change) => {
			if (change.ticketId === this.ticketId) void this.reload();
		});
		const offResync = realtime.onResync(() => void this.reload());
		void this.reload();
		return () => {
			offMessage();
			offResync();
		};
	}

	async reload(): Promise<void> {
		const request = ++this.#request;
		try {
			const list = await listTicketMessages(this.ticketId);
			if (request !== this.#request) return;
			this.#items = list.items;
			this.#mailConfigured = list.mailConfigured;
			this.#failed = false;
		} catch {
			if (request === this.#request) this.#failed = true;
		} finally {
			if (request === this.#request) this.#loaded = true;
		}
	}
}
