import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInstant } from './zoned-time';

describe('formatInstant', () => {
	// The browser that shows the ticket is not in the calendar's zone (issue 17: a 12:30 deadline read 11:30).
	const browserZone = process.env.TZ;
	beforeAll(() => {
		process.env.TZ = 'UTC';
	});
	afterAll(() => {
		process.env.TZ = browserZone;
	});

	it("shows a deadline on the calendar's wall clock, not the browser's", () => {
		const deadline = '2026-03-04T11:30:00.000Z';
		expect(new Date(deadline).getHours()).toBe(11);
		expect(formatInstant(deadline, 'it-IT', 'Europe/Rome')).toBe('04 mar 2026 12:30');
		expect(formatInstant(deadline, 'en-GB', 'Europe/Rome')).toBe('04 Mar 2026 12:30');
		expect(formatInstant(deadline, 'it-IT', 'America/New_York')).toBe('04 mar 2026 06:30');
	});

	it('follows summer time and the date line of the zone', () => {
		expect(formatInstant('2026-07-01T10:30:00Z', 'it-IT', 'Europe/Rome')).toBe('01 lug 2026 12:30');
		expect(formatInstant('2026-03-04T23:30:00Z', 'it-IT', 'Europe/Rome')).toBe('05 mar 2026 00:30');
	});

	it('gives the time alone when asked, and falls back to Rome for a zone the browser does not know', () => {
		expect(formatInstant('2026-03-04T11:30:00Z', 'it-IT', 'Europe/Rome', 'time')).toBe('12:30');
		expect(formatInstant('2026-03-04T11:30:00Z', 'it-IT', 'Mars/Olympus')).toBe('04 mar 2026 12:30');
	});
});
