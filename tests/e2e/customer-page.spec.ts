import { expect, test, type APIRequestContext } from '@playwright/test';
import { screenshot, signIn } from './support';

/*
 * The customer page was a dead end (issue 17): it now lists the customer's tickets (open first,
 * each opening its ticket), calls and activities, offers a new ticket for the customer, and opens
 * machines and contracts in place on their details.
 */

interface CustomerDetail {
	id: string;
	companyName: string;
	blocked: boolean;
	machines: Array<{ id: string; serialNumber: string }>;
	contracts: Array<{ code: string; contractLines: Array<{ machineId: string; serialNumber: string }> }>;
}

/** A demo customer with a machine under a contract line, and not blocked. */
async function customerWithContract(request: APIRequestContext): Promise<CustomerDetail> {
	const { items } = (await (await request.get('/api/customers?page=1&pageSize=40')).json()) as {
		items: Array<{ id: string; blocked: boolean }>;
	};
	for (const { id, blocked } of items) {
		if (blocked) continue;
		const customer = (await (await request.get(`/api/customers/${id}`)).json()) as CustomerDetail;
		if (customer.contracts.some((c) => c.contractLines.length > 0)) return customer;
	}
	throw new Error('no demo customer with a contract line');
}

test('the customer page shows its tickets, calls and activities, opens a new ticket, and opens machines and contracts', async ({
	page
}) => {
	await page.setViewportSize({ width: 1600, height: 1000 });
	await signIn(page, 'agent1');
	const customer = await customerWithContract(page.request);
	const contract = customer.contracts.find((c) => c.contractLines.length > 0)!;
	const line = contract.contractLines[0];
	const { items: centres } = (await (await page.request.get('/api/service-centers')).json()) as {
		items: Array<{ id: string }>;
	};
	const title = `Verifica annuale ${Date.now()}`;
	const created = await page.request.post('/api/tickets', {
		data: {
			serviceCenterId: centres[0].id,
			customerId: customer.id,
			machineId: line.machineId,
			origin: 'phone',
			priority: 'normal',
			title
		}
	});
	expect(created.status()).toBe(201);
	const ticket = (await created.json()) as { id: string; number: string };

	await page.goto(`/customers/${customer.id}`);
	await expect(page.getByTestId('customer-name')).toHaveText(customer.companyName);
	const rows = page.getByTestId('customer-ticket');
	const row = rows.filter({ hasText: title });
	await expect(row).toHaveAttribute('data-open', 'true');
	// Open tickets come first.
	await expect(rows.first()).toHaveAttribute('data-open', 'true');
	await expect(
		page.getByTestId('customer-activities').getByRole('link', { name: ticket.number }).first()
	).toBeVisible();
	await expect(page.getByTestId('customer-calls')).toBeVisible();
	await expect(page.getByTestId('customer-page')).not.toContainText(/versione \d/);

	// A machine opens in place: its site, warranty, the contract that covers it, its tickets.
	const machineRow = page.getByTestId('machine-row').filter({ hasText: line.serialNumber });
	const machineToggle = machineRow.getByRole('button', { name: line.serialNumber });
	await expect(machineToggle).toHaveAttribute('aria-expanded', 'false');
	await machineToggle.click();
	await expect(machineToggle).toHaveAttribute('aria-expanded', 'true');
	const machineDetails = page.locator(`#machine-${line.machineId}`);
	await expect(machineDetails).toContainText(contract.code);
	await expect(machineDetails.getByRole('link', { name: ticket.number })).toBeVisible();

	// A contract opens on its lines.
	const contractToggle = page.getByTestId('contract-row').getByRole('button', { name: contract.code });
	await contractToggle.click();
	await expect(page.getByTestId('contract-details').getByTestId('contract-line').first()).toBeVisible();
	await expect(page.getByTestId('contract-details')).toContainText(line.serialNumber);

	await page.evaluate(() => window.scrollTo(0, 0));
	await screenshot(page, 'customer-page-1600');

	// On a phone the page keeps to the screen: wide tables scroll inside their cards.
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(page.getByTestId('customer-tickets')).toBeVisible();
	const cardsOverflow = await page
		.getByTestId('customer-page')
		.evaluate((el) => el.scrollWidth - el.clientWidth);
	expect(cardsOverflow).toBeLessThanOrEqual(0);
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: 'test-results/screenshots/customer-page-390.png' });
	await page.getByTestId('customer-tickets').scrollIntoViewIfNeeded();
	await page.screenshot({ path: 'test-results/screenshots/customer-page-390-tickets.png' });
	await page.setViewportSize({ width: 1600, height: 1000 });

	// The ticket opens from its row; the new-ticket action opens the form on this customer.
	await row.getByRole('link', { name: ticket.number }).click();
	await expect(page).toHaveURL(`/tickets/${ticket.id}`);
	await page.goBack();
	await page.getByTestId('customer-new-ticket').click();
	await expect(page).toHaveURL(`/tickets/new?customerId=${customer.id}`);
	await expect(page.getByTestId('new-ticket-form')).toContainText(customer.companyName);
});
