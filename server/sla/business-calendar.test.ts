import { describe, it, expect } from 'vitest';
import {
	addBusinessMinutes,
	BusinessCalendar,
	businessCalendarSchema,
	businessMinutesBetween,
	computeDeadline,
	demoBusinessCalendar,
	formatWithOffset,
	isBusinessTime,
	nextOpening,
	warningAt,
	type BusinessCalendarInput
} from './business-calendar';

const at = (iso: string) => new Date(iso);
const rome = (date: Date | null) => (date === null ? null : formatWithOffset(date, 'Europe/Rome'));

const demo = new BusinessCalendar(demoBusinessCalendar);

const allDay = [{ start: '00:00', end: '24:00' }];
const nineToFive = [{ start: '09:00', end: '17:00' }];
const everyDay = (hours: Array<{ start: string; end: string }>): BusinessCalendarInput['weekHours'] => ({
	1: hours,
	2: hours,
	3: hours,
	4: hours,
	5: hours,
	6: hours,
	7: hours
});
const sevenDays = new BusinessCalendar({
	timeZone: 'Europe/Rome',
	weekHours: everyDay(nineToFive),
	country: 'IT'
});
const alwaysOpen = new BusinessCalendar({
	timeZone: 'Europe/Rome',
	weekHours: everyDay(allDay),
	country: 'IT'
});

describe('addBusinessMinutes on the demo calendar (Mon-Fri 08:30-12:30, 14:00-18:00, Rome)', () => {
	it('skips the lunch break: 2h from 11:30 is 1h before lunch and 1h after, so 15:00', () => {
		expect(rome(addBusinessMinutes(demo, at('2026-03-02T11:30:00+01:00'), 120))).toBe(
			'2026-03-02T15:00:00+01:00'
		);
	});

	it('answers the closing time, not the next opening, when the target is reached exactly at closing', () => {
		expect(rome(addBusinessMinutes(demo, at('2026-03-02T10:30:00+01:00'), 120))).toBe(
			'2026-03-02T12:30:00+01:00'
		);
	});

	it('skips the weekend: Friday 17:00 + 2h is 1h on Friday and 1h from Monday 08:30', () => {
		expect(rome(addBusinessMinutes(demo, at('2026-03-06T17:00:00+01:00'), 120))).toBe(
			'2026-03-09T09:30:00+01:00'
		);
	});

	it('starts counting at the next opening when opened after hours (Friday 19:00 -> Monday 08:30)', () => {
		const fridayEvening = at('2026-03-06T19:00:00+01:00');
		expect(isBusinessTime(demo, fridayEvening)).toBe(false);
		expect(rome(nextOpening(demo, fridayEvening))).toBe('2026-03-09T08:30:00+01:00');
		expect(rome(addBusinessMinutes(demo, fridayEvening, 60))).toBe('2026-03-09T09:30:00+01:00');
	});

	it('keeps the wall-clock hours across the spring DST change (Friday CET -> Monday CEST)', () => {
		// 1h on Friday 27 March, the clocks go forward on Sunday 29, then 1h from Monday 08:30 CEST.
		expect(rome(addBusinessMinutes(demo, at('2026-03-27T17:00:00+01:00'), 120))).toBe(
			'2026-03-30T09:30:00+02:00'
		);
	});

	it('skips the custom closure on 7 December and the holiday on 8 December', () => {
		// Friday 4 Dec 17:00: 1h on Friday; Mon 7 closed (closure), Tue 8 closed (Immacolata); Wed 9 08:30 + 1h.
		expect(rome(addBusinessMinutes(demo, at('2026-12-04T17:00:00+01:00'), 120))).toBe(
			'2026-12-09T09:30:00+01:00'
		);
	});

	it('skips a range closure (company shutdown 10-21 August)', () => {
		const shutdown = new BusinessCalendar({
			...demoBusinessCalendar,
			closures: [{ from: '2026-08-10', to: '2026-08-21' }]
		});
		// Friday 7 Aug 17:00: 1h on Friday, two closed weeks, then Monday 24 Aug 08:30 + 1h.
		expect(rome(addBusinessMinutes(shutdown, at('2026-08-07T17:00:00+02:00'), 120))).toBe(
			'2026-08-24T09:30:00+02:00'
		);
		expect(isBusinessTime(shutdown, at('2026-08-14T10:00:00+02:00'))).toBe(false);
		expect(isBusinessTime(shutdown, at('2026-08-21T17:59:00+02:00'))).toBe(false);
		expect(isBusinessTime(demo, at('2026-08-14T10:00:00+02:00'))).toBe(true);
	});

	it('crosses New Year, skipping 1 January', () => {
		// Thu 31 Dec 17:00: 1h; Fri 1 Jan holiday; weekend; Mon 4 Jan 08:30 + 1h.
		const from = at('2026-12-31T17:00:00+01:00');
		expect(rome(addBusinessMinutes(demo, from, 120))).toBe('2027-01-04T09:30:00+01:00');
		expect(businessMinutesBetween(demo, from, at('2027-01-04T09:30:00+01:00'))).toBe(120);
	});

	it('treats zero minutes as "now"', () => {
		const sunday = at('2026-03-08T10:00:00+01:00');
		expect(addBusinessMinutes(demo, sunday, 0)).toEqual(sunday);
	});
});

