/**
 * Wall-clock <-> instant conversion for IANA time zones with nothing but `Intl.DateTimeFormat`.
 * The business calendar calls this a few times per working day when it compiles a year.
 * `Intl` costs microseconds a call, so each zone's offsets are read once per UTC year into a
 * table of transitions, and every later question about that year is a binary search.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

/** The offset `Intl` reports at an instant: the slow reference the transition tables are built from. */
function intlOffsetMs(timeZone: string, epochMs: number): number {
	const fields: Record<string, number> = {};
	for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
		if (part.type !== 'literal') fields[part.type] = Number(part.value);
	}
	const wallMs = Date.UTC(
		fields.year,
		fields.month - 1,
		fields.day,
		fields.hour,
		fields.minute,
		fields.second
	);
	const wholeSecondMs = epochMs - (((epochMs % 1000) + 1000) % 1000);
	return wallMs - wholeSecondMs;
}

/** One UTC year of a zone: `offsets[i]` holds from `changes[i - 1]` (or `startMs`) on. */
interface ZoneYear {
	startMs: number;
	endMs: number;
	changes: number[];
	offsets: number[];
}

interface Zone {
	years: Map<number, ZoneYear>;
	lastUsed: ZoneYear | undefined;
}

const zones = new Map<string, Zone>();

/**
 * Samples the offset weekly and finds each change to the millisecond. Zones change their offset
 * at most a few times a year and never twice within a week (Morocco's Ramadan pause, the
 * shortest, lasts about a month), so weekly samples see every change.
 */
function readZoneYear(timeZone: string, year: number): ZoneYear {
	const startMs = Date.UTC(year, 0, 1);
	const endMs = Date.UTC(year + 1, 0, 1);
	const table: ZoneYear = { startMs, endMs, changes: [], offsets: [intlOffsetMs(timeZone, startMs)] };
	for (let low = startMs; low < endMs;) {
		const high = Math.min(low + WEEK_MS, endMs);
		const offset = intlOffsetMs(timeZone, high);
		if (offset !== table.offsets[table.offsets.length - 1]) {
			const changeMs = firstInstantWithIntlOffset(timeZone, low, high, offset);
			if (changeMs < endMs) {
				table.changes.push(changeMs);
				table.offsets.push(offset);
			}
		}
		low = high;
	}
	return table;
}

/** Binary search on `Intl`: the first instant in (low, high] whose offset is `offset`, that of `high`. */
function firstInstantWithIntlOffset(timeZone: string, low: number, high: number, offset: number): number {
	while (high - low > 1) {
		const middle = Math.floor((low + high) / 2);
		if (intlOffsetMs(timeZone, middle) === offset) high = middle;
		else low = middle;
	}
	return high;
}

/** The zone's offset from UTC at an instant, in milliseconds (Europe/Rome in July: +7_200_000). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
	let zone = zones.get(timeZone);
	if (!zone) {
		zone = { years: new Map(), lastUsed: undefined };
		zones.set(timeZone, zone);
	}
	let table = zone.lastUsed;
	if (!table || epochMs < table.startMs || epochMs >= table.endMs) {
		const year = new Date(epochMs).getUTCFullYear();
		table = zone.years.get(year);
		if (!table) {
			table = readZoneYear(timeZone, year);
			zone.years.set(year, table);
		}
		zone.lastUsed = table;
	}
	const { changes, offsets } = table;
	let index = 0;
	while (index < changes.length && changes[index] <= epochMs) index++;
	return offsets[index];
}

/**
 * The instant at which the zone's clocks show a wall time (`minuteOfDay` may be 1440 for 24:00).
 * - In the spring-forward gap the wall time never shows: we return the first instant after it,
 *   i.e. the transition itself (02:30 on the last Sunday of March in Rome becomes 03:00 CEST).
 * - In the autumn fall-back overlap the wall time shows twice: `pick` chooses which.
 */
export function wallTimeToEpochMs(
	timeZone: string,
	date: { year: number; month: number; day: number },
	minuteOfDay: number,
	pick: 'earliest' | 'latest'
): number {
	const wallMs = Date.UTC(date.year, date.month - 1, date.day) + minuteOfDay * MINUTE_MS;
	return wallMsToEpochMs(timeZone, wallMs, pick);
}

/** As `wallTimeToEpochMs`, for a wall time written as if it were UTC epoch milliseconds. */
export function wallMsToEpochMs(timeZone: string, wallMs: number, pick: 'earliest' | 'latest'): number {
	// The offsets in force a day before and a day after bracket any single transition near this time.
	const withOffsetBefore = wallMs - zoneOffsetMs(timeZone, wallMs - DAY_MS);
	const withOffsetAfter = wallMs - zoneOffsetMs(timeZone, wallMs + DAY_MS);
	const beforeShows = withOffsetBefore + zoneOffsetMs(timeZone, withOffsetBefore) === wallMs;
	const afterShows = withOffsetAfter + zoneOffsetMs(timeZone, withOffsetAfter) === wallMs;
	if (beforeShows && afterShows) {
		return pick === 'earliest'
			? Math.min(withOffsetBefore, withOffsetAfter)
			: Math.max(withOffsetBefore, withOffsetAfter);
	}
	if (beforeShows) return withOffsetBefore;
	if (afterShows) return withOffsetAfter;
	return firstInstantWithOffsetOf(timeZone, withOffsetAfter, withOffsetBefore);
}

/** Binary search for the transition: the first instant in (low, high] whose offset is that of `high`. */
function firstInstantWithOffsetOf(timeZone: string, low: number, high: number): number {
	const targetOffset = zoneOffsetMs(timeZone, high);
	while (high - low > 1) {
		const middle = Math.floor((low + high) / 2);
		if (zoneOffsetMs(timeZone, middle) === targetOffset) high = middle;
		else low = middle;
	}
	return high;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/**
 * ISO 8601 in the given zone with its offset, e.g. `2026-03-30T09:30:00+02:00`.
 * Milliseconds appear only when non-zero.
 */
export function formatWithOffset(date: Date, timeZone: string): string {
	const epochMs = date.getTime();
	const offsetMs = zoneOffsetMs(timeZone, epochMs);
	const wall = new Date(epochMs + offsetMs);
	const offsetMinutes = Math.round(Math.abs(offsetMs) / MINUTE_MS);
	const millis = wall.getUTCMilliseconds();
	return (
		`${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
		`T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}` +
		(millis ? `.${pad(millis, 3)}` : '') +
		`${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`
	);
}
