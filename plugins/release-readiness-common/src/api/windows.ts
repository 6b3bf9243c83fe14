/*
 * What `GET /windows` lists.
 */

import { ReleaseWindow, ReleaseWindowVersion } from '../types';

/**
 * A release window with its occurrence open now and its next one, when it
 * has them, as `GET /windows` lists it.
 *
 * @public
 */
export type ReleaseWindowWithNext = ReleaseWindow & {
  /** The occurrence open at the time of the request. */
  current?: { start: string; end: string };
  /** The first occurrence to start after the time of the request. */
  next?: { start: string; end: string };
};

/**
 * The body of `PUT /windows/:windowId`: the whole new definition (the id
 * stays), the version it was edited from (a newer one is a 409) and why.
 *
 * @public
 */
export interface ReleaseWindowEdit {
  name: string;
  description?: string;
  kind: 'freeze' | 'train';
  cron?: string;
  duration?: string;
  timezone?: string;
  from?: string;
  to?: string;
  scope: ReleaseWindow['scope'];
  approvers?: string[];
  version: number;
  reason: string;
}

/**
 * The body of `POST /windows/:windowId/retire`.
 *
 * @public
 */
export interface ReleaseWindowRetirement {
  version: number;
  reason: string;
}

/**
 * What `GET /windows/:windowId` answers: the window (retired ones too) and
 * every version of it.
 *
 * @public
 */
export type ReleaseWindowWithHistory = ReleaseWindow & {
  history: ReleaseWindowVersion[];
};

/**
 * `GET /windows`'s query.
 *
 * @public
 */
export interface WindowsQuery {
  /** Only the windows whose scope covers this entity (a full ref). */
  entityRef?: string;
  /** `retired`: the retired windows too (not with `entityRef`). */
  include?: 'retired';
}
