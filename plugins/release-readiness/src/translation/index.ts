import {
  createTranslationRef,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { entityMessages } from './messages/entity';
import { gateMessages } from './messages/gate';
import { portfolioMessages } from './messages/portfolio';

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
    ...gateMessages,
    ...portfolioMessages,
  },
});

/** The translation function of the Release Readiness screens. */
export function useReleaseReadinessTranslation() {
  return useTranslationRef(releaseReadinessTranslationRef);
}

/** What {@link useReleaseReadinessTranslation} gives to helpers. */
export type ReleaseReadinessT = ReturnType<
  typeof useReleaseReadinessTranslation
>['t'];