describe('isBusinessTime and nextOpening', () => {
	it('treats working intervals as half-open', () => {
		expect(isBusinessTime(demo, at('2026-03-02T08:30:00+01:00'))).toBe(true);
		expect(isBusinessTime(demo, at('2026-03-02T08:29:59+01:00'))).toBe(false);
		expect(isBusinessTime(demo, at('2026-03-02T12:29:59+01:00'))).toBe(true);
		expect(isBusinessTime(demo, at('2026-03-02T12:30:00+01:00'))).toBe(false);
		expect(isBusinessTime(demo, at('2026-03-07T10:00:00+01:00'))).toBe(false); // Saturday
	});

	it('returns the instant itself when already open, otherwise the next opening', () => {
		expect(rome(nextOpening(demo, at('2026-03-02T09:15:00+01:00')))).toBe('2026-03-02T09:15:00+01:00');
		expect(rome(nextOpening(demo, at('2026-03-02T12:45:00+01:00')))).toBe('2026-03-02T14:00:00+01:00');
		expect(rome(nextOpening(demo, at('2026-12-31T18:30:00+01:00')))).toBe('2027-01-04T08:30:00+01:00');
	});
});

describe('Italian public holidays', () => {
	// A calendar open 09:00-17:00 every day, so a holiday shows whatever weekday it falls on.
	it.each([
		['2026-01-01', '2026-01-02T09:00:00+01:00'], // Capodanno
		['2026-01-06', '2026-01-07T09:00:00+01:00'], // Epifania
		['2026-04-05', '2026-04-07T09:00:00+02:00'], // Easter Sunday, followed by Easter Monday
		['2026-04-06', '2026-04-07T09:00:00+02:00'], // Easter Monday
		['2027-03-29', '2027-03-30T09:00:00+02:00'], // Easter Monday 2027, the day after the DST change
		['2026-04-25', '2026-04-26T09:00:00+02:00'], // Liberazione
		['2026-05-01', '2026-05-02T09:00:00+02:00'], // Festa del lavoro
		['2026-06-02', '2026-06-03T09:00:00+02:00'], // Festa della Repubblica
		['2026-08-15', '2026-08-16T09:00:00+02:00'], // Ferragosto
		['2026-11-01', '2026-11-02T09:00:00+01:00'], // Ognissanti
		['2026-12-08', '2026-12-09T09:00:00+01:00'], // Immacolata
		['2026-12-25', '2026-12-27T09:00:00+01:00'], // Natale, followed by Santo Stefano
		['2026-12-26', '2026-12-27T09:00:00+01:00'] // Santo Stefano
	])('%s is closed; the next opening is %s', (date, expectedOpening) => {
		const noon = at(`${date}T12:00:00Z`);
		expect(isBusinessTime(sevenDays, noon)).toBe(false);
		expect(rome(nextOpening(sevenDays, noon))).toBe(expectedOpening);
	});

	it('knows 4 October is a national holiday again from 2026 (San Francesco), not in 2025', () => {
		expect(isBusinessTime(sevenDays, at('2026-10-04T12:00:00+02:00'))).toBe(false);
		expect(isBusinessTime(sevenDays, at('2025-10-04T12:00:00+02:00'))).toBe(true);
	});

	it('keeps ordinary days, observances and Good Friday open', () => {
		expect(isBusinessTime(sevenDays, at('2026-12-07T12:00:00+01:00'))).toBe(true); // no closure here
		expect(isBusinessTime(sevenDays, at('2026-05-10T12:00:00+02:00'))).toBe(true); // Festa della mamma
		expect(isBusinessTime(sevenDays, at('2026-04-03T12:00:00+02:00'))).toBe(true); // Good Friday
	});

	it('closes on the Easter Monday of the demo calendar', () => {
		// Fri 3 Apr 2026 17:00: 1h; weekend; Mon 6 Apr Easter Monday; Tue 7 Apr 08:30 + 1h.
		expect(rome(addBusinessMinutes(demo, at('2026-04-03T17:00:00+02:00'), 120))).toBe(
			'2026-04-07T09:30:00+02:00'
		);
		expect(isBusinessTime(demo, at('2027-03-29T10:00:00+02:00'))).toBe(false);
		expect(isBusinessTime(demo, at('2027-03-30T10:00:00+02:00'))).toBe(true);
	});

	it("adds regional holidays for a region (Milan: Sant'Ambrogio)", () => {
		const milan = new BusinessCalendar({ ...demoBusinessCalendar, closures: [], region: '25.MI' });
		expect(isBusinessTime(milan, at('2026-12-08T10:00:00+01:00'))).toBe(false); // Immacolata, national
		expect(isBusinessTime(milan, at('2026-12-07T10:00:00+01:00'))).toBe(false);
		expect(
			isBusinessTime(
				new BusinessCalendar({ ...demoBusinessCalendar, closures: [] }),
				at('2026-12-07T10:00:00+01:00')
			)
		).toBe(true);
	});
});

