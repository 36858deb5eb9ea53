import { expect, test, type APIRequestContext } from '@playwright/test';
import { formatPhone } from '../../src/lib/phone/format-phone';
import { screenshot, signIn, waitForRealtime } from './support';

interface Phone {
	raw: string;
	e164: string;
	kind: string;
}

/** A customer of the demo data with a phone of its own (not only its contacts'). */
async function customerWithPhone(request: APIRequestContext) {
	const { items } = (await (await request.get('/api/customers?page=3&pageSize=25')).json()) as {
		items: Array<{ id: string }>;
	};
	for (const { id } of items) {
		const customer = (await (await request.get(`/api/customers/${id}`)).json()) as {
			id: string;
			companyName: string;
			phones: Phone[];
		};
		const phone = customer.phones.find((p) => p.kind !== 'fax' && p.e164.startsWith('+39'));
		if (phone) return { customer, phone };
	}
	throw new Error('no customer with a phone among the demo data');
}

/** The same number written another way: international 0039 prefix, digits in threes. */
function rewrite(e164: string): string {
	const national = e164.slice(3);
	return `0039 ${national.replace(/(\d{3})(?=\d)/g, '$1 ')}`;
}

test('search by a phone number written differently finds the customer and opens the record', async ({
	page
}) => {
	await signIn(page, 'agent5');
	const { customer, phone } = await customerWithPhone(page.request);
	const typed = rewrite(phone.e164);
	expect(typed).not.toBe(phone.raw);

	// "/" focuses the search from anywhere on the page.
	await page.locator('body').click();
	await page.keyboard.press('/');
	const search = page.getByTestId('global-search');
	await expect(search).toBeFocused();
	await search.pressSequentially(typed, { delay: 10 });

	const hits = page.getByTestId('search-hit');
	await expect(hits.first()).toContainText(customer.companyName);
	// The number as understood, in the one format the console shows numbers in.
	await expect(page.getByTestId('search-popup')).toContainText(formatPhone(phone.e164));
	await screenshot(page, 'search-phone');
	await search.press('ArrowDown');
	await search.press('ArrowUp');
	await search.press('Enter');

	await expect(page).toHaveURL(`/customers/${customer.id}`);
	await expect(page.getByTestId('customer-name')).toHaveText(customer.companyName);
	await expect(page.locator(`[data-e164="${phone.e164}"]`).first()).toBeVisible();
});

test('the customer record shows master data, machines and contracts, and updates live', async ({
	page,
	browser
}) => {
	await signIn(page, 'agent1');
	const { items } = await (await page.request.get('/api/customers?page=1&pageSize=1')).json();
	const id: string = items[0].id;
	await page.goto(`/customers/${id}`);
	await waitForRealtime(page);
	const record = page.getByTestId('customer-page');
	await expect(record).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Anagrafica' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Macchine in campo' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Contratti' })).toBeVisible();
	const version = Number(await record.getAttribute('data-version'));

	// Click-to-call asks the softphone through a window event.
	await page.evaluate(() => {
		window.addEventListener('console:dial', (event) =>
			Object.assign(window, { __dialled: event.detail.number })
		);
	});
	const firstPhone = page.getByTestId('phone-button').first();
	const e164 = await firstPhone.getAttribute('data-e164');
	// Shown in the one format, whatever way the demo data typed it ("(051) 927.9954", "0514848463").
	await expect(firstPhone).toHaveText(formatPhone(e164));
	await firstPhone.click();
	expect(await page.evaluate(() => (window as unknown as { __dialled?: string }).__dialled)).toBe(e164);
	await screenshot(page, 'customer');

	// Another user edits the customer: the open record refetches the newer version by itself.
	const supervisorContext = await browser.newContext();
	try {
		const supervisor = await supervisorContext.newPage();
		await signIn(supervisor, 'supervisor1');
		const saved = await supervisor.request.patch(`/api/customers/${id}`, {
			data: { version, notes: 'Cliente richiamato: preferisce essere contattato al mattino.' }
		});
		expect(saved.status()).toBe(200);
	} finally {
		await supervisorContext.close();
	}
	await expect(record).toHaveAttribute('data-version', String(version + 1));
	await expect(page.getByText('Cliente richiamato: preferisce essere contattato al mattino.')).toBeVisible();
	await expect(page.getByText(/Aggiornato in tempo reale alle/)).toBeVisible();

	// The dark theme is a choice remembered on this browser.
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
	await page.getByRole('button', { name: 'Tema scuro' }).click();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await page.reload();
	await expect(record).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
	await screenshot(page, 'customer-dark');
});
