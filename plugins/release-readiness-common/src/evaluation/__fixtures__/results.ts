import { ConditionId, ConditionResult, EvaluationInput } from '../../types';
import { evaluateGate } from '../evaluateGate';

/** Evaluates the input and returns one of its conditions. */
export function conditionOf(
  input: EvaluationInput,
  id: ConditionId,
): ConditionResult {
  const condition = evaluateGate(input).conditions.find(c => c.id === id);
  if (!condition) {
    throw new Error(`no condition ${id}`);
  }
  return condition;
}

/** The blocker messages of one condition. */
export function messagesOf(input: EvaluationInput, id: ConditionId): string[] {
  return conditionOf(input, id).blockers.map(b => b.message);
}
