/*
 * The body and answer of `POST /evidence/batch`, and the pages of
 * `GET /gates/{gateId}/evidence`.
 */

import { Evidence } from '../types';

/**
 * One fact, as `POST /evidence` takes it.
 *
 * @public
 */
export interface EvidencePost {
  entityRef: string;
  release: string;
  type: string;
  status: 'passed' | 'failed' | 'error' | 'unknown';
  metrics?: Record<string, number | boolean | string>;
  link?: string;
  commit?: string;
  runId: string;
  /** ISO 8601; by default when the backend receives it. */
  observedAt?: string;
}

/**
 * The body of `POST /evidence/batch`: up to 500 facts.
 *
 * @public
 */
export interface EvidenceBatchRequest {
  evidence: EvidencePost[];
}

/**
 * What became of one fact of a batch, at its index in the request: the
 * status `POST /evidence` would have answered (201 stored, 200 a repeat of
 * a stored run, 400, 403, 404, 409 refused, 500 or 503 not stored).
 *
 * @public
 */
export interface EvidenceBatchResult {
  index: number;
  status: number;
  /** The stored evidence (201, 200). */
  evidenceId?: string;
  /** Why it was refused or not stored. */
  error?: { name: string; message: string };
}

/**
 * The answer of `POST /evidence/batch` (200 whenever the batch itself was
 * readable): a result per fact, in the request's order, and the counts.
 *
 * @public
 */
export interface EvidenceBatchResponse {
  created: number;
  unchanged: number;
  failed: number;
  results: EvidenceBatchResult[];
}

/**
 * The answer of `GET /gates/{gateId}/evidence`: one page of the facts of
 * the gate's entity and release, newest observed first, and the cursor of
 * the next page while there is one.
 *
 * @public
 */
export interface GateEvidencePage {
  gateId: string;
  items: Evidence[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}
