import http from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Api } from './http/api';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

/**
 * One HTTP server: /api/* is the Hono app, /socket.io/ is Socket.IO (attached afterwards),
 * everything else is SvelteKit's adapter-node handler.
 */
export function createConsoleServer(api: Api, sveltekit: NodeHandler) {
	const apiListener = getRequestListener(api.fetch);
	return http.createServer((req, res) => {
		const url = req.url ?? '/';
		if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')) {
			void apiListener(req, res);
			return;
		}
		sveltekit(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		});
	});
}
