import { ConflictError } from '@backstage/errors';
import { ReleaseWindow } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { toReleaseWindow } from './mappers';
import { ReleaseWindowRow } from './tables';
import { WindowStore } from './WindowStore';

/** @internal */
export class DatabaseWindowStore implements WindowStore {
  static create(options: { db: Knex }): DatabaseWindowStore {
    return new DatabaseWindowStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async listWindows(): Promise<ReleaseWindow[]> {
    const rows = await this.db<ReleaseWindowRow>('release_windows').orderBy(
      'id',
    );
    return rows.map(toReleaseWindow);
  }

  async createWindow(options: {
    window: Omit<ReleaseWindow, 'source'>;
    actor: string;
  }): Promise<ReleaseWindow> {
    const existing = await this.db<ReleaseWindowRow>('release_windows')
      .where({ id: options.window.id })
      .first();
    if (existing) {
      throw new ConflictError(
        `A release window with id ${options.window.id} exists already`,
      );
    }
    await this.db<ReleaseWindowRow>('release_windows').insert({
      id: options.window.id,
      definition: JSON.stringify(options.window),
      created_by: options.actor,
      created_at: new Date().toISOString(),
    });
    return { ...options.window, source: 'api' };
  }
}