describe('daylight saving time in Europe/Rome', () => {
	it('has a 23-hour day when the clocks go forward (last Sunday of March)', () => {
		const sunday = at('2026-03-29T00:00:00+01:00');
		expect(businessMinutesBetween(alwaysOpen, sunday, at('2026-03-30T00:00:00+02:00'))).toBe(23 * 60);
		expect(rome(addBusinessMinutes(alwaysOpen, sunday, 24 * 60))).toBe('2026-03-30T01:00:00+02:00');
	});

	it('has a 25-hour day when the clocks go back (last Sunday of October)', () => {
		const sunday = at('2026-10-25T00:00:00+02:00');
		expect(businessMinutesBetween(alwaysOpen, sunday, at('2026-10-26T00:00:00+01:00'))).toBe(25 * 60);
		expect(rome(addBusinessMinutes(alwaysOpen, sunday, 24 * 60))).toBe('2026-10-25T23:00:00+01:00');
	});

	it('starts a shift whose start does not exist (spring gap) at the first valid instant', () => {
		// 02:30 does not exist on 29 March 2026: the clocks jump from 02:00 CET to 03:00 CEST.
		const night = new BusinessCalendar({
			weekHours: { 7: [{ start: '02:30', end: '04:00' }] },
			country: 'IT'
		});
		expect(rome(nextOpening(night, at('2026-03-29T00:00:00+01:00')))).toBe('2026-03-29T03:00:00+02:00');
		expect(rome(addBusinessMinutes(night, at('2026-03-29T00:00:00+01:00'), 30))).toBe(
			'2026-03-29T03:30:00+02:00'
		);
		expect(
			businessMinutesBetween(night, at('2026-03-29T00:00:00+01:00'), at('2026-03-29T12:00:00+02:00'))
		).toBe(60);
		// A shift ending in the gap ends when the clocks jump: 00:00-02:30 lasts 2 hours that day,
		// so 30 of 150 minutes are left; 5 April is Easter Sunday, so they run on 12 April.
		const early = new BusinessCalendar({
			weekHours: { 7: [{ start: '00:00', end: '02:30' }] },
			country: 'IT'
		});
		expect(rome(addBusinessMinutes(early, at('2026-03-29T00:00:00+01:00'), 150))).toBe(
			'2026-04-12T00:30:00+02:00'
		);
		// An ordinary Sunday has the full 90 minutes.
		expect(
			businessMinutesBetween(night, at('2026-03-22T00:00:00+01:00'), at('2026-03-22T12:00:00+01:00'))
		).toBe(90);
	});

	it('lets a shift spanning the autumn overlap last as long as the clock says', () => {
		// 01:00-04:00 on 25 October 2026 lasts 4 real hours: 02:00-03:00 happens twice.
		const night = new BusinessCalendar({
			weekHours: { 7: [{ start: '01:00', end: '04:00' }] },
			country: 'IT'
		});
		const sunday = at('2026-10-25T00:00:00+02:00');
		expect(businessMinutesBetween(night, sunday, at('2026-10-25T12:00:00+01:00'))).toBe(240);
		expect(rome(addBusinessMinutes(night, sunday, 240))).toBe('2026-10-25T04:00:00+01:00');
	});
});

