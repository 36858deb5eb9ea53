import type { CustomerDetail } from '$lib/api/customers';

export interface RecentCustomer {
	id: string;
	code: string;
	companyName: string;
	city: string | null;
}

const limit = 8;
const storageKey = (userId: string) => `fieldline.recentCustomers.${userId}`;

/** Customer records this user opened lately, newest first, kept on this browser. */
class RecentCustomers {
	#userId: string | null = null;
	#items = $state<RecentCustomer[]>([]);

	get items(): readonly RecentCustomer[] {
		return this.#items;
	}

	/** Switches to the list of the signed-in user (the shell calls it when the user changes). */
	use(userId: string) {
		if (this.#userId === userId) return;
		this.#userId = userId;
		try {
			const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]');
			this.#items = Array.isArray(parsed) ? (parsed as RecentCustomer[]).slice(0, limit) : [];
		} catch {
			this.#items = [];
		}
	}

	remember(customer: CustomerDetail) {
		if (!this.#userId) return;
		const entry: RecentCustomer = {
			id: customer.id,
			code: customer.code,
			companyName: customer.companyName,
			city:
				customer.addresses.find((a) => a.kind === 'registered')?.city ?? customer.addresses[0]?.city ?? null
		};
		this.#items = [entry, ...this.#items.filter((item) => item.id !== customer.id)].slice(0, limit);
		try {
			localStorage.setItem(storageKey(this.#userId), JSON.stringify(this.#items));
		} catch {
			// Only a convenience: the list lives for this visit.
		}
	}
}

export const recentCustomers = new RecentCustomers();
