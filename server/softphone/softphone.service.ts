import { eq } from 'drizzle-orm';
import { users } from '../../db/schema';
import type { Config } from '../config';
import type { ServiceArgs } from '../core/context';
import { authorize } from '../auth/policy';
import { forbidden } from '../core/errors';
import type { SoftphoneConfig } from './softphone.schemas';

/**
 * The signed-in agent's SIP credentials and the PBX settings. Only the agent's own: the
 * password never leaves the server for anyone else.
 */
export async function getSoftphoneConfig({
	ctx,
	sip,
	switchboard
}: ServiceArgs<void> & {
	sip: Config['sip'];
	/** The demo switchboard, when no PBX is configured. */
	switchboard?: { wsUrl: string; domain: string };
}): Promise<SoftphoneConfig> {
	authorize(ctx.actor, 'softphone:use');
	if (ctx.actor.kind !== 'user') throw forbidden('Only a signed-in agent has a softphone');
	const line = switchboard ?? (sip.wsUrl && sip.domain ? { wsUrl: sip.wsUrl, domain: sip.domain } : null);
	// Not an outage, a console without telephony: the softphone shows "no PBX".
	if (!line) return { line: false };
	const [user] = await ctx.db
		.select({
			displayName: users.displayName,
			extension: users.sipExtension,
			authUser: users.sipAuthUser,
			password: users.sipPassword
		})
		.from(users)
		.where(eq(users.id, ctx.actor.userId));
	// The demo switchboard knows the user from the session that opens its socket: no SIP password.
	if (!user?.extension || (!user.password && !switchboard))
		throw forbidden('You have no SIP extension: ask an administrator');
	return {
		line: true,
		wsUrl: line.wsUrl,
		domain: line.domain,
		uri: `sip:${user.extension}@${line.domain}`,
		extension: user.extension,
		authorizationUsername: user.authUser ?? user.extension,
		authorizationPassword: user.password ?? '',
		displayName: user.displayName,
		// Host candidates only with the demo switchboard: nothing leaves the LAN.
		iceServers: switchboard ? [] : sip.iceServers,
		demo: switchboard !== undefined
	};
}