describe('businessMinutesBetween', () => {
	it('counts only business time and is antisymmetric', () => {
		const from = at('2026-03-02T11:30:00+01:00');
		const to = at('2026-03-03T09:00:00+01:00');
		// 11:30-12:30 (60) + 14:00-18:00 (240) + 08:30-09:00 (30)
		expect(businessMinutesBetween(demo, from, to)).toBe(330);
		expect(businessMinutesBetween(demo, to, from)).toBe(-330);
		expect(
			businessMinutesBetween(demo, at('2026-03-07T09:00:00+01:00'), at('2026-03-08T23:00:00+01:00'))
		).toBe(0);
	});

	it('round-trips with addBusinessMinutes', () => {
		// A small deterministic generator, so a failure reproduces.
		let seed = 42;
		const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
		const yearStart = at('2026-01-01T00:00:00+01:00').getTime();
		for (let k = 0; k < 500; k++) {
			const start = new Date(yearStart + Math.floor(random() * 366 * 24 * 60) * 60_000);
			const minutes = 1 + Math.floor(random() * 6000);
			const due = addBusinessMinutes(demo, start, minutes);
			expect(businessMinutesBetween(demo, start, due)).toBe(minutes);
			// The deadline is the earliest such instant: a minute earlier, a minute is missing.
			expect(businessMinutesBetween(demo, start, new Date(due.getTime() - 60_000))).toBe(minutes - 1);
		}
	});
});

describe('computeDeadline with pauses', () => {
	const openedAt = at('2026-03-02T09:00:00+01:00'); // Monday

	it('gives the plain deadline without pauses', () => {
		const sla = computeDeadline(demo, {
			openedAt,
			targetMinutes: 240,
			pauses: [],
			now: at('2026-03-02T10:00:00+01:00')
		});
		// 09:00-12:30 (3.5h) + 14:00-14:30 (0.5h)
		expect(rome(sla.dueAt)).toBe('2026-03-02T14:30:00+01:00');
		expect(sla).toMatchObject({ elapsedMinutes: 60, remainingMinutes: 180, paused: false });
	});

	it('stops the clock during a pause and resumes with the remaining time', () => {
		const sla = computeDeadline(demo, {
			openedAt,
			targetMinutes: 240,
			pauses: [{ from: at('2026-03-02T10:00:00+01:00'), to: at('2026-03-02T16:00:00+01:00') }],
			now: at('2026-03-03T09:00:00+01:00')
		});
		// 1h ran before the pause; 3h remain from 16:00: 16:00-18:00, then Tuesday 08:30-09:30.
		expect(rome(sla.dueAt)).toBe('2026-03-03T09:30:00+01:00');
		// 09:00-10:00 (60) + 16:00-18:00 (120) + Tuesday 08:30-09:00 (30)
		expect(sla).toMatchObject({ elapsedMinutes: 210, remainingMinutes: 30, paused: false });
	});

	it('ignores a pause that falls outside business hours', () => {
		const sla = computeDeadline(demo, {
			openedAt,
			targetMinutes: 240,
			pauses: [{ from: at('2026-03-02T12:30:00+01:00'), to: at('2026-03-02T14:00:00+01:00') }],
			now: openedAt
		});
		expect(rome(sla.dueAt)).toBe('2026-03-02T14:30:00+01:00');
	});

	it('leaves the deadline undetermined while a pause is open, but reports the remaining time', () => {
		const sla = computeDeadline(demo, {
			openedAt,
			targetMinutes: 240,
			pauses: [{ from: at('2026-03-02T10:00:00+01:00'), to: null }],
			now: at('2026-03-03T12:00:00+01:00')
		});
		expect(sla).toEqual({ dueAt: null, elapsedMinutes: 60, remainingMinutes: 180, paused: true });
	});

	it('reports a breach as negative remaining time', () => {
		const sla = computeDeadline(demo, {
			openedAt,
			targetMinutes: 60,
			pauses: [],
			now: at('2026-03-02T11:00:00+01:00')
		});
		expect(rome(sla.dueAt)).toBe('2026-03-02T10:00:00+01:00');
		expect(sla.remainingMinutes).toBe(-60);
	});

	it('warns at three quarters of the target by default', () => {
		// 3h of a 4h target opened Thursday 11:00: 11:00-12:30 (1.5h) + 14:00-15:30 (1.5h).
		const thursday = at('2026-12-03T11:00:00+01:00');
		expect(rome(warningAt(demo, { openedAt: thursday, targetMinutes: 240, pauses: [] }))).toBe(
			'2026-12-03T15:30:00+01:00'
		);
		expect(rome(warningAt(demo, { openedAt: thursday, targetMinutes: 240, pauses: [], share: 0.5 }))).toBe(
			'2026-12-03T14:30:00+01:00'
		);
		expect(
			warningAt(demo, { openedAt: thursday, targetMinutes: 240, pauses: [{ from: thursday, to: null }] })
		).toBe(null);
	});
});

