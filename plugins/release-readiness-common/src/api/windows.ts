/*
 * What `GET /windows` lists.
 */

import { ReleaseWindow } from '../types';

/**
 * A release window with its next occurrence, if it has one, as
 * `GET /windows` lists it.
 *
 * @public
 */
export type ReleaseWindowWithNext = ReleaseWindow & {
  next?: { start: string; end: string };
};
