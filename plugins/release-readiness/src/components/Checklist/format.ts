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

/** `user:default/jane.doe` → `jane.doe`. */
export function shortRef(ref: string | undefined): string {
  if (!ref) {
    return '';
  }
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':');
  return ref.slice(Math.max(slash, colon) + 1) || ref;
}
