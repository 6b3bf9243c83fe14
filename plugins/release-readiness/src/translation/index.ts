import {
  createTranslationRef,
  TranslationFunction,
  TranslationRef,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { debriefMessages, insightsMessages } from './messages/debrief';
import { entityMessages } from './messages/entity';
import { gateMessages } from './messages/gate';
import { portfolioMessages } from './messages/portfolio';
import { windowMessages } from './messages/window';

/**
 * The words of the Release Readiness screens, nested by component, in
 * English. An app overrides some of them with `createTranslationMessages`
 * or translates them all with `createTranslationResource` (see the
 * package README).
 *
 * @alpha
 */
export const releaseReadinessTranslationRef = createTranslationRef({
  id: 'release-readiness',
  messages: {
    ...entityMessages,
    ...debriefMessages,
    ...insightsMessages,
    ...gateMessages,
    ...portfolioMessages,
    ...windowMessages,
  },
});

/** The messages of {@link releaseReadinessTranslationRef}, flattened. */
type ReleaseReadinessMessages =
  typeof releaseReadinessTranslationRef extends TranslationRef<
    string,
    infer TMessages
  >
    ? TMessages
    : never;

/** The translation function the screens and their helpers use. */
export type ReleaseReadinessT = TranslationFunction<ReleaseReadinessMessages>;

/** The translation function of the Release Readiness screens. */
export function useReleaseReadinessTranslation(): { t: ReleaseReadinessT } {
  return useTranslationRef(releaseReadinessTranslationRef);
}
