import Holidays from 'date-holidays';

/**
 * Public holidays from `date-holidays`, as local `YYYY-MM-DD` dates. Only type `public` counts:
 * observances (Mother's Day...) and bank holidays do not close a call center.
 * `region` is a date-holidays subdivision below the country: a state code ("25" = Lombardy)
 * optionally followed by a region ("25.MI" = Milan, which adds Sant'Ambrogio on 7 December).
 */

const calendars = new Map<string, Holidays>();
const datesByYear = new Map<string, ReadonlySet<string>>();

function holidaysFor(country: string, region: string | undefined): Holidays {
	const key = region ? `${country}.${region}` : country;
	let holidays = calendars.get(key);
	if (!holidays) {
		holidays = new Holidays(key, { types: ['public'] });
		calendars.set(key, holidays);
	}
	return holidays;
}

/**
 * Whether date-holidays lists the region. Its lists are plain objects, so the test is
 * `Object.hasOwn`: `in` would accept "__proto__" or "toString" as a region.
 */
export function isKnownRegion(country: string, region: string): boolean {
	const [state, subRegion, ...rest] = region.split('.');
	if (rest.length > 0) return false;
	const catalogue = new Holidays();
	const states = catalogue.getStates(country) ?? {};
	if (!Object.hasOwn(states, state)) return false;
	return subRegion === undefined || Object.hasOwn(catalogue.getRegions(country, state) ?? {}, subRegion);
}

export function publicHolidayDates(
	country: string,
	region: string | undefined,
	year: number
): ReadonlySet<string> {
	const key = `${country}.${region ?? ''}.${year}`;
	let dates = datesByYear.get(key);
	if (!dates) {
		dates = new Set(
			holidaysFor(country, region)
				.getHolidays(year)
				.filter((holiday) => holiday.type === 'public')
				// `date` is the local date and time the holiday starts, e.g. "2026-04-06 00:00:00".
				.map((holiday) => holiday.date.slice(0, 10))
		);
		datesByYear.set(key, dates);
	}
	return dates;
}

/** The subdivisions `region` may name, with their names: states, then "state.region" codes. */
export function holidayRegions(country: string): Array<{ code: string; name: string }> {
	const catalogue = new Holidays();
	const states = catalogue.getStates(country) ?? {};
	return Object.entries(states).flatMap(([state, name]) => [
		{ code: state, name },
		...Object.entries(catalogue.getRegions(country, state) ?? {}).map(([region, regionName]) => ({
			code: `${state}.${region}`,
			name: `${name} · ${regionName}`
		}))
	]);
}
