import { globalSearch, type SearchHit, type SearchResult } from '$lib/api/search';
import { ApiError } from '$lib/api/client';
import { hitHref } from './hit-href';

export type SearchStatus = 'idle' | 'short' | 'loading' | 'done' | 'error';

const debounceMs = 150;
const minLength = 2;

/**
 * One search box: debounced queries, stale answers dropped, and the highlighted hit for the
 * keyboard. Several boxes may exist (top bar, agent desk); each has its own state.
 */
export class SearchBox {
	#query = $state('');
	#result = $state<SearchResult | null>(null);
	#status = $state<SearchStatus>('idle');
	#active = $state(-1);
	#error = $state<ApiError | null>(null);
	#timer: ReturnType<typeof setTimeout> | undefined;
	#inFlight: AbortController | undefined;

	get query(): string {
		return this.#query;
	}

	set query(value: string) {
		this.#query = value;
		this.#schedule();
	}

	get status(): SearchStatus {
		return this.#status;
	}

	get hits(): SearchHit[] {
		return this.#result?.hits ?? [];
	}

	get normalizedPhone(): string | null {
		return this.#result?.normalizedPhone ?? null;
	}

	get error(): ApiError | null {
		return this.#error;
	}

	get active(): number {
		return this.#active;
	}

	get activeHit(): SearchHit | undefined {
		return this.hits[this.#active];
	}

	/** Moves the highlight by `step`, wrapping around. */
	move(step: 1 | -1) {
		const count = this.hits.length;
		if (count === 0) return;
		this.#active = this.#active < 0 && step < 0 ? count - 1 : (this.#active + step + count) % count;
	}

	highlight(index: number) {
		this.#active = index;
	}

	clear() {
		clearTimeout(this.#timer);
		this.#inFlight?.abort();
		this.#query = '';
		this.#result = null;
		this.#status = 'idle';
		this.#active = -1;
		this.#error = null;
	}

	#schedule() {
		clearTimeout(this.#timer);
		const q = this.#query.trim();
		if (q.length === 0) {
			this.clear();
			return;
		}
		if (q.length < minLength) {
			this.#inFlight?.abort();
			this.#result = null;
			this.#status = 'short';
			this.#active = -1;
			return;
		}
		this.#timer = setTimeout(() => void this.#run(q), debounceMs);
	}

	async #run(q: string) {
		this.#inFlight?.abort();
		const controller = new AbortController();
		this.#inFlight = controller;
		this.#status = 'loading';
		try {
			const result = await globalSearch(q, controller.signal);
			if (controller.signal.aborted) return;
			this.#result = result;
			this.#error = null;
			this.#status = 'done';
			this.#active = result.hits.findIndex((hit) => hitHref(hit) !== null);
		} catch (error) {
			if (controller.signal.aborted) return;
			this.#error = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
			this.#status = 'error';
		}
	}
}

/** The search box that the "/" shortcut focuses: the one mounted last (the agent desk's, else the top bar's). */
const inputs: HTMLInputElement[] = [];

export function registerSearchInput(input: HTMLInputElement): () => void {
	inputs.push(input);
	return () => {
		const index = inputs.indexOf(input);
		if (index >= 0) inputs.splice(index, 1);
	};
}

export function focusSearch(): boolean {
	const input = inputs.at(-1);
	if (!input) return false;
	input.focus();
	input.select();
	return true;
}
