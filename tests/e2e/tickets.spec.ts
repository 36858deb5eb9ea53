import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { exposeSocket, screenshot, signIn, waitForRealtime } from './support';

/*
 * The ticket desk across several consoles at once: a ticket opened by one agent reaches the
 * other agents' and the supervisor's queues without a reload, its countdown ticks in the
 * browser, a take shows up live everywhere, two simultaneous takes have exactly one winner,
 * and an assignment rings the new owner's bell.
 */

interface ServiceCentre {
	id: string;
	code: string;
	categories: Array<{ id: string; code: string; path: string }>;
}

async function centre(request: APIRequestContext, code: string): Promise<ServiceCentre> {
	const { items } = (await (await request.get('/api/service-centers')).json()) as { items: ServiceCentre[] };
	const found = items.find((c) => c.code === code);
	if (!found) throw new Error(`no service centre ${code}`);
	return found;
}

async function displayName(page: Page): Promise<string> {
	return ((await (await page.request.get('/api/me')).json()) as { user: { displayName: string } }).user
		.displayName;
}

/** A customer of the demo data that is not blocked (a blocked one would also ring the head's bell). */
async function someCustomer(request: APIRequestContext, page: number) {
	const { items } = (await (await request.get(`/api/customers?page=${page}&pageSize=10`)).json()) as {
		items: Array<{ id: string; companyName: string; blocked: boolean }>;
	};
	const found = items.find((c) => !c.blocked);
	if (!found) throw new Error('no unblocked customer on that page');
	return found;
}

async function signedIn(browser: Browser, username: string) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, username);
	return { context, page };
}

/** "Richieste di informazioni" go to manual assignment in the demo rules: the ticket lands in "to assign". */
function toAssignTicket(at: ServiceCentre, customerId: string, title: string) {
	const info = at.categories.find((c) => c.code === 'INFO_CONTR');
	if (!info) throw new Error('the demo category INFO_CONTR is missing');
	return {
		serviceCenterId: at.id,
		customerId,
		origin: 'phone',
		priority: 'normal',
		categoryId: info.id,
		title
	};
}

const queueRow = (page: Page, title: string) => page.getByTestId('queue-row').filter({ hasText: title });

async function openQueue(page: Page, at: ServiceCentre, view: 'open' | 'to_assign' | 'to_take') {
	await page.goto(`/tickets?serviceCenterId=${at.id}`);
	await waitForRealtime(page);
	await page.getByTestId(`queue-tab-${view}`).click();
	await expect(page.getByTestId('queue-tab-' + view)).toHaveAttribute('aria-selected', 'true');
	await expect(
		page.getByTestId('queue-table').or(page.getByText('Nessun ticket in questa coda'))
	).toBeVisible();
}

