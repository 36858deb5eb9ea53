import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server?.close());

// Documentation pages themselves are not API operations.
const undocumented = new Set(['/api/openapi.json', '/api/docs', '/api/docs/assets/swagger-ui-dist/{file}']);

describe('OpenAPI document', () => {
	it('documents every route the API serves', async () => {
		const doc = await (await fetch(`${server.url}/api/openapi.json`)).json();
		const documented = new Set(
			Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
				Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)
			)
		);
		const served = server.runtime.api.routes
			.filter((r) => r.method !== 'ALL')
			.map((r) => ({ method: r.method, path: r.path.replace(/:(\w+)/g, '{$1}') }))
			.filter((r) => !undocumented.has(r.path))
			.map((r) => `${r.method} ${r.path}`);
		expect(served.length).toBeGreaterThan(20);
		expect(served.filter((r) => !documented.has(r))).toEqual([]);
	});

	it('serves a browsable page that works offline', async () => {
		const page = await fetch(`${server.url}/api/docs`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('/api/docs/assets/swagger-ui-dist/swagger-ui-bundle.js');
		expect(html).not.toContain('cdn.jsdelivr.net');
		const bundle = await fetch(`${server.url}/api/docs/assets/swagger-ui-dist/swagger-ui-bundle.js`);
		expect(bundle.status).toBe(200);
	});
});
