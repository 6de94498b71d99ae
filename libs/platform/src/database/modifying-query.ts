import type { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE (… RETURNING) and gives back its returned rows. TypeORM's `manager.query`
 * answers those two commands with `[rows, rowCount]` instead of the rows (SELECT and INSERT give the
 * rows), so `(await manager.query('UPDATE …')).length` is always 2: use this instead.
 */
export async function modifyingQuery<T = Record<string, unknown>>(manager: EntityManager, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result: unknown = await manager.query(sql, parameters);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
