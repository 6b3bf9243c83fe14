import {
  Gate,
  GateEvaluation,
  GateWithEvaluation,
  isFinalGateState,
  outcomeNumbers,
} from '@release-readiness/plugin-common';
import {
  incidentsReadWith,
  EntityAtStart,
  EntityInfo,
  GateSummary,
  ReadinessStores,
  StoreTransactions,
} from '../database';
import { KnownEntity } from './GateAccess';
import { EvaluatedGate, GateEvaluator } from './GateEvaluator';
import type { CatalogPart } from './parts';

/** What a change learned before its transaction opened. */
export interface ChangeContext {
  /** For a system: its parts, as the catalog lists them (gates/parts.ts). */
  parts?: CatalogPart[];
  /**
   * A gate the change read in its transaction and did not write since (a
   * fact's release gate, when no vote went stale): the summary evaluates it
   * as read instead of reading it again.
   */
  gateAsRead?: Gate;
}

/** What the entity's index row keeps of its current gate. */
export function gateSummaryOf(
  gate: Gate,
  evaluation: GateEvaluation,
): GateSummary {
  const last = gate.decisions[gate.decisions.length - 1];
  // A gate that is over keeps no blockers: nothing is left to fix on a
  // release that went out (-common's gateOutcome).
  const numbers = outcomeNumbers(gate.state, {
    score: evaluation.score,
    blockers: evaluation.blockers.length,
  });
  return {
    gateId: gate.id,
    release: gate.release,
    state: gate.state,
    verdict: evaluation.verdict,
    score: numbers.score,
    blockers: numbers.blockers,
    ...(gate.plannedAt ? { plannedAt: gate.plannedAt } : {}),
    ...(last ? { lastDecision: { verdict: last.verdict, at: last.at } } : {}),
  };
}

/**
 * Which gate is the entity's current one after a change, when the change
 * cannot have moved it: the summary the transaction found names it (every
 * change of which gate is current stores the summary in its transaction),
 * and the change either was to that very gate without cancelling it, or
 * was evidence for that gate's release (evidence opens and cancels no
 * gate). Undefined when it must be read.
 */
function currentGateKnown(options: {
  changed?: Gate;
  onlyForRelease?: string;
  at: EntityAtStart;
}): { gateId: string } | undefined {
  const { changed, onlyForRelease, at } = options;
  if (!at.currentGateId) return undefined;
  if (changed) {
    return changed.id === at.currentGateId && changed.state !== 'cancelled'
      ? { gateId: changed.id }
      : undefined;
  }
  return onlyForRelease !== undefined && onlyForRelease === at.currentRelease
    ? { gateId: at.currentGateId }
    : undefined;
}

/**
 * Every change to an entity's gates runs here, in the entity's transaction,
 * and leaves the entity's portfolio summary as the change left its current
 * gate; reads of a gate come back with its evaluation.
 */
export class EntityChanges {
  private readonly committedListeners: Array<(current: EvaluatedGate) => void> =
    [];

  constructor(
    private readonly deps: {
      stores: ReadinessStores;
      transactions: StoreTransactions;
      evaluator: GateEvaluator;
    },
  ) {}

  /**
   * Calls `listener` after each change that committed, with the gate it
   * changed (for evidence: the entity's current gate) as the change left it,
   * evaluated inside the transaction.
   * A listener must not block or fail the change: it is called after the
   * commit, and what it throws is dropped; work that takes time (telling
   * people) is for it to run in the background.
   */
  onCommitted(listener: (changed: EvaluatedGate) => void): void {
    this.committedListeners.push(listener);
  }

  private committed(current: EvaluatedGate | undefined) {
    if (!current) return;
    for (const listener of this.committedListeners) {
      try {
        listener(current);
      } catch {
        // The change has committed; a listener's failure is its own.
      }
    }
  }

