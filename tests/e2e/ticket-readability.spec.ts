import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { screenshot, signIn } from './support';

/*
 * What a newcomer tripped over on the ticket page (issue 17): deadlines read in the browser's
 * zone under a label naming the calendar's, a long unbroken description pushed the page
 * sideways, a title over the limit was cut without a word, and "versione N" showed.
 * The browser here is in UTC: the demo's calendars are in Europe/Rome.
 */
test.use({ timezoneId: 'UTC' });

interface Centre {
	id: string;
	code: string;
	sla: { timeZone: string } | null;
}

async function centreWithSla(request: APIRequestContext): Promise<Centre & { sla: { timeZone: string } }> {
	const { items } = (await (await request.get('/api/service-centers')).json()) as { items: Centre[] };
	const found = items.find((c): c is Centre & { sla: { timeZone: string } } => c.sla !== null);
	if (!found) throw new Error('no service centre with an SLA policy in the demo data');
	return found;
}

async function someCustomer(request: APIRequestContext): Promise<{ id: string }> {
	const { items } = (await (await request.get('/api/customers?page=2&pageSize=10')).json()) as {
		items: Array<{ id: string; blocked: boolean }>;
	};
	const found = items.find((c) => !c.blocked);
	if (!found) throw new Error('no unblocked customer on that page');
	return found;
}

const clockIn = (iso: string, timeZone: string) =>
	new Intl.DateTimeFormat('it-IT', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
		new Date(iso)
	);

const horizontalOverflow = (page: Page) =>
	page.evaluate(() => {
		const root = document.scrollingElement ?? document.documentElement;
		return root.scrollWidth - root.clientWidth;
	});

/** A ticket of a centre with an SLA policy, opened by the API. */
async function openTicket(request: APIRequestContext, fields: { title: string; description?: string }) {
	const centre = await centreWithSla(request);
	const customer = await someCustomer(request);
	const created = await request.post('/api/tickets', {
		data: {
			serviceCenterId: centre.id,
			customerId: customer.id,
			origin: 'phone',
			priority: 'high',
			...fields
		}
	});
	expect(created.status()).toBe(201);
	const { id } = (await created.json()) as { id: string };
	return { id, centre };
}

test('a ticket read from a UTC browser shows its deadlines in the calendar zone, and says which', async ({
	page
}) => {
	await signIn(page, 'agent1');
	const { id, centre } = await openTicket(page.request, { title: `Verifica scadenze ${Date.now()}` });
	const ticket = (await (await page.request.get(`/api/tickets/${id}`)).json()) as {
		slaResolutionDueAt: string;
	};
	const zone = centre.sla.timeZone;
	const onCalendar = clockIn(ticket.slaResolutionDueAt, zone);
	const inBrowser = clockIn(ticket.slaResolutionDueAt, 'UTC');
	expect(onCalendar).not.toBe(inBrowser);

	await page.goto(`/tickets/${id}`);
	await expect(page.getByTestId('sla-time-zone')).toHaveText(`Orari nel fuso ${zone}`);
	const due = page.getByTestId('sla-resolution').locator('.when');
	await expect(due).toContainText(onCalendar);
	await expect(due).not.toContainText(inBrowser);
});

test('a 10,000-character unbroken description wraps instead of scrolling the page sideways', async ({
	page
}) => {
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signIn(page, 'agent1');
	const { id } = await openTicket(page.request, {
		title: `Registro di errore incollato ${Date.now()}`,
		description: 'E'.repeat(10_000)
	});
	await page.goto(`/tickets/${id}`);
	const description = page.getByTestId('ticket-description');
	await expect(description).toBeVisible();
	await expect(page.getByTestId('ticket-page')).not.toContainText(/versione \d/);
	expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
	await screenshot(page, 'ticket-long-description-1600');

	await page.setViewportSize({ width: 390, height: 844 });
	await expect(description).toBeVisible();
	expect(await description.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
	await page.screenshot({ path: 'test-results/screenshots/ticket-long-description-390.png' });
});

test('the new-ticket form keeps a title over the limit whole and says so while typing', async ({ page }) => {
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signIn(page, 'agent1');
	const customer = await someCustomer(page.request);
	const long = 'Sostituzione urgente '.repeat(12).trim();
	expect(long.length).toBeGreaterThan(200);
	await page.goto(`/tickets/new?customerId=${customer.id}&title=${encodeURIComponent(long)}`);

	const title = page.getByTestId('field-title');
	await expect(title).toHaveValue(long);
	const count = page.getByTestId('new-ticket-form').getByTestId('character-count').first();
	await expect(count).toHaveText(`Troppo lungo: al massimo 200 caratteri, ${long.length - 200} da togliere`);
	await expect(title).toHaveAttribute('aria-invalid', 'true');
	await screenshot(page, 'new-ticket-title-too-long');

	// Nothing is sent while it is too long.
	await page.getByTestId('new-ticket-submit').click();
	await expect(page).toHaveURL(/\/tickets\/new/);

	await title.fill('x'.repeat(150));
	await expect(count).toHaveText('');
	await title.pressSequentially('y'.repeat(40), { delay: 0 });
	await expect(count).toHaveText('190 di 200 caratteri');
	await expect(title).not.toHaveAttribute('aria-invalid', 'true');
});
