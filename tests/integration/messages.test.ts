import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { automaticRules, contacts, customers, messages, ticketHistory } from '../../db/schema';
import { nextEvent, startTestServer, type TestClient, type TestServer } from '../support/test-server';
import { runAutomaticRules } from '../../server/tickets/automatic-rules.job';
import { deliverDueMessages } from '../../server/messages/messages.service';
import { createSmtpTransport } from '../../server/messages/smtp-transport';
import type { TicketMessages } from '../../server/messages/messages.schemas';
import { act, actOk, createDesk, dbOf, openTicket, systemCtx, type Desk } from './tickets-fixtures';

/**
 * A real SMTP server on a random localhost port: it keeps what it receives, parsed, and refuses
 * every recipient whose address starts with "rifiuta" (550), as a mailbox that does not exist.
 */
interface Inbox {
	port: number;
	received: ParsedMail[];
	refusals: string[];
	close(): Promise<void>;
}

async function startInbox(): Promise<Inbox> {
	const received: ParsedMail[] = [];
	const refusals: string[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (address.address.startsWith('rifiuta')) {
				refusals.push(address.address);
				const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
				return callback(error);
			}
			callback();
		},
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((mail) => {
					received.push(mail);
					callback();
				})
				.catch(callback);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.server.address() as AddressInfo).port,
		received,
		refusals,
		close: () => new Promise<void>((resolve) => server.close(resolve))
	};
}

let inbox: Inbox;
let server: TestServer;
let agent: TestClient;
let desk: Desk;

beforeAll(async () => {
	inbox = await startInbox();
	server = await startTestServer({
		env: {
			SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
			MAIL_FROM: 'Assistenza Tecnica <assistenza@officine.example>',
			MAIL_MAX_ATTEMPTS: '3',
			MAIL_RETRY_SECONDS: '0'
		}
	});
	// The tests run the jobs themselves, when they choose.
	await server.runtime.jobs.stop();
	agent = await server.userWithRoles(['agent']);
	desk = await createDesk(server, { groupA: [agent] });
});
afterAll(async () => {
	await server?.close();
	await inbox?.close();
});

/** A customer with an address, and a contact with (or without) one, for a new ticket of the desk. */
async function customerWithContact(contactEmail: string | null, customerEmail: string | null = null) {
	const db = dbOf(server);
	if (customerEmail !== undefined)
		await db.update(customers).set({ email: customerEmail }).where(eq(customers.id, desk.customerId));
	const [contact] = await db
		.insert(contacts)
		.values({ customerId: desk.customerId, firstName: 'Giulia', lastName: 'Bianchi', email: contactEmail })
		.returning({ id: contacts.id });
	return contact.id;
}

async function messagesOf(ticketId: string): Promise<TicketMessages> {
	const res = await agent.fetch(`/api/tickets/${ticketId}/messages`);
	expect(res.status).toBe(200);
	return (await res.json()) as TicketMessages;
}

const deliver = () => server.runtime.jobs.runNow('message-delivery');

/** The delivery job at a chosen instant, through a real SMTP transport. */
function deliverAt(now: Date, options: { maxAttempts?: number; retryBaseMs?: number } = {}) {
	const mail = {
		smtpUrl: `smtp://127.0.0.1:${inbox.port}`,
		from: 'assistenza@officine.example',
		maxAttempts: options.maxAttempts ?? 3,
		retryBaseMs: options.retryBaseMs ?? 0
	};
	return deliverDueMessages({
		ctx: systemCtx(server, 'e-mail'),
		input: { now, transport: createSmtpTransport(mail)!, ...mail }
	});
}

const rome = (iso: string) =>
	new Intl.DateTimeFormat('it-IT', {
		timeZone: 'Europe/Rome',
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	}).format(new Date(iso));

