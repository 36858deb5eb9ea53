import { expect, type BrowserContext, type Page } from '@playwright/test';

export const password = 'demo';

/** Where each demo user lands after signing in, and text only that home shows. */
export const homes = {
	admin: { path: '/admin', testId: 'admin-users', heading: 'Utenti' },
	supervisor1: { path: '/wallboard', testId: 'wallboard', heading: 'Chi è online' },
	dispatcher1: { path: '/dispatch', testId: 'dispatch', heading: 'Mappa dispatch' },
	agent1: { path: '/agent', testId: 'agent-desk', heading: 'Chi sta chiamando?' },
	tech1: { path: '/technician', testId: 'technician-agenda', heading: 'Appuntamenti di oggi' }
} as const;

export async function signIn(page: Page, username: string, secret = password) {
	await page.goto('/login');
	await page.getByLabel('Nome utente').fill(username);
	await page.getByLabel('Password').fill(secret);
	await page.getByRole('button', { name: 'Accedi' }).click();
	await expect(page).not.toHaveURL(/\/login/);
}

/** Lets a test observe the app's socket (`window.__consoleSocket`); set before the app loads. */
export async function exposeSocket(context: BrowserContext) {
	await context.addInitScript(() => {
		window.__consoleTestHooks = true;
	});
}

export async function waitForRealtime(page: Page) {
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
}

/** Full-page screenshots for review, kept in test-results/screenshots/. */
export async function screenshot(page: Page, name: string) {
	// Let transitions, fonts and the map settle so the picture shows the real state.
	await page.evaluate(() => document.fonts.ready);
	await page.waitForTimeout(300);
	await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}
