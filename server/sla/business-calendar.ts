import { z } from 'zod';
import { isKnownRegion, publicHolidayDates } from './holidays';
import { isValidTimeZone, wallMsToEpochMs } from './time-zone';

export { formatWithOffset } from './time-zone';

/*
 * Business-time arithmetic for SLA deadlines.
 *
 * A calendar is compiled lazily, one local year at a time, into a sorted list of working
 * intervals as UTC epoch milliseconds plus the running total of business time at the end of
 * each interval. Time zones, DST, holidays and closures are resolved once while building a
 * year; every question after that is a binary search or two.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/*
 * Limits that keep every deadline a few milliseconds of work (issue 19). A calendar open one
 * minute a week with a year-long target used to compile thousands of years while the event loop
 * waited; now a calendar needs an hour a week, a target is capped, and no search looks further
 * than a few years ahead: a deadline beyond that is refused, never searched for.
 */
/** An hour a week: less is no service desk, and it bounds how sparse a calendar can be. */
export const MIN_WEEKLY_WORKING_MINUTES = 60;
/** 100,000 business minutes: about 42 weeks of a 40-hour week, 69 days round the clock. */
export const MAX_TARGET_MINUTES = 100_000;
/** A deadline lies within this many years after the local year in which its clock starts. */
export const MAX_SEARCH_YEARS = 3;
/** More shifts a day than this is no real timetable, and each one costs work per compiled year. */
export const MAX_INTERVALS_PER_DAY = 8;
export const MAX_CLOSURES = 500;
/** The years a calendar computes in: closures, instants and deadlines outside them are refused. */
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2200;

/** A deadline (or an opening) that does not come within MAX_SEARCH_YEARS or the supported years. */
export class BusinessTimeOutOfReach extends RangeError {
	override name = 'BusinessTimeOutOfReach';
}

// ---------------------------------------------------------------------------------------------
// Configuration (a JSON-friendly row)

const TIME_OF_DAY = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const timeOfDay = z.string().regex(TIME_OF_DAY, 'expected a time "HH:MM" between 00:00 and 24:00');

const workingInterval = z.strictObject({ start: timeOfDay, end: timeOfDay }).refine(
	// "HH:MM" strings sort like the times they name; a malformed time is already reported.
	({ start, end }) => !TIME_OF_DAY.test(start) || !TIME_OF_DAY.test(end) || end > start,
	{ message: 'end must be after start', path: ['end'] }
);

const dayHours = z
	.array(workingInterval)
	.max(MAX_INTERVALS_PER_DAY, `at most ${MAX_INTERVALS_PER_DAY} working intervals a day`)
	.superRefine((intervals, ctx) => {
		const byStart = intervals.map((interval, index) => ({ ...interval, index }));
		byStart.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
		for (let k = 1; k < byStart.length; k++) {
			const previous = byStart[k - 1];
			if (byStart[k].start < previous.end) {
				ctx.addIssue({
					code: 'custom',
					path: [byStart[k].index, 'start'],
					message: `overlaps the interval ${previous.start}-${previous.end}`
				});
			}
		}
	})
	.default([]);

const localDate = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date "YYYY-MM-DD"')
	.refine((value) => {
		// Date rolls 30 February over to 2 March and makes 32 January an Invalid Date: both are refused.
		const date = new Date(`${value}T00:00:00Z`);
		return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
	}, 'not a calendar date')
	.refine((value) => {
		const year = Number(value.slice(0, 4));
		return year >= FIRST_YEAR && year <= LAST_YEAR;
	}, `expected a year from ${FIRST_YEAR} to ${LAST_YEAR}`);

const closure = z.union([
	z.strictObject({ date: localDate }),
	z
		.strictObject({ from: localDate, to: localDate })
		.refine((range) => range.to >= range.from, { message: 'to must not be before from', path: ['to'] })
]);

