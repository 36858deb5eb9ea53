import type { CustomerDetail, CustomerSummary } from '$server/customers/customers.schemas';
import { api, call } from './client';

export type { CustomerDetail, CustomerSummary };
export type Machine = CustomerDetail['machines'][number];
export type Contract = CustomerDetail['contracts'][number];
export type Phone = CustomerDetail['phones'][number];

export function listCustomers(query: { page: number; pageSize?: number; q?: string }) {
	return call(() =>
		api.customers.$get({
			query: {
				page: String(query.page),
				pageSize: String(query.pageSize ?? 25),
				...(query.q ? { q: query.q } : {})
			}
		})
	);
}

export function getCustomer(id: string): Promise<CustomerDetail> {
	return call(() => api.customers[':id'].$get({ param: { id } }));
}
