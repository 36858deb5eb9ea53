import { SvelteMap } from 'svelte/reactivity';
import { ApiError } from '$lib/api/client';
import { realtime } from '$lib/realtime/socket.svelte';
import {
	countTickets,
	listTickets,
	type SlaAlert,
	type TicketChange,
	type TicketCounts,
	type TicketRow,
	type TicketView,
	ticketViews
} from './tickets-api';
import { belongsToView, byUrgency, type QueueViewer } from './views';

const pageSize = 100;
/** Refetches asked for in a burst (a gap, then another) become one request. */
const refetchDelayMs = 250;
/** How long a row that just changed stays highlighted. */
const highlightMs = 2500;

const asApiError = (error: unknown) =>
	error instanceof ApiError ? error : new ApiError(0, 'network', String(error));

/** A queue of one centre hears that centre's tickets; one of every centre (null) hears them all. */
const inQueue = (queueCentreId: string | null, ticketCentreId: string) =>
	queueCentreId === null || queueCentreId === ticketCentreId;

/**
 * One queue view of one service centre, or of every centre the user may see (`serviceCenterId`
 * null), kept live. The snapshot comes from GET /api/tickets;
 * then every `ticket:changed` row is placed by the view's rules (in, moved, out) and by version,
 * so an older push never overwrites a newer row. A version gap, or a reconnect that lost
 * events, refetches the snapshot.
 */
export class TicketQueue {
	/** null: every centre the user may see. */
	readonly serviceCenterId: string | null;
	readonly view: TicketView;
	readonly #viewer: QueueViewer;
	#rows = $state<TicketRow[]>([]);
	#hasMore = $state(false);
	#loading = $state(true);
	#error = $state<ApiError | null>(null);
	readonly #highlighted = new SvelteMap<string, 'in' | 'changed'>();
	#pages = 1;
	#request = 0;
	/** Pushes that arrive while a snapshot is in flight, replayed on top of it. */
	#buffer: TicketChange[] | null = null;
	#refetchTimer: ReturnType<typeof setTimeout> | undefined;
	/** Plain bookkeeping, not shown: no need for reactivity. */
	#highlightTimers: Record<string, ReturnType<typeof setTimeout>> = {};

	constructor(serviceCenterId: string | null, view: TicketView, viewer: QueueViewer) {
		this.serviceCenterId = serviceCenterId;
		this.view = view;
		this.#viewer = viewer;
	}

	get rows(): TicketRow[] {
		return this.#rows;
	}

	get hasMore(): boolean {
		return this.#hasMore;
	}

	get loading(): boolean {
		return this.#loading;
	}

	get error(): ApiError | null {
		return this.#error;
	}

	/** 'in' for a row that just entered the view, 'changed' for one that just changed, else undefined. */
	highlight(id: string): 'in' | 'changed' | undefined {
		return this.#highlighted.get(id);
	}

