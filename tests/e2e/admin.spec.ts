import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { screenshot, signIn } from './support';

/*
 * The administrator's user and service-centre screens: an agent created with an extension, its
 * password reset and the account deactivated (each ending the agent's sessions, each in the
 * trail), and a new service centre. Screenshots at desk and phone sizes; no sideways scrolling.
 */

const tag = () => randomBytes(3).toString('hex');

async function apiSignIn(request: APIRequestContext, username: string, password: string) {
	return (await request.post('/api/auth/login', { data: { username, password } })).status();
}

/**
 * The administration screens at phone size: nothing in them reaches past the viewport (the
 * shell's own bar is the shell's concern and has its own test).
 */
async function atPhoneSize(page: Page, name: string) {
	await page.setViewportSize({ width: 390, height: 844 });
	await screenshot(page, `${name}-390`);
	const wide = await page.evaluate(() =>
		[...document.querySelectorAll('.admin-area, .admin-area *')]
			.filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
			.filter((el) => !el.parentElement?.closest('.table-scroll'))
			.map((el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)
	);
	expect(wide, 'elements reaching past 390 px').toEqual([]);
	await page.setViewportSize({ width: 1600, height: 1000 });
}

test('admin creates an agent with an extension, resets its password and deactivates it', async ({
	page,
	playwright,
	baseURL
}) => {
	await page.setViewportSize({ width: 1600, height: 1000 });
	const username = `e2e-${tag()}`;
	const extension = `6${String(randomBytes(2).readUInt16BE(0) % 1000).padStart(3, '0')}`;
	await signIn(page, 'admin');
	await page.getByTestId('new-user').click();
	await page.getByTestId('user-username').fill(username);
	await page.getByTestId('user-display-name').fill('Sara Colombo');
	await page.getByTestId('user-password').fill('prima-password-1');
	await page
		.getByTestId('user-form')
		.getByRole('group', { name: /^AT ·/ })
		.getByRole('checkbox')
		.first()
		.check();
	// agent1's extension: refused, in Italian, naming the field.
	await page.getByTestId('user-sip-extension').fill('1001');
	await page.getByTestId('user-sip-password').fill('sip-segreta-99');
	await page.getByTestId('user-save').click();
	await expect(page.getByTestId('user-form').getByRole('alert')).toContainText(
		'«Interno»: questo valore è già usato'
	);
	await page.getByTestId('user-sip-extension').fill(extension);
	await page.getByTestId('user-save').click();

	await expect(page).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}$/);
	await expect(page.getByRole('heading', { name: /Sara Colombo/ })).toBeVisible();
	await expect(page.getByTestId('sip-password-state')).toContainText('Impostata');
	await expect(page.getByTestId('audit-trail').locator('li[data-action="created"]')).toContainText(extension);
	await screenshot(page, 'admin-user-edit');
	await atPhoneSize(page, 'admin-user-edit');

	// The agent signs in elsewhere; the reset ends that session and only the new password works.
	const agent = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
	expect(await apiSignIn(agent, username, 'prima-password-1')).toBe(200);
	expect((await agent.get('/api/me')).status()).toBe(200);
	await page.getByRole('button', { name: 'Genera' }).click();
	const newPassword = await page.getByTestId('user-new-password').inputValue();
	await page.getByTestId('user-reset-password').click();
	await expect(page.getByText(/Password di Sara Colombo reimpostata/)).toBeVisible();
	expect((await agent.get('/api/me')).status()).toBe(401);
	expect(await apiSignIn(agent, username, newPassword)).toBe(200);
	await expect(page.getByTestId('audit-trail').locator('li[data-action="password_reset"]')).toBeVisible();

	page.once('dialog', (dialog) => void dialog.accept());
	await page.getByTestId('user-toggle-disabled').click();
	await expect(page.getByTestId('user-toggle-disabled')).toHaveText('Riattiva account');
	expect((await agent.get('/api/me')).status()).toBe(401);
	expect(await apiSignIn(agent, username, newPassword)).toBe(401);
	await expect(page.getByTestId('audit-trail').locator('li[data-action="deactivated"]')).toBeVisible();
	await agent.dispose();

	await page.getByRole('link', { name: '← Utenti' }).click();
	await expect(page.getByTestId('users-table').locator(`tr[data-username="${username}"]`)).toContainText(
		'Disattivato'
	);
	await screenshot(page, 'admin-users');
	await atPhoneSize(page, 'admin-users');
});

test('admin creates a reserved service centre on a business calendar', async ({ page }) => {
	await page.setViewportSize({ width: 1600, height: 1000 });
	const code = `E2E_${tag().toUpperCase()}`;
	await signIn(page, 'admin');
	await page.getByTestId('admin-nav-centers').click();
	await expect(page.getByRole('heading', { name: 'Centri servizi', level: 1 })).toBeVisible();
	const form = page.getByTestId('center-form');
	await form.getByTestId('center-code').fill(code);
	await form.getByTestId('center-name').fill('Assistenza robot');
	await form.getByTestId('center-reserved').check();
	await form.getByTestId('center-email').fill('robot@example.it');
	const calendar = form.getByTestId('center-calendar');
	await calendar.selectOption({ index: 1 });
	await form.getByTestId('center-save').click();

	const row = page.getByTestId('centers-table').locator(`tr[data-code="${code}"]`);
	await expect(row).toContainText('Assistenza robot');
	await expect(row).toContainText('Riservato');
	await expect(page.getByTestId('audit-trail').locator('li[data-action="created"]')).toContainText(
		'robot@example.it'
	);
	await screenshot(page, 'admin-centers');
	await atPhoneSize(page, 'admin-centers');
});
