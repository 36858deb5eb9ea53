import { can } from '../auth/policy';
import { recentCallsOf } from '../calls/calls.service';
import { readableCentres, recentActivitiesOf, ticketsOfCustomer } from '../tickets/customer-tickets';
import type { CustomerReaders } from './customers.service';

/**
 * The customer page's tickets, activities and calls, read through the domains that own them:
 * tickets within the centres the reader may see, calls only for a role that may read the call log.
 */
export const customerReaders: CustomerReaders = {
	async tickets(ctx, customerId) {
		const centres = await readableCentres(ctx);
		const [tickets, recentActivities] = await Promise.all([
			ticketsOfCustomer(ctx, customerId, centres),
			recentActivitiesOf(ctx, customerId, centres)
		]);
		return { tickets, recentActivities };
	},
	recentCalls: (ctx, customerId) =>
		can(ctx.actor, 'calls:read') ? recentCallsOf(ctx, customerId) : Promise.resolve([])
};
