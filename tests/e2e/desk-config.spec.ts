import { expect, test } from '@playwright/test';
import { screenshot, signIn } from './support';

/*
 * The administrator's support-desk settings: a changed SLA target moves the preview before it
 * is saved, the saved policy is what the server now holds, and a new action reason appears in
 * the list. The demo centre CO (Commerciale) is used so the other specs' ticket desk (AT) is untouched.
 */

test('admin changes an SLA target, sees the preview move, saves it and adds an action reason', async ({
	page
}) => {
	await signIn(page, 'admin');
	await page.getByTestId('admin-nav-desk').click();
	await expect(page.getByRole('heading', { name: 'Configurazione assistenza' })).toBeVisible();

	const centre = page.getByTestId('desk-center');
	const coValue = await centre.locator('option', { hasText: 'CO ·' }).getAttribute('value');
	await centre.selectOption(coValue!);
	const firstResponse = page.getByTestId('preview-first-response');
	await expect(firstResponse).toBeVisible();
	const before = await firstResponse.textContent();
	const resolutionBefore = await page.getByTestId('preview-resolution').textContent();

	// Normal priority, default column: 4 business hours -> 7.
	const target = page.getByTestId('target-normal-default-first');
	await expect(target).toHaveValue('4');
	await target.fill('7');
	await expect(firstResponse).not.toHaveText(before!);
	await expect(page.getByTestId('preview-resolution')).toHaveText(resolutionBefore!);
	await screenshot(page, 'desk-config-sla');

	await page.getByTestId('sla-save').click();
	await expect(page.getByText('Politica SLA salvata')).toBeVisible();
	const saved = (await (await page.request.get(`/api/desk-config/centers/${coValue}`)).json()) as {
		slaPolicy: {
			version: number;
			targets: Array<{ priority: string; serviceLevel: string | null; firstResponseMinutes: number }>;
		};
	};
	expect(
		saved.slaPolicy.targets.find((t) => t.priority === 'normal' && t.serviceLevel === null)
			?.firstResponseMinutes
	).toBe(420);
	expect(saved.slaPolicy.version).toBe(2);

	await page.getByTestId('desk-tab-reasons').click();
	const form = page.getByTestId('reason-form');
	await form.getByTestId('reason-code').fill('E2E_RICHIAMO');
	await form.getByTestId('reason-name').fill('Richiamo commerciale');
	await form.getByLabel('Nuovo', { exact: true }).check();
	await form.getByTestId('reason-note').selectOption('required');
	await form.getByTestId('reason-channel').selectOption('phone');
	await form.getByTestId('reason-save').click();
	const row = page.getByTestId('reasons-table').locator('tr[data-code="E2E_RICHIAMO"]');
	await expect(row).toContainText('Richiamo commerciale');
	await expect(row).toContainText('Nota obbligatoria');
	await expect(row).toContainText('Telefono');
	await screenshot(page, 'desk-config-reasons');

	// A second one with the same code is refused, naming the field in the interface's language.
	await form.getByTestId('reason-code').fill('E2E_RICHIAMO');
	await form.getByTestId('reason-name').fill('Doppione');
	await form.getByTestId('reason-save').click();
	await expect(form.getByRole('alert')).toContainText('Codice');
});

test('admin writes an assignment rule for one customer and one machine model, found from the form', async ({
	page
}) => {
	await signIn(page, 'admin');
	await page.goto('/admin/desk');
	const centre = page.getByTestId('desk-center');
	const coValue = await centre.locator('option', { hasText: 'CO ·' }).getAttribute('value');
	await centre.selectOption(coValue!);
	await page.getByTestId('desk-tab-assignment').click();

	const form = page.getByTestId('rule-form');
	await form.getByLabel('Nome', { exact: true }).fill('E2E cliente e modello');
	const model = form.getByTestId('rule-models').getByRole('checkbox').first();
	await model.check();
	await form.getByTestId('rule-customer-search').fill('Albergo Bologna');
	const hit = form.getByRole('button', { name: /^\+ Albergo Bologna/ }).first();
	const customerLabel = (await hit.textContent())!.replace(/^\+ /, '').trim();
	await hit.click();
	await expect(form.locator('.chips .badge')).toHaveCount(1);
	await expect(form.locator('.chips .badge')).toContainText(customerLabel);
	await form.getByTestId('rule-target').selectOption('manual');
	await form.getByTestId('rule-save').click();

	const row = page.getByTestId('assignment-rules').locator('tr[data-rule="E2E cliente e modello"]');
	await expect(row).toContainText('clienti: 1');
	await expect(row).toContainText('modelli: 1');
	// Editing it again shows the customer by name and the model ticked.
	await row.getByRole('button', { name: 'Modifica' }).click();
	await expect(form.locator('.chips .badge')).toContainText(customerLabel.split(' (')[0]);
	await expect(model).toBeChecked();
	await screenshot(page, 'desk-config-assignment-rule');
});
