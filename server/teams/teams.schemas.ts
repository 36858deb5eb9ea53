import { z } from 'zod';

export const teamView = z.object({ id: z.uuid(), name: z.string(), parentId: z.uuid().nullable() });
export type TeamView = z.infer<typeof teamView>;
