import type { Plugin } from 'vite';

/**
 * `npm run dev`: the same Hono API and Socket.IO server as production, attached to Vite's
 * dev server, so the console has one origin and hot reload.
 */
export function consoleDevServer(): Plugin {
	return {
		name: 'console-dev-server',
		apply: 'serve',
		async configureServer(server) {
			if (process.env.VITEST) return;
			// Loaded through Vite so the config bundle does not swallow the whole server.
			const { startDevRuntime } = (await server.ssrLoadModule(
				'/server/dev-runtime.ts'
			)) as typeof import('./dev-runtime');
			await startDevRuntime(server);
		}
	};
}
