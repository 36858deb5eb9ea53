import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment. Parsed once at start-up; a bad value stops
 * the process with a message naming the variable, before anything listens.
 */
const optionalUrl = z
	.string()
	.trim()
	.transform((v) => (v === '' ? undefined : v))
	.pipe(z.url().optional());

const envSchema = z.object({
	NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().default('0.0.0.0'),
	DATABASE_URL: optionalUrl.optional(),
	DATA_DIR: z.string().default('./data'),
	REDIS_URL: optionalUrl.optional(),
	SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
	PUBLIC_ORIGIN: optionalUrl.optional(),
	/** Seed the demo company on an empty database. Defaults to on for the embedded database only. */
	DEMO_DATA: z.enum(['auto', 'on', 'off']).default('auto'),
	ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
	DEFAULT_COUNTRY: z
		.string()
		.regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as IT')
		.default('IT'),
	SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(120),
	SESSION_ABSOLUTE_HOURS: z.coerce.number().int().positive().default(12),
	/**
	 * Failed logins allowed per username from one address within the window; an address may
	 * fail four times as often across usernames. Counted by address, so nobody elsewhere can
	 * lock a user out.
	 */
	LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
	LOGIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
	/**
	 * Behind TLS-terminating proxies: how many of them to trust (`true` is one). The client's
	 * address is the X-Forwarded-For entry that many hops from the right; anything further left
	 * was written by the client and proves nothing.
	 */
	TRUST_PROXY: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^(true|false|\d{1,2})$/, 'must be false, true (one proxy) or the number of trusted proxies')
		.default('false')
		.transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v))),
	LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
	SIP_WS_URL: optionalUrl.optional(),
	SIP_DOMAIN: z.string().optional(),
	SIP_ICE_SERVERS: z.string().optional(),
	/**
	 * Without SIP_WS_URL the console runs its own demo switchboard at /sip so calls ring out of the
	 * box; `off` leaves the softphone without a line instead.
	 */
	DEMO_SWITCHBOARD: z.enum(['auto', 'off']).default('auto'),
	/** Demo switchboard: a simulated customer call to the ACD every N seconds from the start (off by default). */
	DEMO_CALLS: z
		.string()
		.trim()
		.toLowerCase()
		.regex(/^(off|\d{1,4})$/, 'must be off or a number of seconds (at least 10)')
		.default('off')
		.transform((v) => (v === 'off' ? null : Number(v)))
		.refine((v) => v === null || v >= 10, 'must be off or a number of seconds (at least 10)'),
	CTI_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	/** An agent's wrap-up after a call ends by itself after this many seconds. */
	WRAP_UP_MAX_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
	/** Caller ID from every number kept in memory (about 125 bytes a number); off: ask PostgreSQL. */
	CALLER_INDEX: z.enum(['on', 'off']).default('on'),
	MAP_STYLE_URL: optionalUrl.optional(),
	/** smtp://user:pass@host:587 or smtps://host:465; without it e-mails stay in the outbox, unsent. */
	SMTP_URL: optionalUrl.optional(),
	/** The sender of e-mails to customers, e.g. "Assistenza <assistenza@example.it>". */
	MAIL_FROM: z.string().trim().min(3).default('Assistenza <assistenza@localhost>'),
	/** Delivery attempts of one e-mail before it is marked failed. */
	MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
	/** Wait before the first retry; it doubles after each further failure. */
	MAIL_RETRY_SECONDS: z.coerce.number().min(0).max(86_400).default(60)
});

