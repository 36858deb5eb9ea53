import { listCalls, type CallLogEntry, type CallView } from './calls-api';

/**
 * One view of the call log (mine, missed, all), newest first, kept live: pushed `call:changed`
 * entries replace older versions, enter the list when they belong to it and leave when not.
 */
export class CallLog {
	readonly view: CallView;
	readonly #userId: string;
	#items = $state<CallLogEntry[]>([]);
	#loading = $state(true);
	#failed = $state(false);
	#complete = $state(false);
	#request = 0;

	constructor(view: CallView, userId: string) {
		this.view = view;
		this.#userId = userId;
	}

	get items() {
		return this.#items;
	}
	get loading() {
		return this.#loading;
	}
	get failed() {
		return this.#failed;
	}
	get complete() {
		return this.#complete;
	}

	async load() {
		const request = ++this.#request;
		this.#loading = true;
		try {
			const items = await listCalls({ view: this.view });
			if (request !== this.#request) return;
			this.#items = items;
			this.#complete = items.length < 50;
			this.#failed = false;
		} catch {
			if (request === this.#request) this.#failed = true;
		} finally {
			if (request === this.#request) this.#loading = false;
		}
	}

	async more() {
		const last = this.#items.at(-1);
		if (!last || this.#complete) return;
		const items = await listCalls({ view: this.view, before: last.offeredAt });
		const known = this.#items.map((c) => c.id);
		this.#items = [...this.#items, ...items.filter((c) => !known.includes(c.id))];
		this.#complete = items.length < 50;
	}

	#belongs(entry: CallLogEntry): boolean {
		if (this.view === 'all') return true;
		if (this.view === 'mine') return entry.agent?.id === this.#userId;
		return (
			entry.direction === 'inbound' &&
			(entry.outcome === 'missed' || entry.outcome === 'abandoned') &&
			entry.handledAt === null
		);
	}

	/** A pushed change: newer versions only. */
	apply(entry: CallLogEntry) {
		const index = this.#items.findIndex((c) => c.id === entry.id);
		if (index >= 0 && this.#items[index].version >= entry.version) return;
		const rest = this.#items.filter((c) => c.id !== entry.id);
		if (!this.#belongs(entry)) {
			this.#items = rest;
			return;
		}
		this.#items = [...rest, entry].sort((a, b) => b.offeredAt.localeCompare(a.offeredAt));
	}

	/** Replaces an entry the server just returned (wrap-up, mark handled). */
	replace(entry: CallLogEntry) {
		this.apply(entry);
	}
}
