import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const base = { DATABASE_URL: 'postgres://db.example/console', SESSION_SECRET: 'x'.repeat(32) };

describe('TRUST_PROXY', () => {
	it('counts trusted proxies: false is none, true is one, a number is that many', () => {
		expect(loadConfig(base).trustedProxies).toBe(0);
		expect(loadConfig({ ...base, TRUST_PROXY: 'false' }).trustedProxies).toBe(0);
		expect(loadConfig({ ...base, TRUST_PROXY: 'true' }).trustedProxies).toBe(1);
		expect(loadConfig({ ...base, TRUST_PROXY: '2' }).trustedProxies).toBe(2);
	});

	it('refuses anything else, naming the variable', () => {
		expect(() => loadConfig({ ...base, TRUST_PROXY: 'yes' })).toThrow(ConfigError);
		expect(() => loadConfig({ ...base, TRUST_PROXY: '-1' })).toThrow(/TRUST_PROXY/);
	});
});
