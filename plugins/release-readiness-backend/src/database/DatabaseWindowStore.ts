import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Gate,
  ReleaseWindow,
  ReleaseWindowVersion,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { isPostgres, isUniqueViolation } from './dialect';
import { windowRecordsOf } from './gateRows';
import { toReleaseWindow } from './mappers';
import {
  ReleaseWindowRow,
  ReleaseWindowVersionRow,
  WindowExceptionRequestRow,
} from './tables';
import { toExceptionRequest, toWindowVersion } from './windowRows';
import { WindowDefinition, WindowStore } from './WindowStore';

/** @internal */
export class DatabaseWindowStore implements WindowStore {
  static create(options: { db: Knex }): DatabaseWindowStore {
    return new DatabaseWindowStore(options.db);
  }

  private constructor(private readonly db: Knex) {}

  async listWindows(
    options: { includeRetired?: boolean } = {},
  ): Promise<ReleaseWindow[]> {
    const rows = await this.db<ReleaseWindowRow>('release_windows')
      .modify(q => {
        if (!options.includeRetired) q.whereNull('retired_at');
      })
      .orderBy('id');
    return rows.map(toReleaseWindow);
  }

  async getWindow(options: {
    windowId: string;
  }): Promise<ReleaseWindow | undefined> {
    const row = await this.db<ReleaseWindowRow>('release_windows')
      .where({ id: options.windowId })
      .first();
    return row ? toReleaseWindow(row) : undefined;
  }

  async listWindowVersions(options: {
    windowId: string;
  }): Promise<ReleaseWindowVersion[]> {
    const rows = await this.db<ReleaseWindowVersionRow>(
      'release_window_versions',
    )
      .where({ window_id: options.windowId })
      .orderBy('version');
    return rows.map(toWindowVersion);
  }

  async createWindow(options: {
    window: WindowDefinition;
    actor: string;
  }): Promise<ReleaseWindow> {
    const at = new Date().toISOString();
    const exists = () =>
      new ConflictError(
        `A release window with id ${options.window.id} exists already`,
      );
    await this.db
      .transaction(async trx => {
        const existing = await trx<ReleaseWindowRow>('release_windows')
          .where({ id: options.window.id })
          .first();
        if (existing) {
          throw new ConflictError(
            `A release window with id ${options.window.id} exists already${
              existing.retired_at ? ' (retired; ids are never reused)' : ''
            }`,
          );
        }
        const definition = JSON.stringify(options.window);
        await trx<ReleaseWindowRow>('release_windows').insert({
          id: options.window.id,
          definition,
          created_by: options.actor,
          created_at: at,
          version: 1,
        });
        await trx<ReleaseWindowVersionRow>('release_window_versions').insert({
          window_id: options.window.id,
          version: 1,
          action: 'create',
          definition,
          actor: options.actor,
          at,
        });
      })
      .catch(error => {
        // Two creations of one id at once: the loser is told, not a 500.
        throw isUniqueViolation(error) ? exists() : error;
      });
    return (await this.getWindow({ windowId: options.window.id }))!;
  }

  /**
   * The window's row, locked on PostgreSQL, when it may still change at
   * `expectedVersion`: 404 when missing, 409 when retired or moved on.
   */
  private async requireChangeable(
    trx: Knex.Transaction,
    windowId: string,
    expectedVersion: number,
  ): Promise<ReleaseWindowRow> {
    const row = await trx<ReleaseWindowRow>('release_windows')
      .where({ id: windowId })
      .first()
      .modify(q => {
        if (isPostgres(trx)) q.forUpdate();
      });
    if (!row) {
      throw new NotFoundError(
        `No release window ${windowId} was created through the API`,
      );
    }
    if (row.retired_at) {
      throw new ConflictError(
        `The release window ${windowId} was retired by ${row.retired_by}; a retired window is kept as it was and cannot change`,
      );
    }
    if (Number(row.version) !== expectedVersion) {
      throw new ConflictError(
        `version: the release window ${windowId} is at version ${row.version}, not ${expectedVersion}; someone changed it since you read it: reload it and make your change again`,
      );
    }
    return row;
  }

  /**
   * Moves the window on from `row.version` (compare-and-set), writes the
   * version row, and lets the requests for the earlier version lapse.
   */
  private async bump(
    trx: Knex.Transaction,
    row: ReleaseWindowRow,
    change: {
      action: 'edit' | 'retire';
      definition: string;
      actor: string;
      reason: string;
      at: string;
      extra?: Partial<ReleaseWindowRow>;
    },
  ) {
    const version = Number(row.version) + 1;
    const updated = await trx<ReleaseWindowRow>('release_windows')
      .where({ id: row.id, version: row.version })
      .whereNull('retired_at')
      .update({
        definition: change.definition,
        version,
        updated_by: change.actor,
        updated_at: change.at,
        ...change.extra,
      });
    if (updated !== 1) {
      throw new ConflictError(
        `version: the release window ${row.id} changed while this change was made; reload it and make your change again`,
      );
    }
    await trx<ReleaseWindowVersionRow>('release_window_versions').insert({
      window_id: row.id,
      version,
      action: change.action,
      definition: change.definition,
      reason: change.reason,
      actor: change.actor,
      at: change.at,
    });
    // An exception was asked for, or approved for, the window as it was.
    await trx<WindowExceptionRequestRow>('window_exception_requests')
      .where({ window_id: row.id })
      .whereIn('state', ['open', 'approved'])
      .update({ state: 'lapsed' });
  }

