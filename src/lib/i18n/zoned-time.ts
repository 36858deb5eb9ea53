/**
 * The zone ticket times are shown in when no business calendar names one: the server computes
 * deadlines in the same default (server/sla/business-calendar.ts).
 */
export const defaultTimeZone = 'Europe/Rome';

const formatters = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

function formattersFor(locale: string, timeZone: string) {
	const key = `${locale} ${timeZone}`;
	let pair = formatters.get(key);
	if (!pair) {
		pair = {
			date: new Intl.DateTimeFormat(locale, { timeZone, day: '2-digit', month: 'short', year: 'numeric' }),
			time: new Intl.DateTimeFormat(locale, {
				timeZone,
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23'
			})
		};
		formatters.set(key, pair);
	}
	return pair;
}

/**
 * An instant as "04 mar 2026 12:30" on the wall clock of `timeZone` (an IANA name), whatever zone
 * the browser runs in: a deadline computed on a service centre's calendar reads as that calendar
 * says it. A zone the browser does not know falls back to the default one.
 */
export function formatInstant(
	value: string | number | Date,
	locale: string,
	timeZone: string,
	/** `time`: the wall-clock time alone ("12:30"), for an instant whose day goes without saying. */
	part: 'date-time' | 'time' = 'date-time'
): string {
	const at = new Date(value);
	let pair: ReturnType<typeof formattersFor>;
	try {
		pair = formattersFor(locale, timeZone);
	} catch {
		pair = formattersFor(locale, defaultTimeZone);
	}
	return part === 'time' ? pair.time.format(at) : `${pair.date.format(at)} ${pair.time.format(at)}`;
}
