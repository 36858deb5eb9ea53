import { z } from 'zod';
import { messageChannelEnum, messageRecipientEnum, messageStatusEnum } from '../../db/schema/messages';

const isoInstant = z.string().describe('ISO 8601 instant (UTC)');

/** An outgoing message of a ticket, as the ticket page lists it. */
export const messageView = z.object({
	id: z.uuid(),
	ticketId: z.uuid(),
	/** The history entry of the action or rule that wrote it. */
	historyId: z.uuid().nullable(),
	channel: z.enum(messageChannelEnum.enumValues),
	recipient: z.enum(messageRecipientEnum.enumValues),
	toAddresses: z.array(z.string()),
	subject: z.string(),
	body: z.string(),
	includesHistory: z.boolean(),
	status: z.enum(messageStatusEnum.enumValues),
	attempts: z.number().int(),
	/** Why the last attempt failed (the SMTP server's answer). */
	lastError: z.string().nullable(),
	/** When the next attempt is due, while queued. */
	nextAttemptAt: isoInstant.nullable(),
	createdByName: z.string(),
	createdAt: isoInstant,
	sentAt: isoInstant.nullable()
});
export type MessageView = z.infer<typeof messageView>;

export const ticketMessages = z.object({
	items: z.array(messageView),
	/** False when the server has no SMTP_URL: queued messages are not sent until one is configured. */
	mailConfigured: z.boolean()
});
export type TicketMessages = z.infer<typeof ticketMessages>;

export const ticketMessagesParam = z.object({ id: z.uuid('id must be a UUID') });