export const businessCalendarSchema = z
	.strictObject({
		timeZone: z.string().refine(isValidTimeZone, 'unknown IANA time zone').default('Europe/Rome'),
		weekHours: z.strictObject({
			1: dayHours,
			2: dayHours,
			3: dayHours,
			4: dayHours,
			5: dayHours,
			6: dayHours,
			7: dayHours
		}),
		country: z.literal('IT').default('IT'),
		region: z.string().max(20).optional(),
		closures: z.array(closure).max(MAX_CLOSURES, `at most ${MAX_CLOSURES} closures`).default([])
	})
	.superRefine((config, ctx) => {
		if (config.region !== undefined && !isKnownRegion(config.country, config.region)) {
			ctx.addIssue({ code: 'custom', path: ['region'], message: `unknown region of ${config.country}` });
		}
		const minutes = weeklyWorkingMinutes(config.weekHours);
		// A malformed interval is reported on its own field; its week has no meaningful total.
		if (minutes !== null && minutes < MIN_WEEKLY_WORKING_MINUTES) {
			ctx.addIssue({
				code: 'custom',
				path: ['weekHours'],
				message: `at least ${MIN_WEEKLY_WORKING_MINUTES} working minutes a week are needed, found ${minutes}`
			});
		}
	});

/** Wall-clock working minutes of a week; null when an interval is malformed. */
function weeklyWorkingMinutes(
	weekHours: Record<string, Array<{ start: string; end: string }>>
): number | null {
	let total = 0;
	for (const intervals of Object.values(weekHours)) {
		for (const { start, end } of intervals) {
			if (!TIME_OF_DAY.test(start) || !TIME_OF_DAY.test(end) || end <= start) return null;
			total += minuteOfDay(end) - minuteOfDay(start);
		}
	}
	return total;
}

/** What is stored and sent: `weekHours` keys are ISO weekdays, 1 = Monday ... 7 = Sunday. */
export type BusinessCalendarInput = z.input<typeof businessCalendarSchema>;
export type BusinessCalendarConfig = z.output<typeof businessCalendarSchema>;
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const demoWeekday = [
	{ start: '08:30', end: '12:30' },
	{ start: '14:00', end: '18:00' }
];

/**
 * The demo company: Mon-Fri 08:30-12:30 and 14:00-18:00 in Rome, Italian public holidays, and
 * closed on 7 December (Sant'Ambrogio, Milan's patron saint) as a custom closure for a few years.
 */
export const demoBusinessCalendar: BusinessCalendarInput = {
	timeZone: 'Europe/Rome',
	weekHours: { 1: demoWeekday, 2: demoWeekday, 3: demoWeekday, 4: demoWeekday, 5: demoWeekday, 6: [], 7: [] },
	country: 'IT',
	closures: [2025, 2026, 2027, 2028, 2029, 2030].map((year) => ({ date: `${year}-12-07` }))
};

// ---------------------------------------------------------------------------------------------
// Compiled calendar

/** One local year, compiled. Internal to the arithmetic below; exported for typing only. */
export interface YearTable {
	year: number;
	/** Local midnight opening 1 January, and the one opening the next year. */
	startMs: number;
	endMs: number;
	/** Working intervals [starts[i], ends[i]), sorted, disjoint, never touching. */
	starts: Float64Array;
	ends: Float64Array;
	/** Business milliseconds from startMs to ends[i]. */
	businessMsToEnd: Float64Array;
	businessMs: number;
}

export class BusinessCalendar {
	readonly config: BusinessCalendarConfig;
	/** Wall-clock working milliseconds of a week: bounds the business time of any stretch. */
	readonly weeklyWorkingMs: number;
	readonly #years = new Map<number, YearTable>();
	#lastUsed: YearTable | undefined;

	/** Throws a ZodError naming the field when the configuration is invalid. */
	constructor(input: BusinessCalendarInput) {
		this.config = businessCalendarSchema.parse(input);
		this.weeklyWorkingMs = (weeklyWorkingMinutes(this.config.weekHours) ?? 0) * MINUTE_MS;
	}

	get timeZone(): string {
		return this.config.timeZone;
	}

	/** The table of the local year containing the instant. */
	tableContaining(epochMs: number): YearTable {
		const last = this.#lastUsed;
		if (last && epochMs >= last.startMs && epochMs < last.endMs) return last;
		// The local year is the UTC year, or its neighbour within a few hours of New Year.
		let table = this.table(new Date(epochMs).getUTCFullYear());
		if (epochMs < table.startMs) table = this.table(table.year - 1);
		else if (epochMs >= table.endMs) table = this.table(table.year + 1);
		this.#lastUsed = table;
		return table;
	}

