import type { CallerIndex } from '../callers/caller-index';
import type { DemoCalls } from '../demo/demo-calls';
import type { Context } from 'hono';
import type { DatabaseHandle } from '../../db/client';
import type { Config } from '../config';
import type { Ctx } from '../core/context';
import type { DomainEventBus } from '../core/events';
import type { ResolvedSession } from '../auth/auth.service';
import type { PresenceDirectory } from '../presence/presence.service';

/** What every request handler can reach: the process-wide services and the caller's context. */
export interface ApiDeps {
	database: DatabaseHandle;
	config: Config;
	events: DomainEventBus;
	sessionSecret: string;
	presence: PresenceDirectory;
	callerIndex?: CallerIndex;
	/** The demo switchboard's simulated calls; absent when a real PBX is configured. */
	demoCalls?: DemoCalls;
}

export type AppEnv = {
	Variables: {
		deps: ApiDeps;
		session: ResolvedSession | null;
		ctx: Ctx;
	};
};

export type AppContext = Context<AppEnv>;
