import {
  CHECKLIST_CATEGORIES,
  ChecklistCategory,
} from '@release-readiness/plugin-common';
import { ReleaseReadinessT } from '../../translation';

/** A checklist category in words; a category of the app's own as it is. */
export function categoryLabel(category: string, t: ReleaseReadinessT): string {
  return (CHECKLIST_CATEGORIES as readonly string[]).includes(category)
    ? t(`checklist.categories.${category as ChecklistCategory}`)
    : category;
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
