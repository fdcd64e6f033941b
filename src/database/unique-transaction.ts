import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/** A write refused by a unique index. */
export function isUniqueViolation(exception: unknown): boolean {
  if (!(exception instanceof QueryFailedError)) return false;
  const code = (exception.driverError as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Runs `work` in a transaction. Two concurrent writes can both pass a "name is free" check; the unique
 * index then decides, and the loser gets `onDuplicate()` (a 409 naming the field) instead of a 500.
 */
export async function transactionUnique(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<void>,
  onDuplicate: () => Error,
): Promise<void> {
  try {
    await dataSource.transaction(work);
  } catch (error) {
    if (isUniqueViolation(error)) throw onDuplicate();
    throw error;
  }
}
