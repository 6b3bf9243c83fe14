/*
 * The facilitator of a gate (issue 18): the person who runs its release
 * meeting. The seed asks to "let different engineers run the gate meeting
 * each cycle", so when a gate opens the rotation proposes, among the
 * entity's gate owners (groups resolved to their members), whoever
 * facilitated the entity's gates least recently, then least often; a gate
 * owner may then name another gate owner, or pass the turn on when the
 * facilitator is away.
 */
import { ConflictError, InputError } from '@backstage/errors';
import {
  FacilitatorRequest,
  Gate,
  GATE_STATE_LABELS,
  GateWithEvaluation,
} from '@release-readiness/plugin-common';
import type { FacilitatorTurns, GateStore } from '../database';
import type { PeopleDirectory } from '../notifications/people';
import type { EntityChanges } from './EntityChanges';
import type { GateAccess } from './GateAccess';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The rotation: among `candidates` (user refs, lower case) less the people
 * `away`, the one whose last turn is oldest (never first), then the one
 * with the fewest turns, then by ref so the answer is the same everywhere.
 */
export function proposeFacilitator(
  candidates: readonly string[],
  history: readonly FacilitatorTurns[],
  away: readonly string[] = [],
): string | undefined {
  const turns = new Map(history.map(h => [lower(h.facilitator), h]));
  const skipped = new Set(away.map(lower));
  const last = (ref: string) => {
    const at = turns.get(ref)?.lastOpenedAt;
    return at ? new Date(at).getTime() : -Infinity;
  };
  const count = (ref: string) => turns.get(ref)?.count ?? 0;
  return [...new Set(candidates.map(lower))]
    .filter(ref => !skipped.has(ref))
    .sort((a, b) => {
      if (last(a) !== last(b)) return last(a) < last(b) ? -1 : 1;
      if (count(a) !== count(b)) return count(a) - count(b);
      if (a === b) return 0;
      return a < b ? -1 : 1;
    })[0];
}

/** What the facilitator's rotation reads. */
export interface FacilitatorDeps {
  access: Pick<GateAccess, 'gateResource'>;
  people: PeopleDirectory;
  gates: Pick<GateStore, 'facilitatorHistory'>;
}

/** The people who may facilitate the entity's gates: its gate owners. */
async function candidatesOf(
  deps: FacilitatorDeps,
  entityRef: string,
): Promise<string[]> {
  const { ownerRefs } = await deps.access.gateResource(entityRef);
  const refs = await deps.people.usersOf(ownerRefs);
  return refs.filter(ref => ref.startsWith('user:'));
}

/**
 * The facilitator proposed for a gate the entity opens; none when no gate
 * owner resolves to a person. Opening a gate never waits on this failing:
 * a catalog that cannot answer leaves the gate without one, which a gate
 * owner can then set.
 */
export async function openingFacilitator(
  deps: FacilitatorDeps,
  entityRef: string,
): Promise<string | undefined> {
  try {
    const [candidates, history] = await Promise.all([
      candidatesOf(deps, entityRef),
      deps.gates.facilitatorHistory({ entityRef }),
    ]);
    return proposeFacilitator(candidates, history);
  } catch {
    return undefined;
  }
}

/**
 * Names another facilitator, or passes the turn on; the route has checked
 * that the caller is a gate owner. The person named must be a gate owner
 * (through a group counts).
 */
export async function setFacilitator(
  deps: FacilitatorDeps & { changes: EntityChanges },
  gate: Gate,
  request: FacilitatorRequest,
  actor: string,
): Promise<GateWithEvaluation> {
  const named = request.facilitator?.trim();
  if (Boolean(named) === Boolean(request.skip)) {
    throw new InputError(
      'Name the new facilitator (facilitator) or pass the turn on (skip: true), not both',
    );
  }
  // A first, friendlier answer; the check that counts is in the transaction.
  if (gate.state !== 'in-progress') {
    throw new ConflictError(
      `The gate is ${
        GATE_STATE_LABELS[gate.state].inSentence
      }; its facilitator can only be changed while it is in progress`,
    );
  }
  const candidates = await candidatesOf(deps, gate.entityRef);
  let facilitator: string;
  let skipped: string | undefined;
  if (named) {
    facilitator = lower(named.includes(':') ? named : `user:default/${named}`);
    if (!candidates.includes(facilitator)) {
      throw new InputError(
        `facilitator: ${facilitator} is not a gate owner of ${
          gate.entityRef
        }; the gate owners are ${candidates.join(', ') || 'nobody'}`,
      );
    }
  } else {
    skipped = gate.facilitator;
    const history = await deps.gates.facilitatorHistory({
      entityRef: gate.entityRef,
    });
    const next = proposeFacilitator(
      candidates,
      history,
      skipped ? [skipped] : [],
    );
    if (!next) {
      throw new ConflictError(
        `No other gate owner of ${gate.entityRef} can facilitate this gate`,
      );
    }
    facilitator = next;
  }
  return deps.changes.changeGate(gate.entityRef, stores =>
    stores.gates.setFacilitator({
      gateId: gate.id,
      facilitator,
      ...(skipped ? { skipped } : {}),
      ...(request.version !== undefined
        ? { expectedVersion: request.version }
        : {}),
      actor,
    }),
  );
}
