import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';

/** The category and its ancestors: a rule on "Guasto" also matches "Guasto > Elettrico". */
export async function categoryLineage(db: DbOrTx, categoryId: string | null): Promise<string[]> {
	if (!categoryId) return [];
	const rows = await db.execute<{ id: string }>(sql`
		with recursive lineage(id, parent_id, depth) as (
			select id, parent_id, 0 from ticket_categories where id = ${categoryId}
			union all
			select c.id, c.parent_id, l.depth + 1 from ticket_categories c join lineage l on c.id = l.parent_id where l.depth < 10
		)
		select id from lineage`);
	return rows.map((r) => r.id);
}