describe('an action that e-mails the customer', () => {
	it('queues the e-mail with the history row and the job sends it with the public history', async () => {
		const address = `giulia.${Date.now()}@cliente.example`;
		const contactId = await customerWithContact(address);
		const ticket = await openTicket(agent, desk, { contactId });
		const taken = await actOk(agent, ticket, desk.reasons.PRESA);
		const called = await actOk(agent, taken, desk.reasons.TELEFONATA, {
			note: 'Il cliente riferisce un allarme E42 sul mandrino'
		});
		const noted = await actOk(agent, called, desk.reasons.NOTA, {
			note: 'Margine basso: non proporre sconti'
		});
		const socket = await agent.socket();
		const queuedPush = nextEvent(socket, 'ticket:message');
		const replied = await actOk(agent, noted, desk.reasons.RISPOSTA_EMAIL, {
			note: 'Buongiorno, il tecnico passerà giovedì mattina.',
			includeHistory: true
		});

		const entry = replied.history.at(-1)!;
		expect(entry).toMatchObject({
			kind: 'action',
			public: true,
			channel: 'email',
			note: 'Buongiorno, il tecnico passerà giovedì mattina.',
			changes: { message: { to: { to: [address], includesHistory: true } } }
		});
		expect(await queuedPush).toMatchObject({ ticketId: ticket.id, status: 'queued' });
		const before = await messagesOf(ticket.id);
		expect(before.mailConfigured).toBe(true);
		expect(before.items).toHaveLength(1);
		expect(before.items[0]).toMatchObject({
			historyId: entry.id,
			status: 'queued',
			attempts: 0,
			toAddresses: [address],
			recipient: 'contact',
			includesHistory: true,
			createdByName: agent.username
		});

		const sentPush = nextEvent(socket, 'ticket:message');
		expect(await deliver()).toBe(true);
		expect(await sentPush).toMatchObject({ ticketId: ticket.id, status: 'sent' });
		const mail = inbox.received.find((m) => m.subject?.includes(ticket.number));
		expect(mail).toBeDefined();
		expect(mail!.to).toMatchObject({ value: [{ address }] });
		expect(mail!.from?.value[0].address).toBe('assistenza@officine.example');
		expect(mail!.subject).toBe(`[${ticket.number}] ${ticket.title}`);
		const text = mail!.text!;
		expect(text.startsWith('Buongiorno, il tecnico passerà giovedì mattina.')).toBe(true);
		expect(text).toContain('Storico della richiesta');
		// The earlier public entry: when (in the centre's time zone), who, what, and its note.
		const call = called.history.at(-1)!;
		expect(text).toContain(`${rome(call.at)} · ${agent.username} · Telefonata al cliente`);
		expect(text).toContain('Il cliente riferisce un allarme E42 sul mandrino');
		// Internal notes never reach the customer.
		expect(text).not.toContain('Margine basso');

		const after = await messagesOf(ticket.id);
		expect(after.items[0]).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
		expect(after.items[0].sentAt).not.toBeNull();
	});

	it('without "include the history" the e-mail carries the text and the ticket reference only', async () => {
		const address = `mario.${Date.now()}@cliente.example`;
		const ticket = await openTicket(agent, desk, { contactId: await customerWithContact(address) });
		const called = await actOk(agent, ticket, desk.reasons.TELEFONATA, {
			note: 'Richiamato, nessuna risposta'
		});
		await actOk(agent, called, desk.reasons.RISPOSTA_EMAIL, { note: 'Le abbiamo lasciato un messaggio.' });
		await deliver();
		const mail = inbox.received.find((m) => m.subject?.includes(ticket.number));
		expect(mail?.text).toContain('Le abbiamo lasciato un messaggio.');
		expect(mail?.text).toContain(ticket.number);
		expect(mail?.text).not.toContain('Storico della richiesta');
		expect(mail?.text).not.toContain('Richiamato, nessuna risposta');
	});

	it('a mail server that refuses the recipient is retried with backoff, then the message is failed with its error', async () => {
		const address = `rifiuta.${Date.now()}@cliente.example`;
		const ticket = await openTicket(agent, desk, { contactId: await customerWithContact(address) });
		await actOk(agent, ticket, desk.reasons.RISPOSTA_EMAIL, { note: 'Ecco il preventivo richiesto.' });
		const t0 = Date.now();
		const run = (secondsLater: number) =>
			deliverAt(new Date(t0 + secondsLater * 1000), { maxAttempts: 3, retryBaseMs: 60_000 });

		expect(await run(0)).toEqual({ sent: 0, failed: 0, retried: 1 });
		let [message] = (await messagesOf(ticket.id)).items;
		expect(message).toMatchObject({ status: 'queued', attempts: 1 });
		expect(message.lastError).toContain('550');
		expect(new Date(message.nextAttemptAt!).getTime()).toBe(t0 + 60_000);

		// Not due before the backoff has passed.
		expect(await run(30)).toEqual({ sent: 0, failed: 0, retried: 0 });
		expect(await run(61)).toEqual({ sent: 0, failed: 0, retried: 1 });
		[message] = (await messagesOf(ticket.id)).items;
		// The wait doubles after each failure.
		expect(new Date(message.nextAttemptAt!).getTime()).toBe(t0 + 61_000 + 120_000);
		expect(await run(180)).toEqual({ sent: 0, failed: 0, retried: 0 });
		expect(await run(182)).toEqual({ sent: 0, failed: 1, retried: 0 });

		[message] = (await messagesOf(ticket.id)).items;
		expect(message).toMatchObject({ status: 'failed', attempts: 3, sentAt: null, nextAttemptAt: null });
		expect(message.lastError).toMatch(/550.*Mailbox unavailable/);
		expect(inbox.refusals.filter((a) => a === address)).toHaveLength(3);
		expect(await run(10_000)).toEqual({ sent: 0, failed: 0, retried: 0 });
	});

	it('a bad request names the field and writes nothing: no history row, no message', async () => {
		const db = dbOf(server);
		// Neither the contact nor the customer has an address.
		const ticket = await openTicket(agent, desk, { contactId: await customerWithContact(null, null) });
		const rows = async () => {
			const [h] = await db
				.select({ n: count() })
				.from(ticketHistory)
				.where(eq(ticketHistory.ticketId, ticket.id));
			const [m] = await db.select({ n: count() }).from(messages).where(eq(messages.ticketId, ticket.id));
			return { history: h.n, messages: m.n };
		};
		const start = await rows();

		const noAddress = await act(agent, ticket, desk.reasons.RISPOSTA_EMAIL, {
			note: 'Testo',
			includeHistory: true
		});
		expect(noAddress.status).toBe(400);
		expect((await noAddress.json()).error).toMatchObject({ field: 'contact.email' });

		const noText = await act(agent, ticket, desk.reasons.RISPOSTA_EMAIL, { includeHistory: true });
		expect(noText.status).toBe(400);
		expect((await noText.json()).error).toMatchObject({ field: 'note' });

		const notAnEmail = await act(agent, ticket, desk.reasons.NOTA, { note: 'interna', includeHistory: true });
		expect(notAnEmail.status).toBe(400);
		expect((await notAnEmail.json()).error).toMatchObject({ field: 'includeHistory' });

		const notABoolean = await act(agent, ticket, desk.reasons.RISPOSTA_EMAIL, {
			note: 'Testo',
			includeHistory: 'sì'
		});
		expect(notABoolean.status).toBe(400);
		expect((await notABoolean.json()).error).toMatchObject({ field: 'includeHistory' });

		expect(await rows()).toEqual(start);
		const detail = await (await agent.fetch(`/api/tickets/${ticket.id}`)).json();
		expect(detail.version).toBe(ticket.version);
	});
});

