import { ApiError } from '$lib/api/client';
import { getCustomer, type CustomerDetail } from '$lib/api/customers';
import { realtime } from '$lib/realtime/socket.svelte';

/**
 * One customer record on screen, kept live: it follows the customer's room on the socket and
 * refetches when a newer version is announced, or after a reconnect that lost events.
 */
export class CustomerCard {
	readonly id: string;
	#customer = $state<CustomerDetail | null>(null);
	#error = $state<ApiError | null>(null);
	#loading = $state(true);
	/** When a pushed change was last applied, in epoch ms (null until the first one). */
	#liveUpdateAt = $state<number | null>(null);
	#request = 0;

	constructor(id: string) {
		this.id = id;
	}

	get customer(): CustomerDetail | null {
		return this.#customer;
	}

	get error(): ApiError | null {
		return this.#error;
	}

	get loading(): boolean {
		return this.#loading;
	}

	get liveUpdateAt(): number | null {
		return this.#liveUpdateAt;
	}

	/** Starts loading and following; returns the function that stops following. */
	start(onLoaded?: (customer: CustomerDetail) => void): () => void {
		const watched = { entity: 'customer', id: this.id } as const;
		const offChange = realtime.on('entity:changed', (change) => {
			if (change.entity !== 'customer' || change.id !== this.id) return;
			if (change.version > (this.#customer?.version ?? 0) || change.op === 'deleted')
				void this.#load({ live: true });
		});
		// Rooms and missed events are lost when the connection was not recovered: join again, then refetch.
		const offResync = realtime.onResync(() => void this.#follow({}));
		// Join the room before reading, so no change can slip between the read and the join.
		if (realtime.connected) void this.#follow({ onLoaded });
		else void this.#load({ onLoaded });
		return () => {
			offChange();
			offResync();
			realtime.unwatch(watched);
		};
	}

	async #follow(options: { onLoaded?: (customer: CustomerDetail) => void }) {
		try {
			await realtime.watch({ entity: 'customer', id: this.id });
		} catch {
			// Not followed (no permission, timeout): the page still shows the snapshot.
		}
		await this.#load(options);
	}

	async #load({ live = false, onLoaded }: { live?: boolean; onLoaded?: (customer: CustomerDetail) => void }) {
		const request = ++this.#request;
		try {
			const customer = await getCustomer(this.id);
			// A slower, older answer must not overwrite a newer one.
			if (request !== this.#request) return;
			if (live && this.#customer && customer.version > this.#customer.version)
				this.#liveUpdateAt = Date.now();
			this.#customer = customer;
			this.#error = null;
			onLoaded?.(customer);
		} catch (error) {
			if (request !== this.#request) return;
			this.#error = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
			if (this.#error.status === 404) this.#customer = null;
		} finally {
			if (request === this.#request) this.#loading = false;
		}
	}
}
