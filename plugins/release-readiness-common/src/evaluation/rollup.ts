import { Blocker, ConditionResult, EvaluationInput, Gate } from '../types';
import { conditionResult, fraction } from './conditions';

function isGo(state: string | undefined): boolean {
  return state === 'go' || state === 'released';
}

/**
 * Condition 8: for a system gate, the gate of every component of the system
 * for the same release is GO (decided go, or already released). Met when the
 * gate is not a system gate (no roll-up given) or the system has no
 * components. One blocker lists every component that is not GO, with its
 * state or that it has no gate for the release yet.
 */
export function evaluateRollup(
  gate: Pick<Gate, 'release'>,
  rollup: EvaluationInput['rollup'],
): ConditionResult {
  if (!rollup) {
    return conditionResult('rollup', 1, []);
  }
  const components = [...rollup.components].sort((a, b) =>
    a.entityRef.localeCompare(b.entityRef, 'en-US'),
  );
  const pending = components.filter(component => !isGo(component.state));
  const blockers: Blocker[] = [];
  if (pending.length) {
    const details = pending.map(component =>
      component.state
        ? `${component.entityRef} is ${component.state}`
        : `${component.entityRef} has no gate for release ${gate.release} yet`,
    );
    blockers.push({
      condition: 'rollup',
      message: `${components.length - pending.length} of ${
        components.length
      } components are GO for release ${
        gate.release
      }; every component's gate must be GO before the system's: ${details.join(
        '; ',
      )}`,
    });
  }
  return conditionResult(
    'rollup',
    fraction(components.length - pending.length, components.length),
    blockers,
  );
}
