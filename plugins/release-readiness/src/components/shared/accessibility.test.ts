import { createTheme } from '@material-ui/core/styles';
import { ConditionResult } from '@release-readiness/plugin-common';
import {
  conditionChipText,
  contrastRatio,
  SUCCESS_TEXT_DARK,
  SUCCESS_TEXT_LIGHT,
  successText,
  WARNING_TEXT_DARK,
  WARNING_TEXT_LIGHT,
  warningText,
} from './accessibility';
import { outcomeColour } from '../VerdictLabel';
import { englishT } from '../../__testUtils__/translation';

describe('colours', () => {
  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // The orange the checklist used before: too faint on white.
    expect(contrastRatio('#f57c00', '#ffffff')).toBeLessThan(4.5);
  });

  it('writes warnings at 4.5:1 or more on light and dark paper', () => {
    expect(contrastRatio(WARNING_TEXT_LIGHT, '#ffffff')).toBeGreaterThanOrEqual(
      4.5,
    );
    // The portfolio's team rows shade their background.
    expect(contrastRatio(WARNING_TEXT_LIGHT, '#f5f5f5')).toBeGreaterThanOrEqual(
      4.5,
    );
    expect(contrastRatio(WARNING_TEXT_DARK, '#424242')).toBeGreaterThanOrEqual(
      4.5,
    );
    expect(warningText(createTheme({ palette: { type: 'light' } }))).toBe(
      WARNING_TEXT_LIGHT,
    );
    expect(warningText(createTheme({ palette: { type: 'dark' } }))).toBe(
      WARNING_TEXT_DARK,
    );
  });

  it('writes success at 4.5:1 or more on light and dark paper', () => {
    // The light theme's success green: too faint for text on white.
    expect(contrastRatio('#4caf50', '#ffffff')).toBeLessThan(4.5);
    expect(contrastRatio(SUCCESS_TEXT_LIGHT, '#ffffff')).toBeGreaterThanOrEqual(
      4.5,
    );
    expect(contrastRatio(SUCCESS_TEXT_LIGHT, '#f5f5f5')).toBeGreaterThanOrEqual(
      4.5,
    );
    expect(contrastRatio(SUCCESS_TEXT_DARK, '#424242')).toBeGreaterThanOrEqual(
      4.5,
    );
    expect(successText(createTheme({ palette: { type: 'light' } }))).toBe(
      SUCCESS_TEXT_LIGHT,
    );
    expect(successText(createTheme({ palette: { type: 'dark' } }))).toBe(
      SUCCESS_TEXT_DARK,
    );
  });

  it('writes every outcome at 4.5:1 or more on white and on a shaded row', () => {
    for (const kind of [
      'GO',
      'NO-GO',
      'IN PROGRESS',
      'released',
      'rolled-back',
      'cancelled',
    ] as const) {
      expect(contrastRatio(outcomeColour(kind), '#ffffff')).toBeGreaterThan(
        4.5,
      );
      expect(contrastRatio(outcomeColour(kind), '#f5f5f5')).toBeGreaterThan(
        4.5,
      );
    }
  });
});

describe('conditionChipText', () => {
  const t = englishT();
  const condition = (met: boolean, blockers: number): ConditionResult => ({
    id: 'artifacts',
    title: 'Artifacts',
    met,
    progress: met ? 1 : 0.5,
    blockers: Array.from({ length: blockers }, () => ({
      condition: 'artifacts' as const,
      message: 'mark the item',
    })),
  });

  it('names a chip by the words it shows, then whether it is met', () => {
    expect(conditionChipText(condition(false, 2), t)).toEqual({
      label: 'Artifacts · 2 blockers',
      name: 'Artifacts · 2 blockers: not met',
    });
    expect(conditionChipText(condition(true, 0), t)).toEqual({
      label: 'Artifacts',
      name: 'Artifacts: met',
    });
    expect(conditionChipText(condition(false, 1), t).label).toBe(
      'Artifacts · 1 blocker',
    );
  });

  it('always starts the name with the label (label in name)', () => {
    for (const c of [
      condition(false, 3),
      condition(true, 0),
      condition(false, 0),
    ]) {
      const { label, name } = conditionChipText(c, t);
      expect(name.startsWith(label)).toBe(true);
    }
  });
});
