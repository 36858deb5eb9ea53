/**
 * Wall-clock <-> instant conversion for IANA time zones with nothing but `Intl.DateTimeFormat`.
 * The business calendar calls this a few times per working day when it compiles a year,
 * never per deadline, so clarity wins over speed here.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

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

/** The zone's offset from UTC at an instant, in milliseconds (Europe/Rome in July: +7_200_000). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
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
	// The offsets in force a day before and a day after bracket any single transition near this time.
	const withOffsetBefore = wallMs - zoneOffsetMs(timeZone, wallMs - DAY_MS);
	const withOffsetAfter = wallMs - zoneOffsetMs(timeZone, wallMs + DAY_MS);
	const shows = (epochMs: number) => epochMs + zoneOffsetMs(timeZone, epochMs) === wallMs;

	const candidates = [withOffsetBefore, withOffsetAfter].filter(shows);
	if (candidates.length > 0) {
		return pick === 'earliest' ? Math.min(...candidates) : Math.max(...candidates);
	}
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