export type Config = ReturnType<typeof loadConfig>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env) {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
	}
	const e = parsed.data;
	const dataDir = path.resolve(e.DATA_DIR);
	const embedded = !e.DATABASE_URL;
	const port = e.PORT;
	const publicOrigin = e.PUBLIC_ORIGIN ?? `http://localhost:${port}`;
	let iceServers: Array<{ urls: string | string[]; username?: string; credential?: string }> = [];
	if (e.SIP_ICE_SERVERS) {
		try {
			iceServers = z
				.array(
					z.object({
						urls: z.union([z.string(), z.array(z.string())]),
						username: z.string().optional(),
						credential: z.string().optional()
					})
				)
				.parse(JSON.parse(e.SIP_ICE_SERVERS));
		} catch {
			throw new ConfigError(
				'Invalid configuration:\n  SIP_ICE_SERVERS: must be a JSON array of RTCIceServer'
			);
		}
	}
	// Browsers refuse ws:// from an https page, and SIP credentials must not travel in clear.
	if (e.SMTP_URL && !['smtp:', 'smtps:'].includes(new URL(e.SMTP_URL).protocol)) {
		throw new ConfigError(
			'Invalid configuration:\n  SMTP_URL: must be smtp://[user:password@]host[:port] or smtps://...'
		);
	}
	if (e.SIP_WS_URL) {
		const ws = new URL(e.SIP_WS_URL);
		const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(ws.hostname);
		if (!['ws:', 'wss:'].includes(ws.protocol) || (ws.protocol === 'ws:' && !loopback)) {
			throw new ConfigError(
				'Invalid configuration:\n  SIP_WS_URL: must be wss://host[:port][/path] (ws:// only for localhost)'
			);
		}
	}
	return {
		env: e.NODE_ENV,
		port,
		host: e.HOST,
		dataDir,
		database: embedded
			? ({ kind: 'embedded', dir: path.join(dataDir, 'postgres') } as const)
			: ({ kind: 'url', url: e.DATABASE_URL! } as const),
		redisUrl: e.REDIS_URL,
		sessionSecret: e.SESSION_SECRET ?? (embedded ? persistedSecret(dataDir) : undefined),
		publicOrigin: new URL(publicOrigin).origin,
		demoData: e.DEMO_DATA === 'auto' ? embedded : e.DEMO_DATA === 'on',
		adminPassword: e.ADMIN_PASSWORD,
		defaultCountry: e.DEFAULT_COUNTRY,
		session: {
			idleMs: e.SESSION_IDLE_MINUTES * 60_000,
			absoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000
		},
		loginThrottle: { maxFailures: e.LOGIN_MAX_FAILURES, windowMs: e.LOGIN_WINDOW_MINUTES * 60_000 },
		/** Proxies in front of the console whose X-Forwarded-* headers are believed; 0: none. */
		trustedProxies: e.TRUST_PROXY,
		logLevel: e.LOG_LEVEL,
		sip: { wsUrl: e.SIP_WS_URL, domain: e.SIP_DOMAIN, iceServers },
		/** The console's own SIP switchboard: only when no PBX is configured. */
		demoSwitchboard: !e.SIP_WS_URL && e.DEMO_SWITCHBOARD === 'auto',
		demoCallsEverySeconds: e.DEMO_CALLS,
		ctiToken: e.CTI_TOKEN,
		calls: { wrapUpMaxSeconds: e.WRAP_UP_MAX_SECONDS },
		callerIndex: e.CALLER_INDEX === 'on',
		map: { styleUrl: e.MAP_STYLE_URL },
		mail: {
			smtpUrl: e.SMTP_URL,
			from: e.MAIL_FROM,
			maxAttempts: e.MAIL_MAX_ATTEMPTS,
			retryBaseMs: e.MAIL_RETRY_SECONDS * 1000
		}
	};
}

export function requireSessionSecret(config: Config): string {
	if (!config.sessionSecret) {
		throw new ConfigError(
			'Invalid configuration:\n  SESSION_SECRET: required when DATABASE_URL is set (at least 32 characters)'
		);
	}
	return config.sessionSecret;
}

export class ConfigError extends Error {
	override name = 'ConfigError';
}

/** In embedded mode the secret is generated once and kept beside the data, so sessions survive restarts. */
function persistedSecret(dataDir: string): string {
	const file = path.join(dataDir, 'session-secret');
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	mkdirSync(dataDir, { recursive: true });
	const secret = randomBytes(32).toString('base64url');
	writeFileSync(file, secret, { mode: 0o600 });
	return secret;
}
