import { ChecklistCategory } from '@release-readiness/plugin-common';

export const CATEGORY_LABELS: Record<ChecklistCategory, string> = {
  'build-and-test': 'Build and test',
  'manual-validation': 'Manual validation',
  security: 'Security',
  compliance: 'Compliance',
  performance: 'Performance',
  documentation: 'Documentation',
  risk: 'Risk',
  communication: 'Communication',
};

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category as ChecklistCategory] ?? category;
}

/** `2030-06-12T08:10:00.000Z` → `2030-06-12 08:10 UTC`. */
export function formatTime(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const text = date.toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** `user:default/jane.doe` → `jane.doe`. */
export function shortRef(ref: string | undefined): string {
  if (!ref) {
    return '';
  }
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':');
  return ref.slice(Math.max(slash, colon) + 1) || ref;
}
