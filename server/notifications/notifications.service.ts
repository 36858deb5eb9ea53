import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { notifications, type NotificationData, type NotificationKind } from '../../db/schema';
import { inTransaction, type Ctx, type ServiceArgs } from '../core/context';
import type { DomainEvent } from '../core/events';
import { authorize } from '../auth/policy';
import type { MarkReadInput, NotificationListQuery, NotificationView } from './notifications.schemas';

type Notification = typeof notifications.$inferSelect;

const toView = (n: Notification): NotificationView => ({
	id: n.id,
	kind: n.kind,
	ticketId: n.ticketId,
	serviceCenterId: n.serviceCenterId,
	data: n.data,
	createdAt: n.createdAt.toISOString(),
	readAt: n.readAt?.toISOString() ?? null
});

function userIdOf(ctx: Ctx): string {
	return ctx.actor.kind === 'user' ? ctx.actor.userId : '';
}

async function unreadOf(db: DbOrTx, userId: string): Promise<number> {
	const [{ n }] = await db
		.select({ n: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
	return n;
}

/** The caller's bell: newest first, with the unread count. */
export async function listNotifications({ ctx, input }: ServiceArgs<NotificationListQuery>): Promise<{
	items: NotificationView[];
	unread: number;
	hasMore: boolean;
}> {
	authorize(ctx.actor, 'notifications:read');
	const userId = userIdOf(ctx);
	const rows = await ctx.db
		.select()
		.from(notifications)
		.where(and(eq(notifications.userId, userId), input.unreadOnly ? isNull(notifications.readAt) : undefined))
		.orderBy(desc(notifications.createdAt), desc(notifications.id))
		.limit(input.pageSize + 1)
		.offset((input.page - 1) * input.pageSize);
	return {
		items: rows.slice(0, input.pageSize).map(toView),
		unread: await unreadOf(ctx.db, userId),
		hasMore: rows.length > input.pageSize
	};
}

export async function markNotificationsRead({
	ctx,
	input
}: ServiceArgs<MarkReadInput>): Promise<{ unread: number }> {
	authorize(ctx.actor, 'notifications:read');
	const userId = userIdOf(ctx);
	return inTransaction(ctx, async ({ db, raise }) => {
		await db
			.update(notifications)
			.set({ readAt: new Date() })
			.where(
				and(
					eq(notifications.userId, userId),
					isNull(notifications.readAt),
					input.ids ? inArray(notifications.id, input.ids) : undefined
				)
			);
		const unread = await unreadOf(db, userId);
		// Every console of the user clears its bell.
		raise({ type: 'notifications.read', userId, ids: input.ids ?? 'all', unread });
		return { unread };
	});
}

export interface NewNotification {
	kind: NotificationKind;
	ticketId?: string | null;
	serviceCenterId?: string | null;
	data: NotificationData;
}

/**
 * Writes one notification per recipient inside the caller's transaction; each is pushed live
 * to the recipient's consoles after commit, with the new unread count.
 */
export async function sendNotifications(
	tx: { db: DbOrTx; raise: (event: DomainEvent) => void },
	userIds: Iterable<string>,
	notification: NewNotification
): Promise<void> {
	const recipients = [...new Set(userIds)];
	if (recipients.length === 0) return;
	const rows = await tx.db
		.insert(notifications)
		.values(
			recipients.map((userId) => ({
				userId,
				kind: notification.kind,
				ticketId: notification.ticketId ?? null,
				serviceCenterId: notification.serviceCenterId ?? null,
				data: notification.data
			}))
		)
		.returning();
	const unread = await tx.db
		.select({ userId: notifications.userId, n: sql<number>`count(*)::int` })
		.from(notifications)
		.where(and(inArray(notifications.userId, recipients), isNull(notifications.readAt)))
		.groupBy(notifications.userId);
	const unreadBy = new Map(unread.map((u) => [u.userId, u.n]));
	for (const row of rows) {
		tx.raise({
			type: 'notification.created',
			userId: row.userId,
			notification: toView(row),
			unread: unreadBy.get(row.userId) ?? 1
		});
	}
}
