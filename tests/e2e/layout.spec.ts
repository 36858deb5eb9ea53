import { expect, test, type Page } from '@playwright/test';
import { homes, screenshot, signIn, waitForRealtime } from './support';

/*
 * Issue 17: at 390 px the top bar was 737 px wide and hid sign-out, language and theme. Every
 * screen of every role has a phone layout: nothing scrolls sideways, and the menu reaches
 * navigation, language, theme and sign-out.
 */

const desk = { width: 1600, height: 1000 };
const phone = { width: 390, height: 844 };
const size = (viewport: { width: number; height: number }) => `${viewport.width}x${viewport.height}`;

/** What sticks out past the right edge of the page: empty when nothing scrolls sideways. */
async function sidewaysOverflow(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const root = document.scrollingElement!;
		if (root.scrollWidth <= root.clientWidth) return [];
		const edge = root.clientWidth;
		const culprits = [...document.querySelectorAll<HTMLElement>('body *')]
			.filter((element) => element.getBoundingClientRect().right > edge + 0.5)
			// The outermost only: its children stick out because it does.
			.filter(
				(element) =>
					!(element.parentElement && element.parentElement.getBoundingClientRect().right > edge + 0.5)
			)
			.slice(0, 5)
			.map((element) => {
				const name = `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).trim().split(/\s+/).join('.')}` : ''}`;
				return `${name} (right edge ${Math.round(element.getBoundingClientRect().right)})`;
			});
		return [`page ${root.scrollWidth} px wide in ${edge} px`, ...culprits];
	});
}

/** Lets lists, counts and maps arrive before the page is measured. */
async function settle(page: Page) {
	await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
	await page.evaluate(() => document.fonts.ready);
}

async function firstCustomerId(page: Page): Promise<string> {
	const { items } = (await (await page.request.get('/api/customers?pageSize=1')).json()) as {
		items: Array<{ id: string }>;
	};
	return items[0].id;
}

test('every role: the home at desk and phone sizes, every screen on a phone without sideways scrolling, and the menu reaches sign-out, language and theme', async ({
	browser
}) => {
	test.setTimeout(240_000);
	for (const [username, home] of Object.entries(homes)) {
		const context = await browser.newContext({ viewport: desk });
		try {
			const page = await context.newPage();
			await signIn(page, username);
			await expect(page).toHaveURL(home.path);
			await expect(page.getByTestId(home.testId)).toBeVisible();
			await waitForRealtime(page);
			await settle(page);
			// A desk-sized window shows the whole bar, no menu button.
			await expect(page.getByTestId('menu-toggle')).toBeHidden();
			await expect(page.getByTestId('logout')).toBeVisible();
			expect.soft(await sidewaysOverflow(page), `${username} ${home.path} at ${size(desk)}`).toEqual([]);
			await screenshot(page, `home-${username}-${size(desk)}`);

			await page.setViewportSize(phone);
			await settle(page);
			expect.soft(await sidewaysOverflow(page), `${username} ${home.path} at ${size(phone)}`).toEqual([]);
			await screenshot(page, `home-${username}-${size(phone)}`);

			// The screens the role's navigation offers, and a customer's page where the role may open it.
			const menu = page.getByTestId('shell-menu');
			await page.getByTestId('menu-toggle').click();
			const screens = await menu
				.getByRole('navigation')
				.getByRole('link')
				.evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
			await page.keyboard.press('Escape');
			await expect(menu).toBeHidden();
			if (username !== 'tech1') screens.push(`/customers/${await firstCustomerId(page)}`);
			for (const path of screens) {
				await page.goto(path);
				await expect(page.locator('main h1').first()).toBeVisible();
				await settle(page);
				expect.soft(await sidewaysOverflow(page), `${username} ${path} at ${size(phone)}`).toEqual([]);
				// A screen's own sections (the administration's, the missed calls) are screens too.
				const sections = await page
					.locator('main nav a[href]')
					.evaluateAll(
						(links, base) =>
							links
								.map((link) => link.getAttribute('href') ?? '')
								.filter((href) => href.startsWith(`${base}/`)),
						path
					);
				for (const section of sections) if (!screens.includes(section)) screens.push(section);
			}

			// The menu: navigation, language, theme and sign-out, all inside the screen.
			await page.getByTestId('menu-toggle').click();
			await expect(menu).toBeVisible();
			if (username === 'agent1') await screenshot(page, `menu-${username}-${size(phone)}`);
			for (const control of [
				page.getByTestId('logout'),
				menu.getByRole('group', { name: 'Lingua' }),
				menu.getByRole('button', { name: /Tema/ })
			]) {
				await expect(control).toBeInViewport({ ratio: 1 });
			}
			// Following a link closes the menu.
			await menu.getByRole('navigation').getByRole('link').first().click();
			await expect(menu).toBeHidden();
			await page.getByTestId('menu-toggle').click();
			await page.getByTestId('logout').click();
			await expect(page).toHaveURL('/login');
		} finally {
			await context.close();
		}
	}
});