	table(year: number): YearTable {
		let table = this.#years.get(year);
		if (!table) {
			if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR) {
				throw new BusinessTimeOutOfReach(
					`year ${year} is outside the supported range ${FIRST_YEAR}-${LAST_YEAR}`
				);
			}
			table = compileYear(this.config, year);
			this.#years.set(year, table);
		}
		return table;
	}
}

export function compileBusinessCalendar(input: BusinessCalendarInput): BusinessCalendar {
	return new BusinessCalendar(input);
}

const minuteOfDay = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Closed days of a year, by day of the year (0 = 1 January): public holidays and closures. */
function closedDays(
	config: BusinessCalendarConfig,
	year: number,
	yearStartMs: number,
	days: number
): Uint8Array {
	const closed = new Uint8Array(days);
	const dayOf = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - yearStartMs) / DAY_MS);
	const close = (from: number, to: number) => {
		// Clamped by hand: typed arrays read a negative bound as counted from the end.
		if (to >= 0 && from < days) closed.fill(1, Math.max(0, from), Math.min(days, to + 1));
	};
	for (const date of publicHolidayDates(config.country, config.region, year)) close(dayOf(date), dayOf(date));
	for (const closure of config.closures) {
		if ('date' in closure) close(dayOf(closure.date), dayOf(closure.date));
		else close(dayOf(closure.from), dayOf(closure.to));
	}
	return closed;
}

function compileYear(config: BusinessCalendarConfig, year: number): YearTable {
	const { timeZone } = config;
	const shiftsByWeekday = ([1, 2, 3, 4, 5, 6, 7] as const).map((weekday) =>
		config.weekHours[weekday]
			.map((interval) => ({
				startMs: minuteOfDay(interval.start) * MINUTE_MS,
				endMs: minuteOfDay(interval.end) * MINUTE_MS
			}))
			.sort((a, b) => a.startMs - b.startMs)
	);
	const yearStartMs = Date.UTC(year, 0, 1);
	const days = Math.round((Date.UTC(year + 1, 0, 1) - yearStartMs) / DAY_MS);
	const closed = closedDays(config, year, yearStartMs, days);

	const starts: number[] = [];
	const ends: number[] = [];
	// Days are walked as wall-clock midnights written as UTC milliseconds: no Date objects per day.
	for (let day = 0; day < days; day++) {
		if (closed[day]) continue;
		const midnightMs = yearStartMs + day * DAY_MS;
		// 1 January 1970 was a Thursday (ISO weekday 4); index 0 is Monday.
		const weekdayIndex = (Math.floor(midnightMs / DAY_MS) + 3) % 7;
		for (const shift of shiftsByWeekday[weekdayIndex]) {
			// When the clocks go back a wall time shows twice: a shift starts the first time its start
			// shows and ends the last time its end shows, so it lasts as long as the clock says.
			const startMs = wallMsToEpochMs(timeZone, midnightMs + shift.startMs, 'earliest');
			const endMs = wallMsToEpochMs(timeZone, midnightMs + shift.endMs, 'latest');
			if (endMs <= startMs) continue; // swallowed whole by a spring-forward gap
			const lastIndex = ends.length - 1;
			if (lastIndex >= 0 && startMs <= ends[lastIndex]) ends[lastIndex] = Math.max(ends[lastIndex], endMs);
			else {
				starts.push(startMs);
				ends.push(endMs);
			}
		}
	}

	const businessMsToEnd = new Float64Array(ends.length);
	let total = 0;
	for (let i = 0; i < ends.length; i++) {
		total += ends[i] - starts[i];
		businessMsToEnd[i] = total;
	}
	return {
		year,
		startMs: wallMsToEpochMs(timeZone, yearStartMs, 'earliest'),
		endMs: wallMsToEpochMs(timeZone, yearStartMs + days * DAY_MS, 'earliest'),
		starts: Float64Array.from(starts),
		ends: Float64Array.from(ends),
		businessMsToEnd,
		businessMs: total
	};
}

/** First index in [low, high) whose value exceeds `limit` (or is at least `limit` when `inclusive`). */
function searchFirst(
	values: Float64Array,
	limit: number,
	low: number,
	high: number,
	inclusive: boolean
): number {
	while (low < high) {
		const middle = (low + high) >>> 1;
		const value = values[middle];
		if (value > limit || (inclusive && value === limit)) high = middle;
		else low = middle + 1;
	}
	return low;
}