  async editWindow(options: {
    window: WindowDefinition;
    expectedVersion: number;
    actor: string;
    reason: string;
  }): Promise<ReleaseWindow> {
    const at = new Date().toISOString();
    await this.db.transaction(async trx => {
      const row = await this.requireChangeable(
        trx,
        options.window.id,
        options.expectedVersion,
      );
      await this.bump(trx, row, {
        action: 'edit',
        definition: JSON.stringify(options.window),
        actor: options.actor,
        reason: options.reason,
        at,
      });
    });
    return (await this.getWindow({ windowId: options.window.id }))!;
  }

  async retireWindow(options: {
    windowId: string;
    expectedVersion: number;
    actor: string;
    reason: string;
  }): Promise<ReleaseWindow> {
    const at = new Date().toISOString();
    await this.db.transaction(async trx => {
      const row = await this.requireChangeable(
        trx,
        options.windowId,
        options.expectedVersion,
      );
      await this.bump(trx, row, {
        action: 'retire',
        definition: row.definition,
        actor: options.actor,
        reason: options.reason,
        at,
        extra: {
          retired_at: at,
          retired_by: options.actor,
          retire_reason: options.reason,
        },
      });
    });
    return (await this.getWindow({ windowId: options.windowId }))!;
  }

  // Exception requests -------------------------------------------------------

  async listExceptionRequests(options: {
    gateId: string;
    gate?: Gate;
  }): Promise<WindowExceptionRequestRecord[]> {
    const known = windowRecordsOf(options.gate, options.gateId);
    if (known) return known.requests;
    const rows = await this.db<WindowExceptionRequestRow>(
      'window_exception_requests',
    )
      .where({ gate_id: options.gateId })
      .orderBy('requested_at')
      .orderBy('id');
    return rows.map(toExceptionRequest);
  }

  async getExceptionRequest(options: {
    requestId: string;
  }): Promise<WindowExceptionRequestRecord | undefined> {
    const row = await this.db<WindowExceptionRequestRow>(
      'window_exception_requests',
    )
      .where({ id: options.requestId })
      .first();
    return row ? toExceptionRequest(row) : undefined;
  }

  async openExceptionRequest(options: {
    gateId: string;
    windowId: string;
  }): Promise<WindowExceptionRequestRecord | undefined> {
    const row = await this.db<WindowExceptionRequestRow>(
      'window_exception_requests',
    )
      .where({
        gate_id: options.gateId,
        window_id: options.windowId,
        state: 'open',
      })
      .first();
    return row ? toExceptionRequest(row) : undefined;
  }

  async addExceptionRequest(options: {
    gateId: string;
    windowId: string;
    windowVersion?: number;
    reason: string;
    requestedBy: string;
  }): Promise<WindowExceptionRequestRecord> {
    const id = randomUUID();
    await this.db<WindowExceptionRequestRow>(
      'window_exception_requests',
    ).insert({
      id,
      gate_id: options.gateId,
      window_id: options.windowId,
      window_version: options.windowVersion ?? null,
      reason: options.reason,
      requested_by: options.requestedBy,
      requested_at: new Date().toISOString(),
      state: 'open',
      decided_by: null,
      decision_reason: null,
      decided_at: null,
    });
    return (await this.getExceptionRequest({ requestId: id }))!;
  }

  async closeExceptionRequest(options: {
    requestId: string;
    state: 'approved' | 'rejected';
    decidedBy: string;
    reason: string;
  }): Promise<WindowExceptionRequestRecord> {
    const updated = await this.db<WindowExceptionRequestRow>(
      'window_exception_requests',
    )
      .where({ id: options.requestId, state: 'open' })
      .update({
        state: options.state,
        decided_by: options.decidedBy,
        decision_reason: options.reason,
        decided_at: new Date().toISOString(),
      });
    const request = await this.getExceptionRequest({
      requestId: options.requestId,
    });
    if (!request) {
      throw new NotFoundError(`No exception request ${options.requestId}`);
    }
    if (updated !== 1) {
      throw new ConflictError(
        `The exception request is ${request.state}${
          request.decidedBy ? ` (by ${request.decidedBy})` : ''
        }, no longer open`,
      );
    }
    return request;
  }
}
