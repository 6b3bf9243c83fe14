/**
 * Runs reads through the stores: at once on the pool, one after the other
 * in a transaction (a connection running one query at a time, the driver
 * would queue them anyway and `pg` deprecates being asked to).
 */
export async function readAll<T extends readonly unknown[]>(
  stores: { inTransaction?: boolean },
  reads: { [K in keyof T]: () => Promise<T[K]> },
): Promise<T> {
  if (!stores.inTransaction) {
    return Promise.all(reads.map(read => read())) as unknown as Promise<T>;
  }
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as unknown as T;
}
