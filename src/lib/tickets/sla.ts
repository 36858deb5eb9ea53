import type { TicketRow } from './tickets-api';

/**
 * How an SLA deadline looks at a given instant, from the instants the server computed on the
 * business calendar. The browser only counts down to them: it never does calendar arithmetic.
 */
export type SlaTone = 'ok' | 'warning' | 'overdue' | 'paused' | 'met' | 'missed' | 'none';

export interface Countdown {
	tone: SlaTone;
	/** Milliseconds to the deadline, negative once it passed; null when nothing counts down. */
	remainingMs: number | null;
}

const at = (iso: string | null) => (iso === null ? null : Date.parse(iso));

function ticking(dueAt: number, warningAt: number | null, now: number): Countdown {
	const remainingMs = dueAt - now;
	if (remainingMs <= 0) return { tone: 'overdue', remainingMs };
	return { tone: warningAt !== null && warningAt <= now ? 'warning' : 'ok', remainingMs };
}

/** The queue's countdown: to the row's next deadline, amber after its warning, red once due. */
export function countdownOf(
	row: Pick<TicketRow, 'slaNextDueAt' | 'slaNextWarningAt' | 'slaPaused'>,
	now: number
): Countdown {
	if (row.slaPaused) return { tone: 'paused', remainingMs: null };
	const dueAt = at(row.slaNextDueAt);
	if (dueAt === null) return { tone: 'none', remainingMs: null };
	return ticking(dueAt, at(row.slaNextWarningAt), now);
}

export interface DeadlineFacts {
	dueAt: string | null;
	warningAt: string | null;
	/** When the deadline was honoured (first response given, ticket resolved), if it was. */
	doneAt: string | null;
	breached: boolean;
	paused: boolean;
}

/** One deadline of the ticket page: met or missed once done, else counting down (or paused). */
export function deadlineState(facts: DeadlineFacts, now: number): Countdown {
	if (facts.doneAt !== null) return { tone: facts.breached ? 'missed' : 'met', remainingMs: null };
	const dueAt = at(facts.dueAt);
	if (facts.paused) return { tone: 'paused', remainingMs: dueAt === null ? null : dueAt - now };
	if (dueAt === null) return { tone: facts.breached ? 'missed' : 'none', remainingMs: null };
	const countdown = ticking(dueAt, at(facts.warningAt), now);
	return facts.breached && countdown.tone !== 'overdue' ? { ...countdown, tone: 'overdue' } : countdown;
}

export interface Span {
	days: number;
	hours: number;
	minutes: number;
	seconds: number;
}

/** Whole days, hours, minutes and seconds of a duration (its absolute value), rounded up to the second. */
export function spanOf(ms: number): Span {
	const total = Math.ceil(Math.abs(ms) / 1000);
	return {
		days: Math.floor(total / 86_400),
		hours: Math.floor((total % 86_400) / 3600),
		minutes: Math.floor((total % 3600) / 60),
		seconds: total % 60
	};
}

const two = (n: number) => String(n).padStart(2, '0');

/** A stopwatch face for what is left after the days: "42:05", "3:42:05"; "03:42:05" next to days. */
export function clockFace({ days, hours, minutes, seconds }: Span): string {
	if (days > 0) return `${two(hours)}:${two(minutes)}:${two(seconds)}`;
	return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}