describe('the automatic reminder', () => {
	it('e-mails the contact in Italian when the ticket has waited for the customer too long', async () => {
		const reminderDesk = await createDesk(server, { groupA: [agent] });
		await dbOf(server).insert(automaticRules).values({
			serviceCenterId: reminderDesk.centerId,
			name: 'sollecito',
			trigger: 'status_held',
			status: 'waiting_customer',
			afterMinutes: 60,
			action: 'remind_customer',
			businessTime: false
		});
		const address = `anna.${Date.now()}@cliente.example`;
		const [contact] = await dbOf(server)
			.insert(contacts)
			.values({ customerId: reminderDesk.customerId, firstName: 'Anna', lastName: 'Verdi', email: address })
			.returning({ id: contacts.id });
		const ticket = await openTicket(agent, reminderDesk, { contactId: contact.id });
		const taken = await actOk(agent, ticket, reminderDesk.reasons.PRESA);
		const waiting = await actOk(agent, taken, reminderDesk.reasons.ATTESA_CLIENTE, {
			note: 'Ci serve il numero di serie'
		});
		const later = new Date(new Date(waiting.statusChangedAt).getTime() + 61 * 60_000);
		const { fired } = await runAutomaticRules({
			ctx: systemCtx(server, 'automatic rules'),
			input: { now: later }
		});
		expect(fired).toBeGreaterThanOrEqual(1);

		const detail = await (await agent.fetch(`/api/tickets/${ticket.id}`)).json();
		expect(detail.history.at(-1)).toMatchObject({
			kind: 'rule',
			actorName: 'Regola automatica: sollecito',
			changes: { reminder: { to: 'customer' }, message: { to: { to: [address] } } }
		});
		const [queued] = (await messagesOf(ticket.id)).items;
		expect(queued).toMatchObject({ status: 'queued', createdByName: 'Regola automatica: sollecito' });

		// The job's clock is an hour ahead here: the reminder is due then, not now.
		await deliverAt(later);
		const mail = inbox.received.find((m) => m.subject === `Sollecito: [${ticket.number}] ${ticket.title}`);
		expect(mail).toBeDefined();
		expect(mail!.to).toMatchObject({ value: [{ address }] });
		expect(mail!.text).toContain('Gentile Anna Verdi,');
		expect(mail!.text).toContain(`la sua richiesta di assistenza ${ticket.number}`);
		expect(mail!.text).toContain('è in attesa di un suo riscontro dal');
		expect((await messagesOf(ticket.id)).items[0].status).toBe('sent');
	});
});

describe('without a mail server', () => {
	it('keeps the messages queued and says no mail server is configured', async () => {
		const bare = await startTestServer();
		try {
			const operator = await bare.userWithRoles(['agent']);
			const bareDesk = await createDesk(bare, { groupA: [operator] });
			await dbOf(bare)
				.update(customers)
				.set({ email: 'info@cliente.example' })
				.where(eq(customers.id, bareDesk.customerId));
			const ticket = await openTicket(operator, bareDesk);
			const replied = await actOk(operator, ticket, bareDesk.reasons.RISPOSTA_EMAIL, {
				note: 'Risposta',
				includeHistory: false
			});
			expect(replied.history.at(-1)?.changes.message).toBeDefined();
			await expect(bare.runtime.jobs.runNow('message-delivery')).rejects.toThrow(/no job named/);
			const list = (await (
				await operator.fetch(`/api/tickets/${ticket.id}/messages`)
			).json()) as TicketMessages;
			expect(list.mailConfigured).toBe(false);
			// No contact on the ticket: the customer's own address.
			expect(list.items).toMatchObject([
				{ status: 'queued', recipient: 'customer', toAddresses: ['info@cliente.example'] }
			]);
		} finally {
			await bare.close();
		}
	});
});