describe('demo SLA targets (first response / resolution, in business hours)', () => {
	// Opened Thursday 3 December 2026 at 11:00 CET. Business time left that day: 11:00-12:30 and
	// 14:00-18:00 = 5.5h. Friday 4 = 8h. Mon 7 (Sant'Ambrogio closure) and Tue 8 (Immacolata) are
	// closed. Every later weekday gives 8h; a remainder r lands at 08:30 + r (r <= 4h).
	const thursday = at('2026-12-03T11:00:00+01:00');
	it.each([
		['urgent, first response 1h', 1, '2026-12-03T12:00:00+01:00'],
		['urgent, resolution 8h: 5.5 Thu + 2.5 Fri', 8, '2026-12-04T11:00:00+01:00'],
		['high, first response 2h: 1.5 before lunch + 0.5 after', 2, '2026-12-03T14:30:00+01:00'],
		['high, resolution 16h: 13.5 by Friday, 2.5 on Wed 9', 16, '2026-12-09T11:00:00+01:00'],
		['normal, first response 4h: 1.5 + 2.5 after lunch', 4, '2026-12-03T16:30:00+01:00'],
		['normal, resolution 40h: 37.5 by Fri 11, 2.5 on Mon 14', 40, '2026-12-14T11:00:00+01:00'],
		['low, first response 8h', 8, '2026-12-04T11:00:00+01:00'],
		['low, resolution 80h: 77.5 by Fri 18, 2.5 on Mon 21', 80, '2026-12-21T11:00:00+01:00']
	])('%s', (_label, hours, expected) => {
		const sla = computeDeadline(demo, {
			openedAt: thursday,
			targetMinutes: hours * 60,
			pauses: [],
			now: thursday
		});
		expect(rome(sla.dueAt)).toBe(expected);
	});

	it('normal 40h across Easter: opened Wed 1 April 2026 10:00, Easter Monday closed', () => {
		// Wed 6.5h, Thu 2 and Fri 3 (Good Friday is a working day) 16h = 22.5h; Mon 6 closed;
		// Tue 7 and Wed 8 = 38.5h; Thu 9: 1.5h more -> 10:00.
		const sla = computeDeadline(demo, {
			openedAt: at('2026-04-01T10:00:00+02:00'),
			targetMinutes: 40 * 60,
			pauses: [],
			now: at('2026-04-01T10:00:00+02:00')
		});
		expect(rome(sla.dueAt)).toBe('2026-04-09T10:00:00+02:00');
	});

	it('urgent 8h across the spring DST weekend: opened Fri 27 March 2026 16:00 CET', () => {
		// Friday 16:00-18:00 = 2h; Monday 30 (CEST) 08:30-12:30 = 4h, 14:00-16:00 = 2h.
		expect(rome(addBusinessMinutes(demo, at('2026-03-27T16:00:00+01:00'), 8 * 60))).toBe(
			'2026-03-30T16:00:00+02:00'
		);
	});
});

