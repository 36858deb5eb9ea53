import { it } from '../../src/lib/i18n/it';
import type { HistoryChange, TicketStatus } from '../../db/schema';

/*
 * The e-mails the customer reads, in Italian: the customer master record has no language, and
 * the console serves Italian companies. Dates are written in the service centre's time zone.
 */

export interface EmailTicket {
	number: string;
	title: string;
	serviceCenterName: string;
}

/** A public history entry, as the customer will read it. */
export interface EmailHistoryEntry {
	at: Date;
	kind: 'created' | 'action' | 'sla' | 'rule';
	actorName: string;
	reasonName: string | null;
	changes: Record<string, HistoryChange>;
	note: string | null;
}

const statusLabel = (status: unknown) =>
	typeof status === 'string' && `tickets.status.${status}` in it
		? it[`tickets.status.${status as TicketStatus}`]
		: String(status);

export function formatLocal(at: Date, timeZone: string): string {
	return new Intl.DateTimeFormat('it-IT', {
		timeZone,
		day: '2-digit',
		month: '2-digit',
		year: 'numeric',
		hour: '2-digit',
		minute: '2-digit'
	}).format(at);
}

export const ticketSubject = (ticket: EmailTicket) => `[${ticket.number}] ${ticket.title}`;

const indent = (text: string) =>
	text
		.split('\n')
		.map((line) => `    ${line}`)
		.join('\n');

/** What the entry did, in a line: the action's name, or what a rule or the opening did. */
function entryTitle(entry: EmailHistoryEntry): string {
	if (entry.reasonName) return entry.reasonName;
	if (entry.kind === 'created') return 'Richiesta aperta';
	if (entry.changes.reminder) return 'Sollecito al cliente';
	return entry.kind === 'rule' ? 'Aggiornamento automatico' : 'Aggiornamento';
}

/** The ticket's history, oldest first: when, who, what changed, and the note. */
export function historyText(entries: EmailHistoryEntry[], timeZone: string): string {
	if (entries.length === 0) return 'Nessuna voce precedente.';
	return entries
		.map((entry) => {
			const lines = [`${formatLocal(entry.at, timeZone)} · ${entry.actorName} · ${entryTitle(entry)}`];
			const status = entry.changes.status;
			if (status) {
				lines.push(
					status.from
						? `Stato: ${statusLabel(status.from)} → ${statusLabel(status.to)}`
						: `Stato: ${statusLabel(status.to)}`
				);
			}
			if (entry.changes.appointment) lines.push('Intervento tecnico: da pianificare');
			if (entry.changes.message) lines.push('E-mail inviata al cliente');
			if (entry.note) lines.push(indent(entry.note));
			return lines.join('\n');
		})
		.join('\n\n');
}

/** The operator's reply, then the ticket reference and, when asked, its history. */
export function replyBody(args: {
	ticket: EmailTicket;
	text: string;
	history: { entries: EmailHistoryEntry[]; timeZone: string } | null;
}): string {
	const parts = [
		args.text.trim(),
		'',
		'--',
		`Richiesta di assistenza ${args.ticket.number}: ${args.ticket.title}`,
		`${args.ticket.serviceCenterName}. Per rispondere, mantenga il numero della richiesta nell'oggetto.`
	];
	if (args.history) {
		parts.push(
			'',
			`Storico della richiesta (orari ${args.history.timeZone})`,
			'',
			historyText(args.history.entries, args.history.timeZone)
		);
	}
	return parts.join('\n') + '\n';
}

/** The automatic reminder of a ticket waiting for the customer. */
export function reminderMail(args: {
	ticket: EmailTicket;
	contactName: string | null;
	waitingSince: Date;
	timeZone: string;
}): { subject: string; body: string } {
	const since = formatLocal(args.waitingSince, args.timeZone).split(',')[0];
	return {
		subject: `Sollecito: ${ticketSubject(args.ticket)}`,
		body: [
			args.contactName ? `Gentile ${args.contactName},` : 'Gentile cliente,',
			'',
			`la sua richiesta di assistenza ${args.ticket.number} «${args.ticket.title}» è in attesa di un suo riscontro dal ${since}.`,
			'Per procedere abbiamo bisogno delle informazioni che le abbiamo chiesto: può rispondere a questa e-mail, mantenendo il numero della richiesta nell’oggetto.',
			'Senza un suo riscontro la richiesta potrà essere chiusa automaticamente.',
			'',
			'Cordiali saluti,',
			args.ticket.serviceCenterName,
			''
		].join('\n')
	};
}
