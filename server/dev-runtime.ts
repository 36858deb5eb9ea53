import type { ViteDevServer } from 'vite';
import type { Server as HttpServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { loadConfig } from './config';
import { startRuntime } from './runtime';

/** Attaches the production API and Socket.IO to Vite's dev server (one origin, hot reload for the UI). */
export async function startDevRuntime(vite: ViteDevServer) {
	const config = loadConfig({
		NODE_ENV: 'development',
		PUBLIC_ORIGIN: 'http://localhost:5173',
		...process.env
	});
	const runtime = await startRuntime(config);
	const apiListener = getRequestListener(runtime.api.fetch);
	vite.middlewares.use((req, res, next) => {
		const url = req.url ?? '/';
		if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?'))
			return void apiListener(req, res);
		next();
	});
	if (vite.httpServer) await runtime.attach(vite.httpServer as HttpServer);
	vite.httpServer?.on('close', () => void runtime.close());
}
