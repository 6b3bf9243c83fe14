/*
 * The blameless debrief of a gate (issue 18): what a write must hold, checked
 * before the store's transaction (which checks the gate's state and the
 * version again, where it counts).
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  DEBRIEF_FOLLOW_UPS_MAX,
  DEBRIEF_TEXT_MAX,
  DebriefRequest,
  GateDebrief,
} from '@release-readiness/plugin-common';
import type { DebriefChange, FollowUpChange } from '../database/DebriefStore';
import type { GateAccess } from './GateAccess';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Today's date in UTC, `YYYY-MM-DD`, as due dates are compared. */
export function utcDay(at: Date = new Date()): string {
  return at.toISOString().slice(0, 10);
}

function isRealDate(day: string): boolean {
  const m = DATE.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return utcDay(d) === day;
}

function text(field: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InputError(`${field}: must be text`);
  }
  const trimmed = value.trim();
  if (trimmed.length > DEBRIEF_TEXT_MAX) {
    throw new InputError(
      `${field}: at most ${DEBRIEF_TEXT_MAX} characters, not ${trimmed.length}`,
    );
  }
  return trimmed;
}

/** A follow-up's owner as stored: a user or group ref, lower case. */
function ownerRef(field: string, value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value.trim(), { defaultNamespace: 'default' });
  } catch {
    throw new InputError(
      `${field}: name a catalog user or group, such as group:default/payments`,
    );
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (kind !== 'user' && kind !== 'group') {
    throw new InputError(
      `${field}: ${value.trim()} is a ${
        ref.kind
      }; a follow-up is owned by a catalog user or group`,
    );
  }
  return `${kind}:${ref.namespace}/${ref.name}`.toLocaleLowerCase('en-US');
}

/**
 * The write as the store takes it, from the request body: answers trimmed
 * and at least one of them given; each follow-up with an action, a user or
 * group owner and a real due date, not in the past when it is new. The body's
 * shape (no other field, no person's name anywhere) the OpenAPI schema has
 * checked already; this repeats what a caller of the function would rely on.
 */
export function debriefChange(
  gateId: string,
  body: DebriefRequest,
  actor: string,
  today: string = utcDay(),
): DebriefChange {
  const allowed = new Set([
    'wentWell',
    'wentWrong',
    'toChange',
    'followUps',
    'version',
  ]);
  for (const key of Object.keys(body ?? {})) {
    if (!allowed.has(key)) {
      throw new InputError(
        `${key}: not a field of a debrief; a debrief is about the process and the system, not about people`,
      );
    }
  }
  const wentWell = text('wentWell', body.wentWell);
  const wentWrong = text('wentWrong', body.wentWrong);
  const toChange = text('toChange', body.toChange);
  if (!wentWell && !wentWrong && !toChange) {
    throw new InputError(
      'A debrief needs at least one answer: what went well, what went wrong or what to change',
    );
  }
  if (!Array.isArray(body.followUps)) {
    throw new InputError('followUps: must be a list (it may be empty)');
  }
  if (body.followUps.length > DEBRIEF_FOLLOW_UPS_MAX) {
    throw new InputError(
      `followUps: at most ${DEBRIEF_FOLLOW_UPS_MAX} actions, not ${body.followUps.length}`,
    );
  }
  const followUps: FollowUpChange[] = body.followUps.map((f, i) => {
    const field = `followUps[${i}]`;
    const action = text(`${field}.action`, f.action);
    if (!action) {
      throw new InputError(`${field}.action: say what will be done`);
    }
    if (typeof f.owner !== 'string' || !f.owner.trim()) {
      throw new InputError(
        `${field}.owner: every follow-up needs an owner, a catalog user or group`,
      );
    }
    if (typeof f.dueDate !== 'string' || !isRealDate(f.dueDate)) {
      throw new InputError(
        `${field}.dueDate: every follow-up needs a due date, YYYY-MM-DD`,
      );
    }
    if (f.id === undefined && f.dueDate < today) {
      throw new InputError(
        `${field}.dueDate: ${f.dueDate} is in the past; a new follow-up is due today (${today}) or later`,
      );
    }
    return {
      ...(f.id !== undefined ? { id: f.id } : {}),
      action,
      owner: ownerRef(`${field}.owner`, f.owner),
      dueDate: f.dueDate,
      done: f.done === true,
    };
  });
  const ids = followUps.flatMap(f => (f.id ? [f.id] : []));
  if (new Set(ids).size !== ids.length) {
    throw new InputError('followUps: the same follow-up is listed twice');
  }
  return {
    gateId,
    wentWell,
    wentWrong,
    toChange,
    followUps,
    ...(body.version !== undefined ? { expectedVersion: body.version } : {}),
    actor,
  };
}

/**
 * Checks that the follow-ups' owners the debrief does not hold already are
 * in the catalog, as the caller sees it: a 400 naming the first that is not.
 */
export async function requireKnownOwners(
  access: Pick<GateAccess, 'loadEntity'>,
  change: DebriefChange,
  before: GateDebrief | undefined,
  credentials: BackstageCredentials,
): Promise<void> {
  const known = new Set(before?.followUps.map(f => f.owner) ?? []);
  const unknown = [
    ...new Set(change.followUps.map(f => f.owner).filter(o => !known.has(o))),
  ];
  await Promise.all(
    unknown.map(async owner => {
      try {
        await access.loadEntity(parseEntityRef(owner), credentials);
      } catch (error) {
        if ((error as Error)?.name === 'NotFoundError') {
          const at = change.followUps.findIndex(f => f.owner === owner);
          throw new InputError(
            `followUps[${at}].owner: no catalog user or group named ${owner}`,
          );
        }
        throw error;
      }
    }),
  );
}
