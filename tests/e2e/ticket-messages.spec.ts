import { expect, test, type APIRequestContext } from '@playwright/test';
import { screenshot, signIn, waitForRealtime } from './support';

/*
 * An agent answers the customer by e-mail from the ticket page, with the ticket's history: the
 * e-mail is listed under the ticket with its status (the e2e console has no mail server, so it
 * stays queued and says so) and the history says an e-mail went to the contact.
 */

interface CustomerDetail {
	id: string;
	blocked: boolean;
	contacts: Array<{ id: string; firstName: string; lastName: string; email: string | null }>;
}

/** A demo customer (not blocked) with a contact that has an e-mail address. */
async function customerWithContactEmail(request: APIRequestContext) {
	for (let page = 1; page <= 5; page++) {
		const { items } = (await (await request.get(`/api/customers?page=${page}&pageSize=20`)).json()) as {
			items: Array<{ id: string; blocked: boolean }>;
		};
		for (const summary of items.filter((c) => !c.blocked)) {
			const detail = (await (await request.get(`/api/customers/${summary.id}`)).json()) as CustomerDetail;
			const contact = detail.contacts.find((c) => c.email);
			if (contact) return { customerId: detail.id, contact };
		}
	}
	throw new Error('no demo customer with a contact e-mail');
}

test('an agent e-mails a reply with the history from the ticket page and sees it listed', async ({
	page
}) => {
	await signIn(page, 'agent1');
	await waitForRealtime(page);
	const { items } = (await (await page.request.get('/api/service-centers')).json()) as {
		items: Array<{ id: string; code: string; actionReasons: Array<{ id: string; code: string }> }>;
	};
	const at = items.find((c) => c.code === 'AT')!;
	const { customerId, contact } = await customerWithContactEmail(page.request);
	const title = `Allarme mandrino ${Date.now()}`;
	const created = await page.request.post('/api/tickets', {
		data: {
			serviceCenterId: at.id,
			customerId,
			contactId: contact.id,
			origin: 'phone',
			priority: 'normal',
			title
		}
	});
	expect(created.status()).toBe(201);
	const ticket = (await created.json()) as { id: string; number: string; version: number };
	// An earlier public entry whose note the e-mail will carry.
	const call = await page.request.post(`/api/tickets/${ticket.id}/actions`, {
		data: {
			reasonId: at.actionReasons.find((r) => r.code === 'TELEFONATA')!.id,
			version: ticket.version,
			note: 'Il cliente segnala l’allarme E42 all’avvio'
		}
	});
	expect(call.status()).toBe(200);

	await page.goto(`/tickets/${ticket.id}`);
	await expect(page.getByTestId('ticket-title')).toHaveText(title);
	await expect(page.getByTestId('ticket-messages')).toContainText('Nessuna e-mail per questo ticket.');

	await page.getByTestId('action-reason').selectOption({ label: 'Risposta al cliente (e-mail)' });
	await expect(page.getByTestId('action-panel')).toContainText("invia un'e-mail al cliente");
	await expect(page.getByTestId('action-email-to')).toContainText('Al contatto del ticket');
	// The text is required before anything is sent.
	await page.getByTestId('action-submit').click();
	await expect(page.getByTestId('action-note-error')).toHaveText("Scrivi il testo dell'e-mail");

	await page.getByTestId('action-note').fill('Buongiorno, il tecnico passerà giovedì mattina.');
	await page.getByLabel('Includi lo storico').check();
	await screenshot(page, 'ticket-messages-compose');
	await page.getByTestId('action-submit').click();

	const message = page.getByTestId('outgoing-message');
	await expect(message).toHaveCount(1);
	await expect(message).toHaveAttribute('data-status', 'queued');
	await expect(message.getByTestId('message-status')).toHaveText('In coda');
	await expect(message).toContainText(`[${ticket.number}] ${title}`);
	await expect(message).toContainText(contact.email!);
	await expect(message).toContainText('con lo storico');
	await expect(message.getByTestId('message-delivery')).toHaveText(
		'Non inviata: nessun server di posta configurato'
	);
	await message.getByText('Testo').click();
	await expect(message.locator('pre')).toContainText('Il cliente segnala l’allarme E42 all’avvio');

	const newest = page.getByTestId('history-entry').first();
	await expect(newest).toContainText('Risposta al cliente (e-mail)');
	await expect(newest.locator('[data-change="message"]')).toContainText(
		`E-mail al cliente a ${contact.email}, con lo storico`
	);
	await screenshot(page, 'ticket-messages');
});