/** Where an instant sits in its year: the first interval not yet over, and business ms so far. */
function locate(table: YearTable, epochMs: number): { index: number; businessMs: number } {
	const index = searchFirst(table.ends, epochMs, 0, table.ends.length, false);
	let businessMs = index > 0 ? table.businessMsToEnd[index - 1] : 0;
	if (index < table.starts.length && table.starts[index] < epochMs)
		businessMs += epochMs - table.starts[index];
	return { index, businessMs };
}

/** The year after `table`, unless it lies beyond the search window opened in `firstYear`. */
function nextYear(calendar: BusinessCalendar, table: YearTable, firstYear: number, what: string): YearTable {
	if (table.year + 1 > firstYear + MAX_SEARCH_YEARS) {
		throw new BusinessTimeOutOfReach(
			`${what} does not come within ${MAX_SEARCH_YEARS} years on this calendar: it has too little working time`
		);
	}
	return calendar.table(table.year + 1);
}

// ---------------------------------------------------------------------------------------------
// Business-time arithmetic

function addBusinessMs(calendar: BusinessCalendar, startMs: number, amountMs: number): number {
	if (!(amountMs >= 0) || !Number.isFinite(amountMs))
		throw new RangeError(`invalid business duration ${amountMs}`);
	if (amountMs === 0) return startMs;
	const what = `the end of ${amountMs / MINUTE_MS} business minutes`;
	// Whole weeks bound the business time of the search window (plus an hour a year for the
	// clocks going back): a target beyond it is refused before any year is compiled.
	const windowWeeks = (MAX_SEARCH_YEARS + 1) * 53;
	if (amountMs > windowWeeks * calendar.weeklyWorkingMs + (MAX_SEARCH_YEARS + 1) * 60 * MINUTE_MS) {
		throw new BusinessTimeOutOfReach(
			`${what} does not come within ${MAX_SEARCH_YEARS} years on this calendar: it has too little working time`
		);
	}
	let table = calendar.tableContaining(startMs);
	const firstYear = table.year;
	let { index, businessMs: target } = locate(table, startMs);
	target += amountMs;
	while (target > table.businessMs) {
		target -= table.businessMs;
		table = nextYear(calendar, table, firstYear, what);
		index = 0;
	}
	// Reaching the target exactly at a closing time answers the closing time, not the next opening.
	const j = searchFirst(table.businessMsToEnd, target, index, table.ends.length, true);
	return table.ends[j] - (table.businessMsToEnd[j] - target);
}

function businessMsBetween(calendar: BusinessCalendar, fromMs: number, toMs: number): number {
	if (toMs < fromMs) return -businessMsBetween(calendar, toMs, fromMs);
	const fromTable = calendar.tableContaining(fromMs);
	const toTable = calendar.tableContaining(toMs);
	const before = locate(fromTable, fromMs).businessMs;
	const until = locate(toTable, toMs).businessMs;
	if (fromTable === toTable) return until - before;
	let total = fromTable.businessMs - before + until;
	for (let year = fromTable.year + 1; year < toTable.year; year++) total += calendar.table(year).businessMs;
	return total;
}

/** The instant when `minutes` of business time have elapsed after `start`. */
export function addBusinessMinutes(calendar: BusinessCalendar, start: Date, minutes: number): Date {
	return new Date(addBusinessMs(calendar, start.getTime(), Math.round(minutes * MINUTE_MS)));
}

/** Business minutes in [from, to); negative when `to` is before `from`. */
export function businessMinutesBetween(calendar: BusinessCalendar, from: Date, to: Date): number {
	return businessMsBetween(calendar, from.getTime(), to.getTime()) / MINUTE_MS;
}

/** Working intervals are half-open: 08:30 is business time, 12:30 is not. */
export function isBusinessTime(calendar: BusinessCalendar, at: Date): boolean {
	const epochMs = at.getTime();
	const table = calendar.tableContaining(epochMs);
	const { index } = locate(table, epochMs);
	return index < table.starts.length && table.starts[index] <= epochMs;
}

