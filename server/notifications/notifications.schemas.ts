import { z } from 'zod';
import { notificationKindEnum } from '../../db/schema/notifications';

export const notificationView = z.object({
	id: z.uuid(),
	kind: z.enum(notificationKindEnum.enumValues),
	ticketId: z.uuid().nullable(),
	serviceCenterId: z.uuid().nullable(),
	/** The words of the message (ticket number, title, rule...): the UI phrases it in the reader's language. */
	data: z.object({
		number: z.string().optional(),
		title: z.string().optional(),
		priority: z.string().optional(),
		customerName: z.string().optional(),
		ruleName: z.string().optional(),
		reasonName: z.string().optional(),
		actorName: z.string().optional(),
		deadline: z.enum(['first_response', 'resolution']).optional(),
		note: z.string().optional()
	}),
	createdAt: z.string(),
	readAt: z.string().nullable()
});
export type NotificationView = z.infer<typeof notificationView>;

export const notificationListQuery = z.object({
	unreadOnly: z
		.enum(['true', 'false'], { error: 'unreadOnly must be true or false' })
		.default('false')
		.transform((v) => v === 'true'),
	page: z.coerce.number().int().min(1).default(1),
	pageSize: z.coerce.number().int().min(1).max(100).default(30)
});
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

export const notificationList = z.object({
	items: z.array(notificationView),
	unread: z.number().int(),
	hasMore: z.boolean()
});

export const markReadInput = z
	.strictObject({
		ids: z.array(z.uuid('ids must be UUIDs')).min(1, 'ids must not be empty').max(500).optional(),
		all: z.literal(true, { error: 'all must be true' }).optional()
	})
	.refine((v) => (v.ids === undefined) !== (v.all === undefined), {
		message: 'send either ids or all: true',
		path: ['ids']
	});
export type MarkReadInput = z.infer<typeof markReadInput>;

export const unreadCount = z.object({ unread: z.number().int() });
