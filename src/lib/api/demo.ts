import type { DemoCallStarted, DemoStatus } from '$server/demo/demo.schemas';
import { api, call } from './client';

/** Demo switchboard: a simulated customer calls me (or, for a supervisor, the ACD or `to`). */
export function startDemoCall(to?: string): Promise<DemoCallStarted> {
	return call(() => api.demo.calls.$post({ json: to ? { to } : {} }));
}

/** The demo switchboard now (404 when a real PBX is configured). */
export function getDemoStatus(): Promise<DemoStatus> {
	return call(() => api.demo.status.$get());
}

/** A simulated ACD call every N seconds while an agent can take it; null stops the stream. */
export function setDemoCallStream(everySeconds: number | null): Promise<DemoStatus> {
	return call(() => api.demo['call-stream'].$put({ json: { everySeconds } }));
}
