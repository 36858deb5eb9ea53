import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { log } from '../core/log';
import { toMatch, type OwnerRow } from './owner-row';
import type { CallerMatch } from './callers.schemas';

/**
 * Caller ID without a round trip: every phone number's owners in this process's memory, so a
 * lookup, exact or by the last digits, costs microseconds instead of a database round trip (whose
 * tail alone is over a millisecond on a busy 2-core machine). It answers what `caller_lookup()`
 * (migration 0005) answers; the tests compare the two.
 *
 * Coherent across server processes: triggers (migration 0006) NOTIFY `caller_index` with the
 * numbers a commit touched, and each process re-reads those numbers. A bulk change (`*`), a lost
 * listening connection or a failed read makes the index stale until it has reloaded; while it is
 * stale, still loading, or re-reading a number, `lookup()` answers undefined and the caller asks
 * the database.
 *
 * At 1.6 million numbers it holds about 200 MB outside the JavaScript heap, in typed arrays and
 * one string pool rather than an object per number; changes since the last load live in a small
 * map that overrides it.
 */
export class CallerIndex {
	#sql: postgres.Sql;
	#base: Snapshot | null = null;
	/** Numbers re-read since the base was loaded: their owners now (an empty list: none). */
	#delta = new Map<string, Changed>();
	/**
	 * Numbers announced and not yet re-read, with the announcement's sequence number: until their
	 * re-read has finished, `lookup()` sends them to the database.
	 */
	#pending = new Map<string, number>();
	#announcements = 0;
	#reloadWanted = true;
	/** Bulk changes come as a burst of `*`: reload once they have stopped for this long. */
	#reloadQuietMs: number;
	#reloadNotBefore = 0;
	#compactAfter: number;
	#worker: Promise<void> | null = null;
	#timer: NodeJS.Timeout | null = null;
	#unlisten: (() => Promise<void>) | null = null;
	#listening = false;
	#stopped = false;
	#readyWaiters: Array<() => void> = [];
	#failures = 0;
	#fences = new Map<string, () => void>();

	constructor(sql: postgres.Sql, options: { reloadQuietMs?: number; compactAfter?: number } = {}) {
		this.#sql = sql;
		this.#reloadQuietMs = options.reloadQuietMs ?? 1000;
		this.#compactAfter = options.compactAfter ?? 50_000;
	}

	/** Listens for changes, then loads in the background; lookups use the database until then. */
	async start(): Promise<void> {
		const { unlisten } = await this.#sql.listen(
			'caller_index',
			(payload) => this.#announced(payload),
			() => {
				// Called again after every reconnection: what was announced meanwhile is lost.
				if (this.#listening) this.#invalidate('listening connection re-established');
				this.#listening = true;
			}
		);
		this.#unlisten = unlisten;
		this.#kick();
	}

