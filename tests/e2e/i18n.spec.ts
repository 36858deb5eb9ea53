import { expect, test } from '@playwright/test';
import { screenshot, signIn } from './support';

test('the language switch changes every label and is remembered for the user', async ({ page }) => {
	await signIn(page, 'agent4');
	await expect(page.getByRole('heading', { name: 'Chi sta chiamando?' })).toBeVisible();
	await expect(page.getByTestId('nav-agent')).toHaveText('Postazione');

	const languages = page.getByRole('group', { name: 'Lingua' });
	await languages.getByRole('button', { name: 'EN' }).click();
	await expect(page.getByRole('heading', { name: 'Who is calling?' })).toBeVisible();
	await expect(page.getByTestId('nav-agent')).toHaveText('Desk');
	await expect(page.getByTestId('logout')).toHaveText('Sign out');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');

	// Saved on the server: a reload (and the next sign-in) keeps English.
	await expect.poll(async () => (await (await page.request.get('/api/me')).json()).user.locale).toBe('en');
	await page.reload();
	await expect(page.getByRole('heading', { name: 'Who is calling?' })).toBeVisible();
	await expect(page.getByRole('columnheader', { name: 'Company name' })).toBeVisible();
	await screenshot(page, 'home-agent-english');

	await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'IT' }).click();
	await expect(page.getByRole('heading', { name: 'Chi sta chiamando?' })).toBeVisible();
	await expect.poll(async () => (await (await page.request.get('/api/me')).json()).user.locale).toBe('it');
});

test('the sign-in page speaks the chosen language, including its errors', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('group', { name: 'Lingua' }).getByRole('button', { name: 'EN' }).click();
	await page.getByLabel('Username').fill('agent4');
	await page.getByLabel('Password').fill('wrong-password');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByTestId('login-error')).toHaveText('Wrong username or password');
});
