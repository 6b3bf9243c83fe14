import knexFactory, { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useWriteAheadLog } from './sqliteJournal';

describe('useWriteAheadLog', () => {
  let dir: string;
  let db: Knex | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rr-journal-'));
  });

  afterEach(async () => {
    await db?.destroy();
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const pragma = async (name: string) => {
    const [row] = await db!.raw(`PRAGMA ${name}`);
    return Object.values(row)[0];
  };

  it('turns a database file to the write-ahead log, and every connection syncs each commit', async () => {
    db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: join(dir, 'plugin.sqlite') },
      useNullAsDefault: true,
      // A connection idle for 10 ms is closed: the next query opens another.
      pool: { min: 0, max: 1, idleTimeoutMillis: 10, reapIntervalMillis: 10 },
    });
    // As better-sqlite3 is built, a new connection under the write-ahead log
    // would sync only at checkpoints (1).
    expect(await useWriteAheadLog(db)).toBe('wal');
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(2);

    const first = await db.client.acquireConnection();
    await db.client.releaseConnection(first);
    await new Promise(resolve => setTimeout(resolve, 200));
    const second = await db.client.acquireConnection();
    await db.client.releaseConnection(second);
    // A connection opened after the first was closed syncs each commit too.
    expect(second).not.toBe(first);
    expect(await pragma('synchronous')).toBe(2);
    expect(await pragma('journal_mode')).toBe('wal');
  });

  it('leaves an in-memory database as it is', async () => {
    db = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    expect(await useWriteAheadLog(db)).toBe('memory');
  });
});
