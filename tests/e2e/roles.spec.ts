import { expect, test } from '@playwright/test';
import { homes, screenshot, signIn, waitForRealtime } from './support';

test('the sign-in page explains a wrong password', async ({ page }) => {
	await page.goto('/login');
	await expect(page.getByRole('heading', { name: 'Accedi' })).toBeVisible();
	await screenshot(page, 'login');

	await page.getByLabel('Nome utente').fill('agent3');
	await page.getByLabel('Password').fill('not-the-password');
	await page.getByRole('button', { name: 'Accedi' }).click();
	await expect(page.getByTestId('login-error')).toHaveText('Nome utente o password errati');
	await expect(page).toHaveURL(/\/login/);
	await screenshot(page, 'login-error');
});

test('an empty form is refused before reaching the server', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('button', { name: 'Accedi' }).click();
	await expect(page.getByTestId('login-error')).toHaveText('Inserisci nome utente e password');
});

test('input the server rejects (400) is explained', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('Nome utente').fill('x'.repeat(101));
	await page.getByLabel('Password').fill('demo');
	const answer = page.waitForResponse('**/api/auth/login');
	await page.getByRole('button', { name: 'Accedi' }).click();
	expect((await answer).status()).toBe(400);
	await expect(page.getByTestId('login-error')).toHaveText(
		'Dati di accesso non validi: controlla nome utente e password'
	);
});

test('too many failed attempts (429) are explained', async ({ page }) => {
	// A username nobody has: the lock-out counts per username, so no demo user is locked out.
	const username = `intruder-${Date.now()}`;
	await page.goto('/login');
	let status = 0;
	for (let attempt = 0; attempt < 10 && status !== 429; attempt++) {
		await page.getByLabel('Nome utente').fill(username);
		await page.getByLabel('Password').fill(`guess-${attempt}`);
		const answer = page.waitForResponse('**/api/auth/login');
		await page.getByRole('button', { name: 'Accedi' }).click();
		status = (await answer).status();
		if (status === 401)
			await expect(page.getByTestId('login-error')).toHaveText('Nome utente o password errati');
	}
	expect(status).toBe(429);
	await expect(page.getByTestId('login-error')).toHaveText(
		'Troppi tentativi falliti: riprova tra qualche minuto'
	);
});

for (const [username, home] of Object.entries(homes)) {
	test(`${username} signs in and lands on their home`, async ({ page }) => {
		await signIn(page, username);
		await expect(page).toHaveURL(home.path);
		await expect(page.getByTestId(home.testId)).toBeVisible();
		await expect(page.getByRole('heading', { level: 1, name: home.heading })).toBeVisible();
		await waitForRealtime(page);

		// `/` always leads back to the same home.
		await page.goto('/');
		await expect(page).toHaveURL(home.path);

		switch (username) {
			case 'admin':
				await expect(page.getByTestId('users-table').locator('tr[data-username="agent1"]')).toBeVisible();
				break;
			case 'supervisor1':
				await expect(
					page.getByTestId('presence-list').locator('li[data-username="supervisor1"]')
				).toBeVisible();
				await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
				break;
			case 'dispatcher1':
				await expect(page.getByTestId('dispatch-map').locator('canvas')).toBeVisible();
				await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
				break;
			case 'agent1':
				await expect(page.getByTestId('customer-list').locator('tbody tr')).toHaveCount(15);
				await expect(page.getByTestId('softphone-panel')).toBeVisible();
				await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
				break;
			case 'tech1':
				await expect(page.getByText('Nessun appuntamento in agenda per oggi.')).toBeVisible();
				// A technician's navigation offers only their agenda.
				await expect(page.getByRole('navigation').getByRole('link')).toHaveText(['Agenda']);
				break;
		}
		await screenshot(page, `home-${username}`);
	});
}

test('a page the role cannot use shows "not allowed"', async ({ page }) => {
	await signIn(page, 'agent1');
	await expect(page.getByTestId('nav-admin')).toHaveCount(0);
	await page.goto('/admin');
	await expect(page.getByTestId('not-allowed')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Pagina non disponibile per il tuo ruolo' })).toBeVisible();
	await page.getByRole('link', { name: 'Torna alla tua pagina iniziale' }).click();
	await expect(page).toHaveURL('/agent');
});

test('without a session every screen sends to sign-in, and back after it', async ({ page }) => {
	await page.goto('/tickets');
	await expect(page).toHaveURL('/login?next=%2Ftickets');
	await page.getByLabel('Nome utente').fill('agent1');
	await page.getByLabel('Password').fill('demo');
	await page.getByRole('button', { name: 'Accedi' }).click();
	await expect(page).toHaveURL('/tickets');
	await expect(page.getByRole('heading', { level: 1, name: 'Ticket' })).toBeVisible();
});

test('signing out returns to sign-in and ends the session', async ({ page }) => {
	await signIn(page, 'dispatcher1');
	await page.getByTestId('logout').click();
	await expect(page).toHaveURL('/login');
	expect((await page.request.get('/api/me')).status()).toBe(401);
	await page.goto('/dispatch');
	await expect(page).toHaveURL(/\/login\?next=/);
});