  /**
   * The gate with its evaluation, incidents and sign-off roles. A read
   * refreshes the entity's summary when the gate is its current one and the
   * evaluation moved with time (evidence going stale, a waiver expiring);
   * `evaluated` is the evaluation a change just stored, used as it is.
   */
  async withEvaluation(
    gate: Gate,
    known?: { entity?: KnownEntity; evaluated?: EvaluatedGate },
  ): Promise<GateWithEvaluation> {
    const evaluated =
      known?.evaluated?.gate.id === gate.id ? known.evaluated : undefined;
    const template =
      evaluated?.template ??
      (await this.deps.stores.gates.getGateTemplate({ gateId: gate.id }));
    const [evaluation, incidents] = await Promise.all([
      evaluated?.evaluation ??
        this.deps.evaluator.evaluate(gate, new Date(), {
          ...(template ? { template } : {}),
          ...(known?.entity ? { entity: known.entity } : {}),
        }),
      incidentsReadWith(gate) ??
        this.deps.stores.incidents.listIncidents({
          entityRef: gate.entityRef,
          release: gate.release,
        }),
    ]);
    if (!evaluated) {
      await this.storeSummary(gate, evaluation, known?.entity?.entity);
    }
    return {
      ...gate,
      incidents,
      signoffRoles: template?.signoffs.roles ?? [],
      signoffSelfApproval: template?.signoffs.selfApproval ?? true,
      evaluation,
    };
  }

  /**
   * Stores a gate's summary on its entity's row from an evaluation of its
   * stored state, if it is the entity's current gate (see `setGateSummary`).
   */
  private async storeSummary(
    gate: Gate,
    evaluation: GateEvaluation,
    known?: EntityInfo,
  ) {
    // A gate that is over keeps the summary the transaction that closed it
    // wrote: it is never evaluated again against today's evidence.
    if (isFinalGateState(gate.state)) return;
    await this.deps.stores.entities.setGateSummary({
      entityRef: gate.entityRef,
      gateId: gate.id,
      gateVersion: gate.version,
      summary:
        gate.state === 'cancelled'
          ? undefined
          : gateSummaryOf(gate, evaluation),
      ...(known ? { known } : {}),
    });
  }

  /**
   * Evaluates the gate now and stores its summary: for what changes an
   * evaluation outside any gate (a release window created, time passing).
   */
  async refreshSummary(gate: Gate): Promise<void> {
    if (isFinalGateState(gate.state)) return;
    await this.storeSummary(gate, await this.deps.evaluator.evaluate(gate));
  }

  /**
   * Makes a change on an entity's behalf and, in the same transaction,
   * stores the summary of the entity's current gate as the change leaves
   * it: the portfolio never shows a gate as it was before a change that
   * committed, and a change whose summary cannot be stored is not made.
   *
   * `onlyForRelease` names the one release whose gate the change can move
   * (evidence): when the entity's summary names another current release,
   * it is left as it is. Returns what the change returned and the current
   * gate, evaluated.
   */
  async changeEntity<T>(
    entityRef: string,
    change: (stores: ReadinessStores, context: ChangeContext) => Promise<T>,
    options: { onlyForRelease?: string } = {},
  ): Promise<{ result: T; current?: EvaluatedGate }> {
    const outcome = await this.inEntityTransaction(
      entityRef,
      async (stores, at, context) => {
        const result = await change(stores, context);
        const changed = result as Partial<Gate> | undefined;
        const current = await this.storeCurrentSummary(stores, entityRef, {
          context,
          at,
          ...(options.onlyForRelease !== undefined
            ? { onlyForRelease: options.onlyForRelease }
            : {}),
          ...(changed?.id && changed.entityRef === entityRef
            ? { changed: changed as Gate }
            : {}),
        });
        return { result, ...(current ? { current } : {}) };
      },
    );
    this.committed(outcome.current);
    return outcome;
  }

