// See https://svelte.dev/docs/kit/types#app.d.ts
import type { ConsoleSocket } from '$lib/realtime/socket.svelte';
import type { DialRequest } from '$lib/calls/dial';

declare global {
	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}

	interface WindowEventMap {
		/** Click-to-call: any phone number button asks the softphone to dial. */
		'console:dial': CustomEvent<DialRequest>;
	}

	interface Window {
		/** Set by browser tests before the app loads, to observe the socket. */
		__consoleTestHooks?: boolean;
		__consoleSocket?: ConsoleSocket;
	}
}

export {};
