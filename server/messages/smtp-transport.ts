import nodemailer from 'nodemailer';
import type { Config } from '../config';

/** What the delivery job needs from a mail server: send one message, or throw with its answer. */
export interface MailTransport {
	send(mail: { from: string; to: string[]; subject: string; text: string; messageId: string }): Promise<void>;
}

/** An SMTP transport from SMTP_URL, or null when none is configured (messages then stay queued). */
export function createSmtpTransport(mail: Config['mail']): MailTransport | null {
	if (!mail.smtpUrl) return null;
	const transporter = nodemailer.createTransport({
		url: mail.smtpUrl,
		// A mail server that hangs must not hold the delivery job for minutes.
		connectionTimeout: 15_000,
		greetingTimeout: 15_000,
		socketTimeout: 30_000
	});
	return {
		async send(message) {
			await transporter.sendMail(message);
		}
	};
}