  /**
   * Changes a gate (see `changeEntity`) and returns it with its evaluation,
   * incidents and sign-off roles, all read inside the transaction: once it
   * has committed nothing is left to read, so a committed change is never
   * answered with an error (and an error means nothing was written).
   */
  async changeGate(
    entityRef: string,
    change: (stores: ReadinessStores, context: ChangeContext) => Promise<Gate>,
  ): Promise<GateWithEvaluation> {
    let changed: EvaluatedGate | undefined;
    const answer = await this.inEntityTransaction(
      entityRef,
      async (stores, at, context) => {
        const gate = await change(stores, context);
        const current = await this.storeCurrentSummary(stores, entityRef, {
          context,
          at,
          ...(gate.entityRef === entityRef ? { changed: gate } : {}),
        });
        let evaluated: EvaluatedGate;
        if (current?.gate.id === gate.id) {
          evaluated = current;
        } else {
          const template = await stores.gates.getGateTemplate({
            gateId: gate.id,
          });
          const evaluation = await this.deps.evaluator.evaluate(
            gate,
            new Date(),
            {
              ...(template ? { template } : {}),
              ...(context.parts ? { parts: context.parts } : {}),
              ...(gate.entityRef === entityRef
                ? { entity: { entity: at.entity } }
                : {}),
            },
            stores,
          );
          evaluated = { gate, template, evaluation };
        }
        changed = evaluated;
        // As read with the gate in this transaction, when it was.
        const incidents =
          incidentsReadWith(gate) ??
          (await stores.incidents.listIncidents({
            entityRef: gate.entityRef,
            release: gate.release,
          }));
        return {
          ...gate,
          incidents,
          signoffRoles: evaluated.template?.signoffs.roles ?? [],
          signoffSelfApproval:
            evaluated.template?.signoffs.selfApproval ?? true,
          evaluation: evaluated.evaluation,
        };
      },
    );
    this.committed(changed);
    return answer;
  }

  /**
   * Runs work in the entity's transaction (see StoreTransactions). For a
   * system, its components are asked of the catalog first, not while the
   * transaction holds the entity's row (or, on SQLite, the database).
   */
  private async inEntityTransaction<T>(
    entityRef: string,
    work: (
      stores: ReadinessStores,
      at: EntityAtStart,
      context: ChangeContext,
    ) => Promise<T>,
  ): Promise<T> {
    const parts = entityRef.startsWith('system:')
      ? await this.deps.evaluator.catalogParts(entityRef)
      : undefined;
    return this.deps.transactions.forEntity(entityRef, (stores, at) =>
      work(stores, at, parts ? { parts } : {}),
    );
  }

  /**
   * Inside a change's transaction: evaluates the entity's current gate as
   * the change left it and stores its summary on the entity's row. With
   * `onlyForRelease`, an entity whose summary names another current release
   * is left alone. Returns the current gate, evaluated, if one was.
   */
  private async storeCurrentSummary(
    stores: ReadinessStores,
    entityRef: string,
    options: {
      context: ChangeContext;
      changed?: Gate;
      onlyForRelease?: string;
      at: EntityAtStart;
    },
  ): Promise<EvaluatedGate | undefined> {
    if (
      options.onlyForRelease !== undefined &&
      options.at.currentRelease !== undefined &&
      options.at.currentRelease !== options.onlyForRelease
    ) {
      return undefined;
    }
    const ref =
      currentGateKnown(options) ??
      (await stores.entities.getCurrentGateRef({ entityRef }));
    if (!ref) {
      await stores.entities.clearGateSummary({ entityRef });
      return undefined;
    }
    // The change's own gate, as it returned it, when that is the current
    // one; else the current gate as the change read it, if it did.
    const known = [options.changed, options.context.gateAsRead].find(
      g => g?.id === ref.gateId,
    );
    const gate = known ?? (await stores.gates.getGate({ gateId: ref.gateId }))!;
    const template = await stores.gates.getGateTemplate({ gateId: gate.id });
    const evaluation = await this.deps.evaluator.evaluate(
      gate,
      new Date(),
      {
        ...(template ? { template } : {}),
        ...(options.context.parts ? { parts: options.context.parts } : {}),
        // The entity's row as the transaction took it: a change does not
        // move its catalog facts.
        entity: { entity: options.at.entity },
      },
      stores,
    );
    // A gate that is over keeps the summary written when it closed: a later
    // change on the entity (evidence, owners) does not evaluate it again.
    if (isFinalGateState(gate.state) && options.changed?.id !== gate.id) {
      return { gate, template, evaluation };
    }
    await stores.entities.setGateSummary({
      entityRef,
      gateId: gate.id,
      gateVersion: gate.version,
      summary: gateSummaryOf(gate, evaluation),
    });
    return { gate, template, evaluation };
  }
}
