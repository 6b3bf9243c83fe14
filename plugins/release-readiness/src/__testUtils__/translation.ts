import { mockApis } from '@backstage/test-utils';
import {
  ReleaseReadinessT,
  releaseReadinessTranslationRef,
} from '../translation';

/**
 * The translation function with the plugin's English messages, for tests of
 * helpers that take one (outside React).
 */
export function englishT(): ReleaseReadinessT {
  const snapshot = mockApis
    .translation()
    .getTranslation(releaseReadinessTranslationRef);
  if (!snapshot.ready) {
    throw new Error('The English messages are always ready');
  }
  return snapshot.t;
}
