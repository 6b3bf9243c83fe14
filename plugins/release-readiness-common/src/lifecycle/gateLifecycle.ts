/*
 * The gate's lifecycle, in one place for the backend and the frontend: which
 * states there are and what they are called, which moves each state allows,
 * and in which states the checklist, the sign-offs and the risk assessment
 * may still change. The backend checks these inside the transaction that
 * writes; the frontend uses the same functions to offer only what is allowed.
 */
import { GateState } from '../types';

/** Every state of a gate, in lifecycle order. @public */
export const GATE_STATES: readonly GateState[] = [
  'in-progress',
  'go',
  'no-go',
  'released',
  'rolled-back',
  'cancelled',
];

/**
 * How a state is shown on its own (a label, a table cell) and inside a
 * sentence ("the gate is rolled back").
 *
 * @public
 */
export const GATE_STATE_LABELS: Record<
  GateState,
  { label: string; inSentence: string }
> = {
  'in-progress': { label: 'In progress', inSentence: 'in progress' },
  go: { label: 'GO', inSentence: 'GO' },
  'no-go': { label: 'NO-GO', inSentence: 'NO-GO' },
  released: { label: 'Released', inSentence: 'released' },
  'rolled-back': { label: 'Rolled back', inSentence: 'rolled back' },
  cancelled: { label: 'Cancelled', inSentence: 'cancelled' },
};

/** A state as a label; "No gate" when there is none. @public */
export function gateStateLabel(state: GateState | string | undefined): string {
  if (!state) {
    return 'No gate';
  }
  return GATE_STATE_LABELS[state as GateState]?.label ?? state;
}

/** States in which a gate's checklist, sign-offs and risk can change. @public */
export const EDITABLE_GATE_STATES: readonly GateState[] = [
  'in-progress',
  'no-go',
];

/** Whether the gate's checklist, sign-offs and risk can still change. @public */
export function isGateEditable(state: GateState): boolean {
  return EDITABLE_GATE_STATES.includes(state);
}

/**
 * Why a gate in this state takes no more edits, in words for a person; or
 * undefined when it does.
 *
 * @public
 */
export function gateClosedReason(gate: {
  state: GateState;
  release: string;
}): string | undefined {
  if (isGateEditable(gate.state)) {
    return undefined;
  }
  return `The gate for release ${gate.release} is ${
    GATE_STATE_LABELS[gate.state].inSentence
  }; its checklist, sign-offs and risk assessment are closed`;
}

/** The state in which a GO or NO-GO decision may be recorded. @public */
export const DECISION_STATES: readonly GateState[] = ['in-progress'];

/** Moves of a gate besides the GO and NO-GO decisions. @public */
export type GateTransition = 'reopen' | 'release' | 'rollback' | 'cancel';

/** Each move: the states it leaves from and the state it reaches. @public */
export const GATE_TRANSITIONS: Record<
  GateTransition,
  { from: readonly GateState[]; to: GateState }
> = {
  reopen: { from: ['no-go'], to: 'in-progress' },
  release: { from: ['go'], to: 'released' },
  rollback: { from: ['released'], to: 'rolled-back' },
  cancel: { from: ['in-progress', 'go', 'no-go'], to: 'cancelled' },
};

/** What may be done to a gate in its state, in the order it is offered. @public */
export type GateAction = 'go' | 'no-go' | GateTransition;

/** The decisions and moves a gate in this state allows. @public */
export function allowedGateActions(state: GateState): GateAction[] {
  const actions: GateAction[] = [];
  if (DECISION_STATES.includes(state)) {
    actions.push('go', 'no-go');
  }
  for (const move of ['reopen', 'release', 'rollback', 'cancel'] as const) {
    if (GATE_TRANSITIONS[move].from.includes(state)) {
      actions.push(move);
    }
  }
  return actions;
}

/**
 * Whether a new gate may be opened for the entity, given its newest gate's
 * state: when it has none, or that gate is over (released, rolled back or
 * cancelled).
 *
 * @public
 */
export function canOpenNextGate(current: GateState | undefined): boolean {
  return (
    current === undefined ||
    current === 'released' ||
    current === 'rolled-back' ||
    current === 'cancelled'
  );
}

/**
 * The states after which a gate asks for its blameless debrief: released,
 * rolled back, NO-GO and cancelled.
 *
 * @public
 */
export const DEBRIEF_STATES: readonly GateState[] = [
  'released',
  'rolled-back',
  'no-go',
  'cancelled',
];

/**
 * Whether a gate in this state asks for (and takes) a debrief.
 *
 * @public
 */
export function isDebriefDue(state: GateState): boolean {
  return DEBRIEF_STATES.includes(state);
}