test('a new ticket reaches the other queues live, its countdown ticks, and a take shows everywhere', async ({
	browser
}) => {
	test.setTimeout(120_000);
	const agent1 = await signedIn(browser, 'agent1');
	const agent2 = await signedIn(browser, 'agent2');
	const supervisor = await signedIn(browser, 'supervisor1');
	try {
		const at = await centre(agent1.page.request, 'AT');
		const customer = await someCustomer(agent1.page.request, 4);
		const agent2Name = await displayName(agent2.page);
		const title = `Richiesta copia del contratto ${Date.now()}`;

		// The other consoles look at their queues before the ticket exists.
		await openQueue(agent2.page, at, 'open');
		await openQueue(supervisor.page, at, 'to_assign');
		const countBefore = Number(await supervisor.page.getByTestId('queue-count-to_assign').textContent());

		// Agent 1 opens it from the form; what is missing is said next to its field.
		await agent1.page.goto(`/tickets/new?serviceCenterId=${at.id}&origin=phone`);
		await waitForRealtime(agent1.page);
		await agent1.page.getByTestId('new-ticket-submit').click();
		await expect(agent1.page.getByTestId('error-customerId')).toHaveText('Scegli il cliente');
		await expect(agent1.page.getByTestId('error-title')).toHaveText(
			'Il titolo deve avere almeno 3 caratteri'
		);

		await agent1.page.getByTestId('customer-search').fill(customer.companyName.slice(0, 12));
		await agent1.page
			.getByTestId('customer-option')
			.filter({ hasText: customer.companyName })
			.first()
			.click();
		await expect(agent1.page.getByTestId('customer-chosen')).toContainText(customer.companyName);
		await expect(agent1.page.getByTestId('field-contactId')).toBeEnabled();
		await agent1.page
			.getByTestId('field-categoryId')
			.selectOption({ label: 'Richiesta informazioni > Contratto' });
		await agent1.page.getByTestId('field-title').fill(title);
		await agent1.page
			.getByTestId('field-description')
			.fill('Il cliente chiede una copia del contratto di manutenzione in vigore.');
		await expect(agent1.page.getByTestId('sla-target')).toContainText('Prima risposta entro 4 h lavorative');
		await screenshot(agent1.page, 'tickets-new-form');
		await agent1.page.getByTestId('new-ticket-submit').click();

		await expect(agent1.page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
		await expect(agent1.page.getByTestId('ticket-title')).toHaveText(title);
		const number = (await agent1.page.getByTestId('ticket-number').textContent())!.trim();
		expect(number).toMatch(/^AT-\d{4}-\d{6}$/);
		await expect(agent1.page.getByTestId('ticket-owner')).toHaveText('Da assegnare');

		// Agent 2's "all open" queue shows it without a reload, and its countdown ticks in the browser.
		const row = queueRow(agent2.page, title);
		await expect(row).toBeVisible();
		await expect(row).toContainText(number);
		await expect(row).toContainText(customer.companyName);
		const countdown = row.getByTestId('sla-countdown');
		await expect(countdown).toHaveAttribute('data-tone', /ok|warning/);
		const firstReading = await countdown.textContent();
		await agent2.page.waitForTimeout(2000);
		expect(await countdown.textContent()).not.toBe(firstReading);
		await screenshot(agent2.page, 'tickets-queue');

		// The supervisor sees it in "to assign", and the tab's count follows.
		await expect(queueRow(supervisor.page, title)).toBeVisible();
		await expect(supervisor.page.getByTestId('queue-count-to_assign')).toHaveText(String(countBefore + 1));

		// Agent 2 opens it from the queue with the keyboard and takes it; the others see it at once.
		// Focus on the page, not on a control (a click in the middle would open a row).
		await agent2.page.getByRole('heading', { level: 1, name: 'Ticket' }).click();
		const rows = agent2.page.getByTestId('queue-row');
		const index = await rows.evaluateAll(
			(trs, wanted) => trs.findIndex((tr) => tr.textContent?.includes(wanted)),
			title
		);
		for (let i = 0; i <= index; i++) await agent2.page.keyboard.press('j');
		await expect(row).toHaveAttribute('aria-selected', 'true');
		await agent2.page.keyboard.press('Enter');
		await expect(agent2.page.getByTestId('ticket-title')).toHaveText(title);
		await agent2.page.getByTestId('take-ticket').click();
		await expect(agent2.page.getByTestId('ticket-owner')).toContainText(agent2Name);

		await expect(agent1.page.getByTestId('ticket-owner')).toContainText(agent2Name);
		await expect(agent1.page.getByTestId('ticket-live')).toContainText(agent2Name);
		await expect(agent1.page.getByTestId('history-entry').first()).toContainText('Presa in carico');
		await expect(queueRow(supervisor.page, title)).toHaveCount(0);
		await expect(supervisor.page.getByTestId('queue-count-to_assign')).toHaveText(String(countBefore));
		await screenshot(agent1.page, 'tickets-detail');

		// The same screens on the dark theme.
		await agent1.page.getByRole('button', { name: 'Tema scuro' }).click();
		await expect(agent1.page.locator('html')).toHaveAttribute('data-theme', 'dark');
		await screenshot(agent1.page, 'tickets-detail-dark');
		await agent1.page.goto(`/tickets?serviceCenterId=${at.id}&view=open`);
		await expect(queueRow(agent1.page, title)).toContainText(agent2Name);
		await screenshot(agent1.page, 'tickets-queue-dark');
	} finally {
		await Promise.all([agent1.context.close(), agent2.context.close(), supervisor.context.close()]);
	}
});

test('two agents take the same ticket at once: exactly one wins, the other is told who', async ({
	browser
}) => {
	test.setTimeout(90_000);
	const agent2 = await signedIn(browser, 'agent2');
	const agent3 = await signedIn(browser, 'agent3');
	try {
		const at = await centre(agent2.page.request, 'AT');
		const customer = await someCustomer(agent2.page.request, 5);
		const created = await agent2.page.request.post('/api/tickets', {
			data: toAssignTicket(at, customer.id, `Verifica garanzia ricambi ${Date.now()}`)
		});
		expect(created.status()).toBe(201);
		const ticket = (await created.json()) as { id: string; number: string };

		const names = { agent2: await displayName(agent2.page), agent3: await displayName(agent3.page) };
		for (const { page } of [agent2, agent3]) {
			await page.goto(`/tickets/${ticket.id}`);
			await waitForRealtime(page);
			await expect(page.getByTestId('take-ticket')).toBeEnabled();
		}

		// Both press "Prendi in carico" in the same instant: each page arms a timer for the same moment
		// on the machine's clock, so a slow DevTools round trip to one page cannot let the other's take
		// (pushed live) remove the button before it is pressed.
		const moment = Date.now() + 750;
		const armed = await Promise.all(
			[agent2.page, agent3.page].map((page) =>
				page.evaluate(async (moment) => {
					const early = Date.now() < moment;
					await new Promise((resolve) => setTimeout(resolve, moment - Date.now()));
					(document.querySelector('[data-testid="take-ticket"]') as HTMLButtonElement).click();
					return early;
				}, moment)
			)
		);
		expect(armed, 'both pages were armed before the moment came').toEqual([true, true]);

		type Seen = { ownerName: string | null; history: Array<{ reason: { code: string } | null }> };
		const read = async () =>
			(await (await agent2.page.request.get(`/api/tickets/${ticket.id}`)).json()) as Seen;
		await expect.poll(async () => (await read()).ownerName).not.toBeNull();
		const final = await read();
		const owner = final.ownerName!;
		expect([names.agent2, names.agent3]).toContain(owner);
		expect(final.history.filter((h) => h.reason?.code === 'PRESA')).toHaveLength(1);

		const [winner, loser] = owner === names.agent2 ? [agent2, agent3] : [agent3, agent2];
		await expect(loser.page.getByTestId('action-error')).toHaveText(`Il ticket è stato preso da ${owner}`);
		await expect(loser.page.getByTestId('ticket-owner')).toContainText(owner);
		await expect(winner.page.getByTestId('ticket-owner')).toContainText(owner);
		await expect(winner.page.getByTestId('action-error')).toHaveCount(0);
		await screenshot(loser.page, 'tickets-take-lost');
	} finally {
		await Promise.all([agent2.context.close(), agent3.context.close()]);
	}
});

test("an assignment rings the new owner's bell live, and reading it clears the count", async ({
	browser
}) => {
	test.setTimeout(90_000);
	const agent1 = await signedIn(browser, 'agent1');
	const supervisor = await signedIn(browser, 'supervisor1');
	try {
		const at = await centre(supervisor.page.request, 'AT');
		const customer = await someCustomer(supervisor.page.request, 6);
		const created = await supervisor.page.request.post('/api/tickets', {
			data: toAssignTicket(at, customer.id, `Informazioni sul rinnovo ${Date.now()}`)
		});
		expect(created.status()).toBe(201);
		const ticket = (await created.json()) as { id: string; number: string };
		const supervisorName = await displayName(supervisor.page);

		// The agent starts from a read bell, on any screen.
		await agent1.page.goto('/tickets');
		await waitForRealtime(agent1.page);
		await agent1.page.request.post('/api/notifications/read', { data: { all: true } });
		await expect(agent1.page.getByTestId('notification-unread')).toHaveCount(0);

		// The supervisor assigns it to agent 1 with the "Assegna" action reason.
		await supervisor.page.goto(`/tickets/${ticket.id}`);
		await waitForRealtime(supervisor.page);
		await supervisor.page.getByTestId('action-reason').selectOption({ label: 'Assegna' });
		await supervisor.page.getByTestId('action-group').selectOption({ label: 'Primo livello' });
		await supervisor.page.getByTestId('action-owner').selectOption({ label: await displayName(agent1.page) });
		await supervisor.page.getByTestId('action-note').fill('Cliente storico: richiamare entro oggi.');
		await screenshot(supervisor.page, 'tickets-action-assign');
		// Ctrl+Enter sends the action form from its note field.
		await supervisor.page.getByTestId('action-note').press('Control+Enter');
		await expect(supervisor.page.getByTestId('ticket-owner')).toContainText(await displayName(agent1.page));

		await expect(agent1.page.getByTestId('notification-unread')).toHaveText('1');
		await agent1.page.getByTestId('notification-bell').click();
		const first = agent1.page.getByTestId('notification').first();
		await expect(first).toContainText(`${supervisorName} ti ha assegnato il ticket ${ticket.number}`);
		await expect(first).toHaveClass(/unread/);
		await screenshot(agent1.page, 'tickets-bell');

		await agent1.page.getByTestId('notification-read-all').click();
		await expect(agent1.page.getByTestId('notification-unread')).toHaveCount(0);
		await expect(first).not.toHaveClass(/unread/);

		// Opening a notification leads to its ticket.
		await first.getByRole('button').first().click();
		await expect(agent1.page).toHaveURL(`/tickets/${ticket.id}`);
		await expect(agent1.page.getByTestId('ticket-owner')).toContainText(await displayName(agent1.page));
	} finally {
		await Promise.all([agent1.context.close(), supervisor.context.close()]);
	}
});

test('a queue that lost its connection shows what it missed once it is back, without a reload', async ({
	browser
}) => {
	const context = await browser.newContext();
	await exposeSocket(context);
	try {
		const page = await context.newPage();
		await signIn(page, 'agent4');
		const at = await centre(page.request, 'AT');
		const customer = await someCustomer(page.request, 7);
		await openQueue(page, at, 'to_assign');

		// Offline: the server forgets this socket, so coming back is a fresh connection (no recovery).
		await page.evaluate(() => window.__consoleSocket!.disconnect());
		const title = `Richiesta durante la disconnessione ${Date.now()}`;
		const created = await page.request.post('/api/tickets', { data: toAssignTicket(at, customer.id, title) });
		expect(created.status()).toBe(201);
		await page.waitForTimeout(500);
		await expect(queueRow(page, title)).toHaveCount(0);

		await page.evaluate(() => window.__consoleSocket!.connect());
		await expect(queueRow(page, title)).toBeVisible();
		const count = Number(await page.getByTestId('queue-count-to_assign').textContent());
		expect(count).toBeGreaterThanOrEqual(1);
	} finally {
		await context.close();
	}
});

// Issue 17: supervisors and administrators landed on the first centre of their list (Amministrazione,
// empty) while the demo's tickets sit in Assistenza tecnica.
test('a supervisor and an administrator opening the queue see the demo tickets without choosing a centre', async ({
	browser
}) => {
	for (const username of ['supervisor1', 'admin']) {
		const { context, page } = await signedIn(browser, username);
		try {
			await page.goto('/tickets');
			await expect(page.getByTestId('queue-centre')).toHaveValue('all');
			await expect(page.getByTestId('queue-tab-open')).toHaveAttribute('aria-selected', 'true');
			await expect(page.getByTestId('queue-row').first()).toBeVisible();
			await expect(page.getByTestId('queue-row').first()).toHaveAttribute('data-number', /^AT-/);
			// Choosing a centre is remembered; choosing every centre again forgets it.
			const at = await centre(page.request, 'AT');
			await page.getByTestId('queue-centre').selectOption(at.id);
			await expect(page).toHaveURL(new RegExp(`serviceCenterId=${at.id}`));
			await page.getByTestId('queue-centre').selectOption('all');
			await page.goto('/tickets');
			await expect(page.getByTestId('queue-centre')).toHaveValue('all');
		} finally {
			await context.close();
		}
	}
});
