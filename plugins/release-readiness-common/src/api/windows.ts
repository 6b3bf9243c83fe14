/*
 * What `GET /windows` lists.
 */

import { ReleaseWindow } from '../types';

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
 * `GET /windows`'s query.
 *
 * @public
 */
export interface WindowsQuery {
  /** Only the windows whose scope covers this entity (a full ref). */
  entityRef?: string;
}