	async stop(): Promise<void> {
		this.#stopped = true;
		if (this.#timer) clearTimeout(this.#timer);
		for (const release of this.#fences.values()) release();
		this.#fences.clear();
		await this.#unlisten?.().catch(() => {});
		await this.#worker;
		for (const resolve of this.#readyWaiters.splice(0)) resolve();
	}

	/** True when `exact()` answers from memory. */
	get ready(): boolean {
		return this.#base !== null;
	}

	/** Resolves once the index answers from memory (or it was stopped). */
	whenReady(): Promise<void> {
		if (this.ready || this.#stopped) return Promise.resolve();
		return new Promise((resolve) => this.#readyWaiters.push(resolve));
	}

	/**
	 * What `caller_lookup()` answers, from memory: the owners of the E.164 number, else (given the
	 * reversed digits received) the numbers whose national number ends with them; at most 10.
	 * Undefined: ask the database (still loading, stale, or a change to it not yet re-read).
	 */
	lookup(key: { e164: string | null; suffix: string | null }): CallerMatch[] | undefined {
		const base = this.#base;
		if (!base) return undefined;
		if (key.e164) {
			if (this.#pending.has(key.e164)) return undefined;
			const exact = this.#delta.get(key.e164)?.matches ?? base.owners(key.e164);
			if (exact.length > 0 || !key.suffix) return exact;
		}
		if (!key.suffix) return [];
		// Any number may be the one announced: its suffix is unknown until it is re-read.
		if (this.#pending.size > 0) return undefined;
		const found: CallerMatch[] = [];
		const suffix = key.suffix;
		for (const changed of this.#delta.values()) {
			if (!changed.nsnReversed.startsWith(suffix)) continue;
			for (const m of changed.matches) if (found.length < maxMatches) found.push({ ...m, match: 'suffix' });
		}
		base.suffixMatches(suffix, found, this.#delta.size ? (e164) => this.#delta.has(e164) : null);
		return found;
	}

	/** The owners of an E.164 number, or undefined: ask the database. */
	exact(e164: string): CallerMatch[] | undefined {
		return this.lookup({ e164, suffix: null });
	}

	/** For the log and the bench. */
	get size(): { numbers: number; changed: number; bytes: number } {
		return {
			numbers: this.#base?.count ?? 0,
			changed: this.#delta.size,
			bytes: this.#base?.bytes ?? 0
		};
	}

	/**
	 * Numbers this process has just changed (committed): they are read from the database until
	 * re-read here, without waiting for the NOTIFY that tells every process.
	 */
	changed(numbers: string[]) {
		const seq = ++this.#announcements;
		for (const e164 of numbers) this.#pending.set(e164, seq);
		this.#kick();
	}

	/**
	 * Resolves once every change committed before the call has been announced here: a NOTIFY of
	 * our own on the same channel arrives after all those of earlier commits. For a bulk import
	 * that must be visible to caller ID before it reports done.
	 */
	async caughtUp(timeoutMs = 5000): Promise<void> {
		if (this.#stopped) return;
		const token = `~${randomUUID()}`;
		const arrived = new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#fences.delete(token);
				reject(new Error(`caller index: no NOTIFY within ${timeoutMs} ms`));
			}, timeoutMs);
			this.#fences.set(token, () => {
				clearTimeout(timer);
				resolve();
			});
		});
		await this.#sql`select pg_notify('caller_index', ${token})`;
		await arrived;
	}

	#announced(payload: string) {
		if (payload === '*') return this.#invalidate();
		if (payload.startsWith('~')) {
			this.#fences.get(payload)?.();
			this.#fences.delete(payload);
			return;
		}
		this.changed(payload.split(',').filter(Boolean));
	}

	/** Unknown changes: answer from the database until a full reload has finished. */
	#invalidate(reason?: string) {
		if (reason) log.info('caller index reloads', { reason });
		this.#base = null;
		this.#delta = new Map();
		this.#reloadWanted = true;
		this.#reloadNotBefore = Date.now() + this.#reloadQuietMs;
		this.#kick();
	}

	/** One worker at a time: loads and re-reads never overlap, so a later read always wins. */
	#kick() {
		if (this.#worker || this.#stopped) return;
		this.#worker = this.#work()
			.catch((error) => {
				this.#failures++;
				log.error('caller index failed; caller ID asks the database meanwhile', { error });
				this.#base = null;
				this.#reloadWanted = true;
				this.#reloadNotBefore = Date.now() + Math.min(60_000, 1000 * 2 ** this.#failures);
			})
			.finally(() => {
				this.#worker = null;
				if (this.#stopped) return;
				const wait = this.#reloadWanted ? this.#reloadNotBefore - Date.now() : 0;
				if (wait > 0) {
					this.#timer ??= setTimeout(() => {
						this.#timer = null;
						this.#kick();
					}, wait);
				} else if (this.#reloadWanted || (this.#base && this.#pending.size)) this.#kick();
			});
	}

	async #work() {
		while (!this.#stopped) {
			if (this.#reloadWanted) {
				if (Date.now() < this.#reloadNotBefore) return;
				this.#reloadWanted = false;
				const started = performance.now();
				const base = await loadSnapshot(this.#sql, () => this.#stopped || this.#reloadWanted);
				// A bulk change announced during the load: this snapshot may predate it.
				if (!base || this.#reloadWanted) continue;
				this.#base = base;
				this.#delta = new Map();
				this.#failures = 0;
				log.info('caller index loaded', {
					numbers: base.count,
					ms: Math.round(performance.now() - started),
					mb: Math.round(base.bytes / 2 ** 20)
				});
				for (const resolve of this.#readyWaiters.splice(0)) resolve();
				continue;
			}
			if (!this.#base || this.#pending.size === 0) return;
			const batch = [...this.#pending].slice(0, 1000);
			const owners = await readOwners(
				this.#sql,
				batch.map(([e164]) => e164)
			);
			if (!this.#base) continue;
			for (const [e164, seq] of batch) {
				this.#delta.set(e164, owners.get(e164) ?? { nsnReversed: '', matches: [] });
				// Announced again meanwhile: stays pending, to be read once more.
				if (this.#pending.get(e164) === seq) this.#pending.delete(e164);
			}
			if (this.#delta.size > this.#compactAfter) this.#invalidate('many changes since the last load');
		}
	}
}

const ownerColumns = (sql: postgres.Sql) => sql`
	p.e164, p.nsn_reversed as "nsnReversed", p.raw, p.customer_id as "customerId", p.contact_id as "contactId",
	p.prospect_id as "prospectId", p.technician_id as "technicianId",
	o.company_name as "customerName",
	c.first_name || ' ' || c.last_name as "contactName", c.customer_id as "contactCustomerId",
	cc.company_name as "contactCompany",
	nullif(concat_ws(' ', pr.first_name, pr.last_name), '') as "prospectName",
	pr.company_name as "prospectCompany",
	u.display_name as "technicianName"
	from phone_numbers p
	left join customers o on o.id = p.customer_id
	left join contacts c on c.id = p.contact_id
	left join customers cc on cc.id = c.customer_id
	left join prospects pr on pr.id = p.prospect_id
	left join technicians t on t.id = p.technician_id
	left join users u on u.id = t.user_id`;

type IndexRow = Omit<OwnerRow, 'match'> & { e164: string; nsnReversed: string };
/** A number re-read since the last load. */
interface Changed {
	nsnReversed: string;
	matches: CallerMatch[];
}

/** The current owners of some numbers, by number (the same names as `caller_lookup()` gives). */
async function readOwners(sql: postgres.Sql, numbers: string[]): Promise<Map<string, Changed>> {
	const rows = await sql<IndexRow[]>`select ${ownerColumns(sql)} where p.e164 = any(${numbers}::text[])`;
	const byNumber = new Map<string, Changed>();
	for (const row of rows) {
		const changed = byNumber.get(row.e164) ?? { nsnReversed: row.nsnReversed, matches: [] };
		if (changed.matches.length < maxMatches) changed.matches.push(toMatch(row, 'exact'));
		byNumber.set(row.e164, changed);
	}
	return byNumber;
}

const maxMatches = 10;
/** Suffix keys: the reversed national number padded to this many digits, as a float. */
const suffixDigits = 15;
const kinds = ['customer', 'contact', 'prospect', 'technician'] as const;
const separator = '\u0000';

/**
 * Every number in one consistent snapshot, as columns: the number as a float (E.164 has at most
 * 15 digits, exact in a double) sorted for binary search, the owner's kind, id and customer id as
 * 16 bytes each, and the three strings of a match in one UTF-8 pool. Returns null if `abandoned`.
 */
async function loadSnapshot(sql: postgres.Sql, abandoned: () => boolean): Promise<Snapshot | null> {
	return sql.begin('isolation level repeatable read read only', async (tx) => {
		const [{ n }] = await tx<{ n: number }[]>`select count(*)::int as n from phone_numbers`;
		const columns = new Columns(n);
		const cursor = tx<IndexRow[]>`select ${ownerColumns(tx as unknown as postgres.Sql)}`.cursor(5000);
		for await (const rows of cursor) {
			if (abandoned()) return null;
			for (const row of rows) columns.push(row.e164, row.nsnReversed, toMatch(row, 'exact'));
		}
		return columns.sorted();
	});
}

class Columns {
	count = 0;
	/** The number of each row, as a float ("+39021234567" → 39021234567). */
	keys: Float64Array;
	suffixKeys: Float64Array;
	nsnLengths: Uint8Array;
	kinds: Uint8Array;
	ids: Buffer;
	customerIds: Buffer;
	hasCustomer: Uint8Array;
	offsets: Uint32Array;
	pool: Buffer;
	poolUsed = 0;

	constructor(capacity: number) {
		this.keys = new Float64Array(capacity);
		this.suffixKeys = new Float64Array(capacity);
		this.nsnLengths = new Uint8Array(capacity);
		this.kinds = new Uint8Array(capacity);
		this.ids = Buffer.alloc(capacity * 16);
		this.customerIds = Buffer.alloc(capacity * 16);
		this.hasCustomer = new Uint8Array(capacity);
		this.offsets = new Uint32Array(capacity + 1);
		this.pool = Buffer.allocUnsafe(Math.max(1024, capacity * 48));
	}

	push(e164: string, nsnReversed: string, match: CallerMatch) {
		const key = e164Key(e164);
		const suffixKey = suffixKeyOf(nsnReversed);
		// Rows committed after the count are not in this snapshot; a malformed number matches nothing.
		if (this.count === this.keys.length || Number.isNaN(key) || Number.isNaN(suffixKey)) return;
		const i = this.count++;
		this.keys[i] = key;
		this.suffixKeys[i] = suffixKey;
		this.nsnLengths[i] = nsnReversed.length;
		this.kinds[i] = kinds.indexOf(match.kind);
		this.ids.write(match.id.replaceAll('-', ''), i * 16, 16, 'hex');
		if (match.customerId) {
			this.customerIds.write(match.customerId.replaceAll('-', ''), i * 16, 16, 'hex');
			this.hasCustomer[i] = 1;
		}
		const text = `${match.phone}${separator}${match.displayName}${separator}${match.companyName ?? ''}`;
		const bytes = Buffer.byteLength(text);
		if (this.poolUsed + bytes > this.pool.length) {
			const bigger = Buffer.allocUnsafe(Math.max(this.pool.length * 2, this.poolUsed + bytes));
			this.pool.copy(bigger, 0, 0, this.poolUsed);
			this.pool = bigger;
		}
		this.offsets[i] = this.poolUsed;
		this.poolUsed += this.pool.write(text, this.poolUsed);
		this.offsets[i + 1] = this.poolUsed;
	}

	sorted(): Snapshot {
		const byNumber = sortedOrder(this.keys, this.count);
		const bySuffix = sortedOrder(this.suffixKeys, this.count);
		this.pool = Buffer.from(this.pool.subarray(0, this.poolUsed));
		this.suffixKeys = new Float64Array(0);
		return new Snapshot(byNumber, bySuffix, this);
	}
}

/** Row numbers sorted by key (stable: one number's owners keep PostgreSQL's order), and the keys in that order. */
function sortedOrder(keys: Float64Array, count: number): Sorted {
	const order = new Uint32Array(count);
	for (let i = 0; i < count; i++) order[i] = i;
	order.sort((a, b) => keys[a] - keys[b] || a - b);
	const sortedKeys = new Float64Array(count);
	for (let i = 0; i < count; i++) sortedKeys[i] = keys[order[i]];
	return { keys: sortedKeys, order };
}

interface Sorted {
	keys: Float64Array;
	order: Uint32Array;
}

/** The first position whose key is not below `key`. */
function firstAtLeast(keys: Float64Array, key: number): number {
	let lo = 0;
	let hi = keys.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (keys[mid] < key) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

class Snapshot {
	readonly count: number;
	readonly bytes: number;

	constructor(
		private byNumber: Sorted,
		private bySuffix: Sorted,
		private columns: Columns
	) {
		this.count = byNumber.keys.length;
		this.bytes =
			2 * (byNumber.keys.byteLength + byNumber.order.byteLength) +
			columns.keys.byteLength +
			columns.nsnLengths.byteLength +
			columns.kinds.byteLength +
			columns.ids.length +
			columns.customerIds.length +
			columns.hasCustomer.byteLength +
			columns.offsets.byteLength +
			columns.pool.length;
	}

	owners(e164: string): CallerMatch[] {
		const key = e164Key(e164);
		const { keys, order } = this.byNumber;
		const matches: CallerMatch[] = [];
		for (let at = firstAtLeast(keys, key); at < keys.length && keys[at] === key; at++) {
			if (matches.length === maxMatches) break;
			matches.push(this.#match(order[at], 'exact'));
		}
		return matches;
	}

	/**
	 * Adds, up to 10 in all, the owners of numbers whose reversed national number starts with
	 * `suffix`: the keys from `suffix` padded with 0s up to the next such prefix. A shorter number
	 * padded the same way can fall in that range; its length tells it apart. `changed`: numbers
	 * whose entry here is out of date.
	 */
	suffixMatches(suffix: string, found: CallerMatch[], changed: ((e164: string) => boolean) | null) {
		const from = suffixKeyOf(suffix);
		if (Number.isNaN(from)) return;
		const to = from + 10 ** (suffixDigits - suffix.length);
		const { keys, order } = this.bySuffix;
		for (let at = firstAtLeast(keys, from); at < keys.length && keys[at] < to; at++) {
			if (found.length === maxMatches) return;
			const i = order[at];
			if (this.columns.nsnLengths[i] < suffix.length) continue;
			if (changed && changed(`+${this.columns.keys[i]}`)) continue;
			found.push(this.#match(i, 'suffix'));
		}
	}

	#match(i: number, match: CallerMatch['match']): CallerMatch {
		const c = this.columns;
		const [phone, displayName, companyName] = c.pool
			.toString('utf8', c.offsets[i], c.offsets[i + 1])
			.split(separator);
		return {
			kind: kinds[c.kinds[i]],
			id: uuidAt(c.ids, i),
			displayName,
			...(c.hasCustomer[i] ? { customerId: uuidAt(c.customerIds, i) } : {}),
			...(companyName ? { companyName } : {}),
			phone,
			match
		};
	}
}

/** "+390212345678" → 390212345678; NaN for anything else, which then matches nothing. */
function e164Key(e164: string): number {
	return /^\+\d{1,15}$/.test(e164) ? Number(e164.slice(1)) : NaN;
}

/** "8765432" → 876543200000000 (15 digits); NaN when it is not 1 to 15 digits. */
function suffixKeyOf(reversed: string): number {
	return /^\d{1,15}$/.test(reversed) ? Number(reversed.padEnd(suffixDigits, '0')) : NaN;
}

function uuidAt(bytes: Buffer, i: number): string {
	const hex = bytes.toString('hex', i * 16, i * 16 + 16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
