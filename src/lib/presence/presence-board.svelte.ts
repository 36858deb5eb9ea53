import { listPresence, type PresenceEntry } from '$lib/api/presence';
import { ApiError } from '$lib/api/client';
import { realtime } from '$lib/realtime/socket.svelte';

/**
 * Who is online, live: a snapshot from GET /api/presence, then `presence:changed` deltas. The
 * snapshot is refetched after any reconnect that did not recover missed events.
 */
export class PresenceBoard {
	#entries = $state<PresenceEntry[]>([]);
	#loaded = $state(false);
	#error = $state<ApiError | null>(null);
	/** Users who came online after the board was loaded, to highlight them briefly. */
	#fresh = $state<Record<string, true>>({});
	#request = 0;

	get entries(): readonly PresenceEntry[] {
		return this.#entries;
	}

	get loaded(): boolean {
		return this.#loaded;
	}

	get error(): ApiError | null {
		return this.#error;
	}

	isFresh(userId: string): boolean {
		return this.#fresh[userId] === true;
	}

	countWithRole(role: string): number {
		return this.#entries.filter((entry) => entry.roles.includes(role)).length;
	}

	start(): () => void {
		const offChange = realtime.on('presence:changed', (entry) => this.#apply(entry));
		const offResync = realtime.onResync(() => void this.#load());
		void this.#load();
		return () => {
			offChange();
			offResync();
		};
	}

	#apply(entry: PresenceEntry) {
		const others = this.#entries.filter((existing) => existing.userId !== entry.userId);
		if (entry.online) {
			const known = this.#entries.find((existing) => existing.userId === entry.userId);
			// Already listed: keep the earlier "since" (a second tab is not a new arrival).
			this.#entries = sortByName([...others, known ?? entry]);
			if (!known) this.#markFresh(entry.userId);
		} else {
			this.#entries = others;
		}
	}

	#markFresh(userId: string) {
		this.#fresh = { ...this.#fresh, [userId]: true };
		setTimeout(() => {
			const { [userId]: _gone, ...rest } = this.#fresh;
			this.#fresh = rest;
		}, 8000);
	}

	async #load() {
		const request = ++this.#request;
		try {
			const entries = await listPresence();
			if (request !== this.#request) return;
			this.#entries = sortByName(entries);
			this.#error = null;
		} catch (error) {
			if (request !== this.#request) return;
			this.#error = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
		} finally {
			if (request === this.#request) this.#loaded = true;
		}
	}
}

function sortByName(entries: PresenceEntry[]): PresenceEntry[] {
	return [...entries].sort((a, b) => a.username.localeCompare(b.username));
}