	/** Loads and follows; returns the function that stops following. */
	start(): () => void {
		const offChanged = realtime.on('ticket:changed', (change) => this.#onChange(change));
		const offSla = realtime.on('ticket:sla', (alert) => this.#onSla(alert));
		const offResync = realtime.onResync(() => void this.#load());
		void this.#load();
		return () => {
			offChanged();
			offSla();
			offResync();
			clearTimeout(this.#refetchTimer);
			for (const timer of Object.values(this.#highlightTimers)) clearTimeout(timer);
		};
	}

	reload(): Promise<void> {
		return this.#load();
	}

	async loadMore(): Promise<void> {
		if (!this.#hasMore || this.#loading) return;
		const request = this.#request;
		try {
			const next = await listTickets({
				view: this.view,
				serviceCenterId: this.serviceCenterId ?? undefined,
				page: this.#pages + 1,
				pageSize
			});
			if (request !== this.#request) return;
			this.#pages++;
			const held = this.#rows;
			this.#rows = [...held, ...next.items.filter((r) => !held.some((h) => h.id === r.id))];
			this.#hasMore = next.hasMore;
		} catch (error) {
			if (request === this.#request) this.#error = asApiError(error);
		}
	}

	async #load() {
		const request = ++this.#request;
		clearTimeout(this.#refetchTimer);
		// Keep what an earlier, superseded load buffered: it is replayed on this snapshot.
		this.#buffer ??= [];
		try {
			// After a gap or a reconnect the pages the user had opened are reloaded in one request.
			const list = await listTickets({
				view: this.view,
				serviceCenterId: this.serviceCenterId ?? undefined,
				pageSize: Math.min(200, pageSize * this.#pages)
			});
			if (request !== this.#request) return;
			this.#rows = list.items;
			this.#hasMore = list.hasMore;
			this.#error = null;
			const missed = this.#buffer ?? [];
			this.#buffer = null;
			for (const change of missed) this.#apply(change, false);
		} catch (error) {
			if (request !== this.#request) return;
			this.#buffer = null;
			this.#error = asApiError(error);
		} finally {
			if (request === this.#request) this.#loading = false;
		}
	}

	#refetchSoon() {
		clearTimeout(this.#refetchTimer);
		this.#refetchTimer = setTimeout(() => void this.#load(), refetchDelayMs);
	}

	#onChange(change: TicketChange) {
		if (change.entity !== 'ticket' || !inQueue(this.serviceCenterId, change.data.serviceCenterId)) return;
		if (this.#buffer) this.#buffer.push(change);
		else this.#apply(change, true);
	}

	#apply(change: TicketChange, live: boolean) {
		const row = change.data;
		const index = this.#rows.findIndex((r) => r.id === row.id);
		const held = index >= 0 ? this.#rows[index] : undefined;
		if (held && change.version <= held.version) return; // an older push than what we show
		// We hold version v and hear v+2: a change went missing, so other rows may be stale too.
		if (live && held && change.version > held.version + 1) this.#refetchSoon();
		const belongs = belongsToView(row, this.view, this.#viewer);
		if (!belongs) {
			if (held) this.#rows = this.#rows.filter((r) => r.id !== row.id);
			return;
		}
		if (!held) {
			// Past the last loaded row of a longer queue, it belongs to a page not on screen.
			const last = this.#rows[this.#rows.length - 1];
			if (this.#hasMore && last && byUrgency(row, last) > 0) return;
			this.#rows = [...this.#rows, row].sort(byUrgency);
		} else {
			const rows = [...this.#rows];
			rows[index] = row;
			this.#rows = rows.sort(byUrgency);
		}
		if (live) this.#highlight(row.id, held ? 'changed' : 'in');
	}

	#onSla(alert: SlaAlert) {
		if (!inQueue(this.serviceCenterId, alert.serviceCenterId)) return;
		const index = this.#rows.findIndex((r) => r.id === alert.ticketId);
		if (index < 0) return;
		const held = this.#rows[index];
		// The change that marked the deadline came as `ticket:changed` just before; if it did not, refetch.
		if (alert.version > held.version) {
			this.#refetchSoon();
			return;
		}
		if (alert.level === 'breach' && !held.slaBreached) {
			const rows = [...this.#rows];
			rows[index] = {
				...held,
				slaBreached: true,
				...(alert.deadline === 'first_response'
					? { slaFirstResponseBreached: true }
					: { slaResolutionBreached: true })
			};
			this.#rows = rows;
		}
		this.#highlight(held.id, 'changed');
	}

	#highlight(id: string, kind: 'in' | 'changed') {
		this.#highlighted.set(id, kind);
		clearTimeout(this.#highlightTimers[id]);
		this.#highlightTimers[id] = setTimeout(() => {
			this.#highlighted.delete(id);
			delete this.#highlightTimers[id];
		}, highlightMs);
	}
}

/**
 * How many tickets each view of a centre holds, for the tabs. A change to a ticket whose last
 * state the screen knows (it was created, or shown, or changed while we watched) moves the counts
 * exactly, by the same view rules as the rows; any other change is counted by the server, a
 * burst at a time. Several hundred consoles must not all recount on every change.
 */
export class QueueCounts {
	/** null: every centre the user may see. */
	readonly serviceCenterId: string | null;
	readonly #viewer: QueueViewer;
	#counts = $state<TicketCounts | null>(null);
	/** The last state seen of each ticket of the centre: plain bookkeeping, not shown. */
	#known: Record<string, TicketRow> = {};
	#timer: ReturnType<typeof setTimeout> | undefined;
	#request = 0;
	#inFlight = false;
	#dirty = false;

	constructor(serviceCenterId: string | null, viewer: QueueViewer) {
		this.serviceCenterId = serviceCenterId;
		this.#viewer = viewer;
	}

	get counts(): TicketCounts | null {
		return this.#counts;
	}

	/** Rows the screen shows: their state is known, so their next change counts exactly. */
	learn(rows: readonly TicketRow[]) {
		for (const row of rows) {
			const known = this.#known[row.id];
			if (!known || known.version < row.version) this.#known[row.id] = row;
		}
	}

	start(): () => void {
		const offChanged = realtime.on('ticket:changed', (change) => this.#onChange(change));
		const offResync = realtime.onResync(() => void this.#load());
		void this.#load();
		return () => {
			offChanged();
			offResync();
			clearTimeout(this.#timer);
		};
	}

	#onChange(change: TicketChange) {
		const row = change.data;
		if (!inQueue(this.serviceCenterId, row.serviceCenterId)) return;
		const before = this.#known[row.id];
		if (before && change.version <= before.version) return;
		this.#known[row.id] = row;
		const previous =
			change.op === 'created' ? null : before && change.version === before.version + 1 ? before : undefined;
		if (previous === undefined || !this.#counts || this.#inFlight) {
			this.#recountSoon();
			return;
		}
		const counts = { ...this.#counts };
		for (const view of ticketViews) {
			const was = previous !== null && belongsToView(previous, view, this.#viewer);
			const is = belongsToView(row, view, this.#viewer);
			if (was !== is) counts[view] = Math.max(0, counts[view] + (is ? 1 : -1));
		}
		this.#counts = counts;
	}

	#recountSoon() {
		if (this.#inFlight) {
			this.#dirty = true;
			return;
		}
		clearTimeout(this.#timer);
		// Spread over a second: the consoles that heard the same change do not recount in the same instant.
		this.#timer = setTimeout(() => void this.#load(), 300 + Math.random() * 700);
	}

	async #load() {
		const request = ++this.#request;
		clearTimeout(this.#timer);
		this.#inFlight = true;
		this.#dirty = false;
		try {
			const counts = await countTickets(this.serviceCenterId ?? undefined);
			if (request === this.#request) this.#counts = counts;
		} catch {
			// The tabs keep their last counts; the queue itself shows the error.
		} finally {
			if (request === this.#request) {
				this.#inFlight = false;
				// A change heard while counting may or may not be in the answer: count once more.
				if (this.#dirty) this.#recountSoon();
			}
		}
	}
}
