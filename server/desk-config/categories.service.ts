import { and, eq, ne } from 'drizzle-orm';
import { ticketCategories } from '../../db/schema';
import type { ServiceArgs } from '../core/context';
import { badRequest, conflict, notFound } from '../core/errors';
import type { CategoryConfig, CategoryInput } from './desk-config.schemas';
import { writeCenterConfig, type WriteTx } from './desk-config.service';

// Rules match a category through its ancestors, read up to this depth (server/tickets/categories.ts).
const MAX_DEPTH = 10;

const view = {
	id: ticketCategories.id,
	parentId: ticketCategories.parentId,
	code: ticketCategories.code,
	name: ticketCategories.name,
	sortOrder: ticketCategories.sortOrder,
	active: ticketCategories.active
};

/** The parent must be a category of the same centre, and not the category itself or one below it. */
async function checkCategory(
	{ db }: WriteTx,
	centerId: string,
	input: CategoryInput,
	id: string | null
): Promise<void> {
	const [taken] = await db
		.select({ id: ticketCategories.id })
		.from(ticketCategories)
		.where(
			and(
				eq(ticketCategories.serviceCenterId, centerId),
				eq(ticketCategories.code, input.code),
				id ? ne(ticketCategories.id, id) : undefined
			)
		);
	if (taken) throw conflict(`code: ${input.code} is already a category of this centre`, 'code');
	if (!input.parentId) return;
	const tree = await db
		.select({ id: ticketCategories.id, parentId: ticketCategories.parentId })
		.from(ticketCategories)
		.where(eq(ticketCategories.serviceCenterId, centerId));
	const parentOf = new Map(tree.map((c) => [c.id, c.parentId]));
	if (!parentOf.has(input.parentId))
		throw badRequest('parentId: not a category of this service centre', 'parentId');
	let depth = 1;
	for (let at: string | null | undefined = input.parentId; at; at = parentOf.get(at)) {
		if (at === id) throw badRequest('parentId: a category cannot be placed below itself', 'parentId');
		if (++depth > MAX_DEPTH) throw badRequest(`parentId: at most ${MAX_DEPTH} levels`, 'parentId');
	}
}

export async function createCategory({
	ctx,
	input
}: ServiceArgs<{ centerId: string; category: CategoryInput }>): Promise<CategoryConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await checkCategory(tx, center.id, input.category, null);
		const [created] = await tx.db
			.insert(ticketCategories)
			.values({ ...input.category, serviceCenterId: center.id })
			.returning(view);
		return created;
	});
}

/** Also deactivates (`active: false`): tickets keep their category, new tickets cannot use it. */
export async function updateCategory({
	ctx,
	input
}: ServiceArgs<{ centerId: string; id: string; category: CategoryInput }>): Promise<CategoryConfig> {
	return writeCenterConfig(ctx, input.centerId, async (tx, center) => {
		await checkCategory(tx, center.id, input.category, input.id);
		const [updated] = await tx.db
			.update(ticketCategories)
			.set(input.category)
			.where(and(eq(ticketCategories.id, input.id), eq(ticketCategories.serviceCenterId, center.id)))
			.returning(view);
		if (!updated) throw notFound('Category');
		return updated;
	});
}
