import { realtime } from '$lib/realtime/socket.svelte';
import type { TelephonySocket } from './desk.svelte';

/** The desk's view of the console's one socket. */
export const telephonySocket: TelephonySocket = {
	request: ((event: 'call:report' | 'agent:state', payload: never) =>
		realtime.request(event, payload)) as TelephonySocket['request'],
	onCallChanged: (listener) => realtime.on('call:changed', (change) => change.data && listener(change.data)),
	onAgentState: (listener) => realtime.on('agent:state', listener),
	onResync: (listener) => realtime.onResync(listener)
};