/** The first business instant at or after `at`: `at` itself when the calendar is open then. */
export function nextOpening(calendar: BusinessCalendar, at: Date): Date {
	const epochMs = at.getTime();
	let table = calendar.tableContaining(epochMs);
	const { index } = locate(table, epochMs);
	if (index < table.starts.length) return new Date(Math.max(epochMs, table.starts[index]));
	const firstYear = table.year;
	for (;;) {
		table = nextYear(calendar, table, firstYear, 'the next opening');
		if (table.starts.length > 0) return new Date(table.starts[0]);
	}
}

// ---------------------------------------------------------------------------------------------
// SLA clocks

export interface SlaPause {
	from: Date;
	/** null while the pause is still open (e.g. waiting for the customer). */
	to: Date | null;
}

export interface SlaClockInput {
	openedAt: Date;
	targetMinutes: number;
	pauses: SlaPause[];
	/** When elapsed and remaining time are measured; defaults to the current time. */
	now?: Date;
}

export interface SlaDeadline {
	/** null when an open pause stopped the clock before the target was reached: not known yet. */
	dueAt: Date | null;
	/** Business minutes on the clock at `now`, pauses excluded. */
	elapsedMinutes: number;
	/** targetMinutes - elapsedMinutes; negative once breached. */
	remainingMinutes: number;
	/** A pause is open at `now`. */
	paused: boolean;
}

/** The stretches of time during which the SLA clock runs; the last one ends at Infinity unless paused. */
function runningStretches(openedAtMs: number, pauses: SlaPause[]): Array<[number, number]> {
	const sorted = pauses.length > 1 ? [...pauses].sort((a, b) => a.from.getTime() - b.from.getTime()) : pauses;
	const stretches: Array<[number, number]> = [];
	let cursor = openedAtMs;
	for (const pause of sorted) {
		const fromMs = pause.from.getTime();
		const toMs = pause.to === null ? Infinity : pause.to.getTime();
		if (toMs < fromMs) throw new RangeError('a pause ends before it starts');
		if (toMs <= cursor) continue;
		if (fromMs > cursor) stretches.push([cursor, fromMs]);
		cursor = toMs;
		if (cursor === Infinity) return stretches;
	}
	stretches.push([cursor, Infinity]);
	return stretches;
}

export function computeDeadline(calendar: BusinessCalendar, input: SlaClockInput): SlaDeadline {
	const targetMs = Math.round(input.targetMinutes * MINUTE_MS);
	if (!(targetMs >= 0) || !Number.isFinite(targetMs)) {
		throw new RangeError(`invalid targetMinutes ${input.targetMinutes}`);
	}
	const openedAtMs = input.openedAt.getTime();
	const nowMs = (input.now ?? new Date()).getTime();
	const stretches = runningStretches(openedAtMs, input.pauses);

	let dueAtMs: number | null = null;
	let remainingMs = targetMs;
	for (const [fromMs, toMs] of stretches) {
		const availableMs = toMs === Infinity ? Infinity : businessMsBetween(calendar, fromMs, toMs);
		if (availableMs >= remainingMs) {
			dueAtMs = addBusinessMs(calendar, fromMs, remainingMs);
			break;
		}
		remainingMs -= availableMs;
	}

	let elapsedMs = 0;
	for (const [fromMs, toMs] of stretches) {
		if (fromMs >= nowMs) break;
		elapsedMs += businessMsBetween(calendar, fromMs, Math.min(toMs, nowMs));
	}
	const paused = input.pauses.some(
		(pause) => pause.from.getTime() <= nowMs && (pause.to === null || pause.to.getTime() > nowMs)
	);
	return {
		dueAt: dueAtMs === null ? null : new Date(dueAtMs),
		elapsedMinutes: elapsedMs / MINUTE_MS,
		remainingMinutes: (targetMs - elapsedMs) / MINUTE_MS,
		paused
	};
}

/** When `share` of the target will have elapsed (0.75: warn at three quarters); null while paused. */
export function warningAt(
	calendar: BusinessCalendar,
	input: Omit<SlaClockInput, 'now'> & { share?: number }
): Date | null {
	const share = input.share ?? 0.75;
	if (!(share > 0 && share <= 1)) throw new RangeError(`share must be in (0, 1], got ${share}`);
	return computeDeadline(calendar, {
		...input,
		targetMinutes: input.targetMinutes * share,
		now: input.openedAt
	}).dueAt;
}
