import type { DemoCallStarted } from '$server/demo/demo.schemas';
import { api, call } from './client';

/** Demo switchboard: a simulated customer calls me (or, for a supervisor, the ACD or `to`). */
export function startDemoCall(to?: string): Promise<DemoCallStarted> {
	return call(() => api.demo.calls.$post({ json: to ? { to } : {} }));
}
