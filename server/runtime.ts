import type { Server as HttpServer } from 'node:http';
import { count } from 'drizzle-orm';
import { users } from '../db/schema';
import type { Config } from './config';
import { requireSessionSecret } from './config';
import { openDatabase, type OpenDatabase } from './database';
import { DomainEventBus } from './core/events';
import { createApi } from './http/api';
import { attachRealtime } from './realtime/socket-server';
import type { PresenceDirectory } from './presence/presence.service';
import { log, setLogLevel } from './core/log';
import { createFirstAdmin } from './users/first-admin';
import { startBackgroundJobs } from './jobs/background-jobs';
import { startWrapUpTimer } from './calls/wrap-up-timer';
import { CallerIndex } from './callers/caller-index';
import { DemoSwitchboard } from './demo/switchboard';
import { DemoCalls } from './demo/demo-calls';
import { attachSipWebSocket, sipWebSocketUrl } from './demo/sip-websocket';

/**
 * Everything the console runs, independent of how HTTP is served (production server or
 * Vite's dev server): database, migrations, demo data, API, realtime.
 */
export async function startRuntime(config: Config) {
	setLogLevel(config.logLevel);
	const sessionSecret = requireSessionSecret(config);
	const database: OpenDatabase = await openDatabase(config);
	try {
		await prepareData(database, config);
	} catch (error) {
		await database.close();
		throw error;
	}
	const events = new DomainEventBus();
	// Loads in the background: caller ID asks PostgreSQL until it is ready.
	const callerIndex = config.callerIndex ? new CallerIndex(database.handle.sql) : undefined;
	try {
		await callerIndex?.start();
	} catch (error) {
		await database.close();
		throw error;
	}
	// No PBX configured: the console's own switchboard, so that calls ring out of the box.
	const demoCalls = config.demoSwitchboard
		? new DemoCalls({
				switchboard: new DemoSwitchboard(),
				wsUrl: sipWebSocketUrl(config.publicOrigin),
				db: database.handle.db
			})
		: undefined;
	if (demoCalls && config.demoCallsEverySeconds) demoCalls.streamEvery(config.demoCallsEverySeconds);
	// Bound once Socket.IO is attached; until then nobody can be online.
	let presence: PresenceDirectory = { online: async () => [] };
	const api = createApi({
		database: database.handle,
		config,
		events,
		sessionSecret,
		presence: { online: () => presence.online() },
		callerIndex,
		demoCalls
	});
	let realtime: Awaited<ReturnType<typeof attachRealtime>> | undefined;
	let sipWebSocket: ReturnType<typeof attachSipWebSocket> | undefined;
	const jobs = startBackgroundJobs({ database: database.handle, events, mail: config.mail });
	const stopWrapUpTimer = startWrapUpTimer({
		actor: { kind: 'system', name: 'wrap-up' },
		db: database.handle.db,
		events
	});

	return {
		config,
		api,
		events,
		database,
		jobs,
		callerIndex,
		demoCalls,
		async attach(httpServer: HttpServer) {
			realtime = await attachRealtime(httpServer, {
				config,
				database: database.handle,
				events,
				sessionSecret,
				callerIndex
			});
			presence = realtime.presence;
			if (demoCalls) {
				sipWebSocket = attachSipWebSocket(httpServer, {
					switchboard: demoCalls.switchboard,
					config,
					database: database.handle,
					events,
					sessionSecret
				});
				log.info('demo switchboard on /sip (no SIP_WS_URL): calls ring without a PBX');
			}
			return realtime.io;
		},
		async close() {
			await jobs.stop();
			stopWrapUpTimer();
			await demoCalls?.close();
			demoCalls?.switchboard.close();
			sipWebSocket?.close();
			await realtime?.close();
			await callerIndex?.stop();
			await database.close();
		}
	};
}

export type Runtime = Awaited<ReturnType<typeof startRuntime>>;

/** First start: the demo company (embedded default) or the first administrator. */
async function prepareData(database: OpenDatabase, config: Config) {
	const [{ n }] = await database.handle.db.select({ n: count() }).from(users);
	if (n > 0) return;
	if (config.demoData) {
		const started = Date.now();
		const { seedDemo } = await import('../db/seed/demo');
		const { seedTicketsDemo } = await import('../db/seed/tickets');
		await seedDemo(database.handle.db, { log: (m) => log.info(m) });
		await seedTicketsDemo(database.handle.db, { log: (m) => log.info(m) });
		log.info('demo company created', { ms: Date.now() - started });
		return;
	}
	if (config.adminPassword) {
		await createFirstAdmin(database.handle.db, { username: 'admin', password: config.adminPassword });
		log.info('first administrator "admin" created from ADMIN_PASSWORD');
		return;
	}
	log.warn(
		'no users yet: set ADMIN_PASSWORD, or run `npm run admin:create -- <username>`, to create the first administrator'
	);
}
