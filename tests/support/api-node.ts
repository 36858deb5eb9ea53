/**
 * One console server process without the SvelteKit UI, for multi-process tests:
 * `tsx tests/support/api-node.ts` with the usual environment (DATABASE_URL, REDIS_URL, PORT...).
 * Prints "ready <port>" once it listens.
 */
import { loadConfig } from '../../server/config';
import { startRuntime } from '../../server/runtime';
import { createConsoleServer } from '../../server/http-server';

const config = loadConfig();
const runtime = await startRuntime(config);
const server = createConsoleServer(runtime.api, (_req, res) => {
	res.statusCode = 404;
	res.end();
});
await runtime.attach(server);
server.listen(config.port, '127.0.0.1', () => process.stdout.write(`ready ${config.port}\n`));
process.on('SIGTERM', () => {
	server.closeAllConnections();
	server.close();
	void runtime.close().then(() => process.exit(0));
});
