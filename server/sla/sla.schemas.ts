import { z } from 'zod';
import { isoInstant } from '../core/instant';
import { ticketPriorityEnum } from '../../db/schema/tickets';
import { serviceLevelEnum } from '../../db/schema/contracts';
import { businessCalendarSchema, FIRST_YEAR, LAST_YEAR, MAX_TARGET_MINUTES } from './business-calendar';

export const ticketPriority = z.enum(ticketPriorityEnum.enumValues, {
	error: 'priority must be urgent, high, normal or low'
});
export const serviceLevel = z.enum(serviceLevelEnum.enumValues, {
	error: 'serviceLevel must be basic, standard or premium'
});

const businessMinutes = (field: string) =>
	z
		.number({ error: `${field} is required` })
		.int(`${field} must be a whole number of minutes`)
		.positive(`${field} must be positive`)
		.max(MAX_TARGET_MINUTES, `${field} must be at most ${MAX_TARGET_MINUTES} business minutes`);

export const slaPreviewInput = z
	.object({
		serviceCenterId: z.uuid('serviceCenterId must be a UUID'),
		priority: ticketPriority,
		serviceLevel: serviceLevel.optional(),
		openedAt: isoInstant('openedAt must be an ISO 8601 date-time with offset', {
			from: FIRST_YEAR,
			to: LAST_YEAR
		}),
		/** Try a calendar before saving it; without it, the centre's saved calendar. */
		calendar: businessCalendarSchema.optional(),
		/** Try targets before saving them; without them, the centre's saved targets. */
		target: z
			.strictObject({
				firstResponseMinutes: businessMinutes('firstResponseMinutes'),
				resolutionMinutes: businessMinutes('resolutionMinutes')
			})
			.optional()
	})
	.strict();
export type SlaPreviewInput = z.infer<typeof slaPreviewInput>;

export const slaPreviewResult = z.object({
	timeZone: z.string(),
	firstResponseMinutes: z.number().int(),
	resolutionMinutes: z.number().int(),
	/** ISO 8601 with the calendar's offset, e.g. 2026-03-09T09:30:00+01:00. */
	firstResponseDueAt: z.string(),
	resolutionDueAt: z.string(),
	firstResponseWarningAt: z.string(),
	resolutionWarningAt: z.string()
});
export type SlaPreviewResult = z.infer<typeof slaPreviewResult>;

export const slaTargetView = z.object({
	priority: ticketPriority,
	serviceLevel: serviceLevel.nullable(),
	firstResponseMinutes: z.number().int(),
	resolutionMinutes: z.number().int()
});

export const slaPolicyView = z.object({
	id: z.uuid(),
	timeZone: z.string(),
	warningShare: z.number(),
	pauseStatuses: z.array(z.string()),
	targets: z.array(slaTargetView)
});
export type SlaPolicyView = z.infer<typeof slaPolicyView>;

/** Pushed when a ticket reaches the warning share of a deadline, or the deadline itself. */
export const slaAlert = z.object({
	ticketId: z.uuid(),
	number: z.string(),
	serviceCenterId: z.uuid(),
	version: z.number().int(),
	deadline: z.enum(['first_response', 'resolution']),
	level: z.enum(['warning', 'breach']),
	dueAt: z.string()
});
export type SlaAlert = z.infer<typeof slaAlert>;
