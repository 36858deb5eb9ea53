import { expect, test, type Page } from '@playwright/test';
import { homes, signIn, waitForRealtime } from './support';

/** Console errors and failed requests (status >= 400) the page logs from now on. */
function watchForFailures(page: Page): string[] {
	const failures: string[] = [];
	page.on('console', (message) => {
		if (message.type() === 'error') failures.push(`console error: ${message.text()}`);
	});
	page.on('pageerror', (error) => failures.push(`uncaught: ${error.message}`));
	page.on('response', (response) => {
		if (response.status() >= 400)
			failures.push(`${response.status()} ${response.request().method()} ${response.url()}`);
	});
	return failures;
}

// Issue 17: every sign-in logged a 401 for /api/me, every agent page a 404 for the softphone's
// settings. A healthy console logs nothing a newcomer would read as broken.
test('signing in as each role and opening its home logs no error and no failed request', async ({
	browser
}) => {
	test.setTimeout(120_000);
	for (const [username, home] of Object.entries(homes)) {
		const context = await browser.newContext();
		try {
			const page = await context.newPage();
			const failures = watchForFailures(page);
			// Signed out, `/` asks who is signed in before sending to the sign-in page.
			await page.goto('/');
			await expect(page).toHaveURL('/login');
			await signIn(page, username);
			await expect(page).toHaveURL(home.path);
			await expect(page.getByTestId(home.testId)).toBeVisible();
			await waitForRealtime(page);
			if (username === 'agent1')
				await expect(page.getByRole('banner').getByTestId('sip-registration')).toHaveAttribute(
					'data-state',
					'registered'
				);
			// Late answers (counts, the softphone's line) have time to arrive.
			await page.waitForLoadState('networkidle');
			expect(failures, `${username}: what the browser logged`).toEqual([]);
		} finally {
			await context.close();
		}
	}
});