describe('businessCalendarSchema', () => {
	const pathsOf = (input: unknown) => {
		const result = businessCalendarSchema.safeParse(input);
		return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
	};

	it('accepts the demo calendar and fills defaults', () => {
		const parsed = businessCalendarSchema.parse({ weekHours: { 1: [{ start: '09:00', end: '17:00' }] } });
		expect(parsed).toMatchObject({ timeZone: 'Europe/Rome', country: 'IT', closures: [] });
		expect(parsed.weekHours[7]).toEqual([]);
		expect(pathsOf(demoBusinessCalendar)).toEqual([]);
	});

	it('names the field of an interval that ends before it starts', () => {
		expect(pathsOf({ weekHours: { 1: [{ start: '18:00', end: '08:30' }] } })).toEqual(['weekHours.1.0.end']);
	});

	it('names the field of overlapping intervals', () => {
		const weekHours = {
			2: [
				{ start: '08:30', end: '12:30' },
				{ start: '12:00', end: '18:00' }
			]
		};
		expect(pathsOf({ weekHours })).toEqual(['weekHours.2.1.start']);
	});

	it('accepts touching intervals and 24:00 but not 24:30 or 7:00', () => {
		const touching = [
			{ start: '00:00', end: '12:00' },
			{ start: '12:00', end: '24:00' }
		];
		expect(pathsOf({ weekHours: { 3: touching } })).toEqual([]);
		expect(pathsOf({ weekHours: { 3: [{ start: '7:00', end: '24:30' }] } })).toEqual([
			'weekHours.3.0.start',
			'weekHours.3.0.end'
		]);
	});

	it('rejects an unknown time zone, weekday, region and bad closures', () => {
		const weekHours = { 1: nineToFive };
		expect(pathsOf({ weekHours, timeZone: 'Europe/Milano' })).toEqual(['timeZone']);
		expect(pathsOf({ weekHours: { 1: nineToFive, 8: nineToFive } })).toEqual(['weekHours']);
		expect(pathsOf({ weekHours, region: '99' })).toEqual(['region']);
		expect(pathsOf({ weekHours, closures: [{ date: '2026-02-30' }] })).toEqual(['closures.0.date']);
		expect(pathsOf({ weekHours, closures: [{ from: '2026-08-21', to: '2026-08-10' }] })).toEqual([
			'closures.0.to'
		]);
	});

	it('rejects a calendar that is never open', () => {
		expect(pathsOf({ weekHours: {} })).toEqual(['weekHours']);
	});

	it('makes the BusinessCalendar constructor throw on invalid input', () => {
		expect(() => new BusinessCalendar({ weekHours: { 1: [{ start: '10:00', end: '09:00' }] } })).toThrow(
			/end must be after start/
		);
	});
});

