import { z } from 'zod';

/** Instants this console can mean: a year of 1 or 9999 is a typo or a probe, not a call. */
export const earliestYear = 2000;
export const latestYear = 2099;

/**
 * An ISO 8601 instant with its offset, within the years the console works in (or the years a
 * caller can compute with, such as the business calendar's).
 */
export const isoInstant = (
	error = 'must be an ISO 8601 instant, e.g. 2026-03-02T09:15:00Z',
	years: { from: number; to: number } = { from: earliestYear, to: latestYear }
) =>
	z.iso.datetime({ offset: true, error }).refine(
		(value) => {
			const year = new Date(value).getUTCFullYear();
			return year >= years.from && year <= years.to;
		},
		{ error: `must fall in the years ${years.from} to ${years.to}` }
	);
