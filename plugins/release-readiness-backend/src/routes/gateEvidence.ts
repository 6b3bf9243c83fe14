import {
  GateEvidencePage,
  gateReadPermission,
} from '@release-readiness/plugin-common';
import { InputError } from '@backstage/errors';
import type { EvidencePosition } from '../database/EvidenceStore';
import type { ReadinessRouter, RouterOptions } from './types';

/** Facts per page unless `limit` says otherwise, and the most it may say. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

/** The opaque cursor of the page after `last`: where it stands in the list. */
export function evidenceCursor(last: EvidencePosition): string {
  return Buffer.from(
    JSON.stringify([last.observedAt, last.receivedAt, last.id]),
  ).toString('base64url');
}

function readCursor(value: unknown): EvidencePosition | undefined {
  if (value === undefined) return undefined;
  const refused = new InputError(
    'cursor: not a cursor this API gave; pass the nextCursor of the previous page as it was',
  );
  if (typeof value !== 'string' || value.length > 400) throw refused;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !parsed.every(part => typeof part === 'string') ||
    Number.isNaN(Date.parse(parsed[0])) ||
    Number.isNaN(Date.parse(parsed[1]))
  ) {
    throw refused;
  }
  const [observedAt, receivedAt, id] = parsed as string[];
  return { observedAt, receivedAt, id };
}

function readLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InputError(
      `limit: ${JSON.stringify(
        value,
      )} is not a whole number from 1 to ${MAX_LIMIT}`,
    );
  }
  return limit;
}

/**
 * `GET /gates/:gateId/evidence?limit=&cursor=`: every fact CI and the
 * providers posted for the gate's entity and release, newest observed
 * first, a page at a time (issue 20). A gate's detail carries only its
 * evaluation of the newest facts; this is where the rest is read, for
 * whoever may read the gate.
 */
export function registerGateEvidenceRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, evidence } = options;

  router.get('/gates/:gateId/evidence', async (req, res) => {
    const limit = readLimit(req.query.limit);
    const after = readCursor(req.query.cursor);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const gate = await domain.access.requireGate(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    // One more than the page: whether another page follows.
    const facts = await evidence.pageEvidence({
      entityRef: gate.entityRef,
      release: gate.release,
      limit: limit + 1,
      ...(after ? { after } : {}),
    });
    const items = facts.slice(0, limit);
    const body: GateEvidencePage = {
      gateId: gate.id,
      items,
      ...(facts.length > limit
        ? { nextCursor: evidenceCursor(items[items.length - 1]) }
        : {}),
    };
    res.json(body);
  });
}