describe('formatWithOffset', () => {
	it('writes ISO 8601 with the offset of the zone at that instant', () => {
		expect(formatWithOffset(at('2026-03-30T07:30:00Z'), 'Europe/Rome')).toBe('2026-03-30T09:30:00+02:00');
		expect(formatWithOffset(at('2026-01-15T23:30:00Z'), 'Europe/Rome')).toBe('2026-01-16T00:30:00+01:00');
		expect(formatWithOffset(at('2026-01-15T12:00:00.250Z'), 'America/New_York')).toBe(
			'2026-01-15T07:00:00.250-05:00'
		);
		expect(formatWithOffset(at('2026-01-15T12:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-15T17:30:00+05:30');
		expect(formatWithOffset(at('2026-01-15T12:00:00Z'), 'UTC')).toBe('2026-01-15T12:00:00+00:00');
	});
});

describe('hardening (issue 19): bounded calendars and searches', () => {
	const pathsOf = (input: unknown) => {
		const result = businessCalendarSchema.safeParse(input);
		return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
	};
	/** The name of the error `work` throws: BusinessTimeOutOfReach is a RangeError like any bad input. */
	const errorOf = (work: () => unknown) => {
		try {
			work();
		} catch (error) {
			return (error as Error).name;
		}
		return 'no error';
	};
	const oneHourOnMonday = { timeZone: 'Europe/Rome', weekHours: { 1: [{ start: '09:00', end: '10:00' }] } };

	it('needs at least an hour of working time a week', () => {
		expect(pathsOf({ weekHours: { 1: [{ start: '09:00', end: '09:01' }] } })).toEqual(['weekHours']);
		expect(
			pathsOf({ weekHours: { 1: [{ start: '09:00', end: '09:30' }], 4: [{ start: '09:00', end: '09:29' }] } })
		).toEqual(['weekHours']);
		expect(pathsOf(oneHourOnMonday)).toEqual([]);
	});

	it('refuses more than 8 working intervals a day', () => {
		const nine = Array.from({ length: 9 }, (_, i) => ({ start: `1${i}:00`, end: `1${i}:30` }));
		expect(pathsOf({ weekHours: { 1: nine } })).toEqual(['weekHours.1']);
		expect(pathsOf({ weekHours: { 1: nine.slice(0, 8) } })).toEqual([]);
	});

	it('names the field of an impossible or out-of-range closure date instead of throwing', () => {
		const weekHours = { 1: nineToFive };
		for (const date of ['2026-02-32', '2026-13-01', '2026-00-10', '0001-01-01', '9999-12-31']) {
			expect(pathsOf({ weekHours, closures: [{ date }] }), date).toEqual(['closures.0.date']);
		}
		expect(pathsOf({ weekHours, closures: [{ from: '0001-01-01', to: '9999-12-31' }] })).toEqual([
			'closures.0.from',
			'closures.0.to'
		]);
	});

	it('refuses regions that are properties of every object, not date-holidays regions', () => {
		const weekHours = { 1: nineToFive };
		for (const region of [
			'__proto__',
			'toString',
			'constructor',
			'25.__proto__',
			'25.toString',
			'hasOwnProperty'
		]) {
			expect(pathsOf({ weekHours, region }), region).toEqual(['region']);
		}
		expect(pathsOf({ weekHours, region: '25.MI' })).toEqual([]);
	});

	it('refuses at once a target the calendar cannot reach within the search window (was 5 s per request)', () => {
		const sparse = new BusinessCalendar(oneHourOnMonday);
		expect(errorOf(() => addBusinessMinutes(sparse, at('2026-03-02T09:00:00+01:00'), 100_000))).toBe(
			'BusinessTimeOutOfReach'
		);
	});

	it('stops searching after MAX_SEARCH_YEARS when closures swallow the working time', () => {
		const closedForYears = new BusinessCalendar({
			...oneHourOnMonday,
			closures: [{ from: '2026-01-01', to: '2035-12-31' }]
		});
		expect(errorOf(() => addBusinessMinutes(closedForYears, at('2026-03-02T09:00:00+01:00'), 60))).toBe(
			'BusinessTimeOutOfReach'
		);
		expect(errorOf(() => nextOpening(closedForYears, at('2026-03-02T09:00:00+01:00')))).toBe(
			'BusinessTimeOutOfReach'
		);
		// The same calendar reopens within the window from a later start.
		expect(rome(nextOpening(closedForYears, at('2034-06-01T00:00:00+02:00')))).toBe(
			'2036-01-07T09:00:00+01:00'
		);
	});

	it('still finds a deadline near the end of the window', () => {
		const sparse = new BusinessCalendar(oneHourOnMonday);
		const weeks = 52 * 3;
		const due = addBusinessMinutes(sparse, at('2026-01-01T00:00:00+01:00'), weeks * 60);
		expect(due.getTime()).toBeGreaterThan(at('2028-12-01T00:00:00+01:00').getTime());
		expect(businessMinutesBetween(sparse, at('2026-01-01T00:00:00+01:00'), due)).toBe(weeks * 60);
	});

	it('refuses instants outside the supported years as out of reach, not as a crash', () => {
		expect(errorOf(() => addBusinessMinutes(demo, at('1900-03-02T09:00:00Z'), 60))).toBe(
			'BusinessTimeOutOfReach'
		);
		expect(errorOf(() => addBusinessMinutes(demo, at('2200-12-30T09:00:00Z'), 100 * 60))).toBe(
			'BusinessTimeOutOfReach'
		);
	});

	// How fast a year compiles is measured by `npm run bench` (sla section), not asserted here.
	it('compiles a year the same from a fresh calendar as from one whose holidays are cached', () => {
		const calendar = new BusinessCalendar(demoBusinessCalendar);
		calendar.table(2031);
		const fresh = new BusinessCalendar(demoBusinessCalendar);
		expect(fresh.table(2031).businessMs).toBe(calendar.table(2031).businessMs);
	});
});
