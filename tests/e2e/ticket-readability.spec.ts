import { expect, test, type APIRequestContext } from '@playwright/test';
import { signIn } from './support';

/*
 * What a newcomer tripped over on the ticket page (issue 17): deadlines read in the browser's
 * zone under a label naming the calendar's. The browser here is in UTC: the demo's calendars
 * are in Europe/Rome.
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
