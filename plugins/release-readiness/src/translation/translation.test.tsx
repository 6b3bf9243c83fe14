import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  createFrontendModule,
  createTranslationMessages,
  createTranslationResource,
  TranslationMessages,
  TranslationResource,
} from '@backstage/frontend-plugin-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { releaseReadinessApiRef } from '../api';
import { EntityReadinessCard } from '../components/EntityReadinessCard';
import { VerdictLabel } from '../components/VerdictLabel';
import { releaseReadinessTranslationRef } from './index';
import { releaseReadinessTranslationRef as fromAlpha } from '../alpha';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-gateway', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

const readiness = {
  entityRef: 'component:default/payment-gateway',
  title: 'payment-gateway',
  gateOwners: [],
  checklist: [],
  earlierGates: [],
  currentGate: {
    release: '1.4.0',
    state: 'in-progress',
    evaluation: {
      verdict: 'IN PROGRESS',
      score: 61,
      blockers: [{ message: 'a' }, { message: 'b' }],
    },
  },
};

/** An app module that adds the given translation to the app. */
function appTranslation(resource: TranslationResource | TranslationMessages) {
  return createFrontendModule({
    pluginId: 'app',
    extensions: [
      TranslationBlueprint.make({
        name: 'release-readiness-test',
        params: { resource },
      }),
    ],
  });
}

const baseConfig = {
  app: { baseUrl: 'http://localhost:3000' },
  backend: { baseUrl: 'http://localhost:7007' },
};

function renderCard(options: {
  features: ReturnType<typeof appTranslation>[];
  config?: object;
}) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityReadinessCard />
    </EntityProvider>,
    {
      features: options.features,
      config: { ...baseConfig, ...options.config },
      apis: [
        [
          releaseReadinessApiRef,
          {
            getEntityReadiness: jest.fn().mockResolvedValue(readiness),
          } as any,
        ],
      ],
    },
  );
}

describe('the translation ref', () => {
  // The app keeps the reader's language in local storage: each test starts
  // with none chosen.
  beforeEach(() => window.localStorage.clear());

  it('is the one the alpha entry exports, with the plugin id', () => {
    expect(fromAlpha).toBe(releaseReadinessTranslationRef);
    expect(releaseReadinessTranslationRef.id).toBe('release-readiness');
  });

  it('shows the English messages when the app translates nothing', async () => {
    await renderCard({ features: [] });
    expect(await screen.findByText('Release 1.4.0')).toBeInTheDocument();
    expect(screen.getByText('Release readiness')).toBeInTheDocument();
    expect(screen.getByText('Score 61 / 100 · 2 blockers')).toBeInTheDocument();
  });

  it('lets an app override single messages, keeping the others in English', async () => {
    await renderCard({
      features: [
        appTranslation(
          createTranslationMessages({
            ref: releaseReadinessTranslationRef,
            messages: {
              'entityReadinessCard.title': 'Go/No-Go status',
              'entityReadinessCard.score_other':
                '{{count}} things to fix (score {{score}})',
            },
          }),
        ),
      ],
    });
    expect(await screen.findByText('Go/No-Go status')).toBeInTheDocument();
    expect(screen.getByText('2 things to fix (score 61)')).toBeInTheDocument();
    expect(screen.queryByText('Release readiness')).not.toBeInTheDocument();
    // Not overridden: still the English default.
    expect(screen.getByText('Release 1.4.0')).toBeInTheDocument();
  });

  it('shows another language when the app provides it and makes it the language', async () => {
    await renderCard({
      features: [
        appTranslation(
          createTranslationResource({
            ref: releaseReadinessTranslationRef,
            translations: {
              de: () =>
                Promise.resolve({
                  default: createTranslationMessages({
                    ref: releaseReadinessTranslationRef,
                    messages: {
                      'entityReadinessCard.title': 'Release-Bereitschaft',
                      'entityReadinessCard.release': 'Version {{release}}',
                      'entityReadinessCard.openTab':
                        'Reiter „Bereitschaft“ öffnen',
                      'entityReadinessCard.score_one':
                        'Punktzahl {{score}} / 100 · {{count}} Blocker',
                      'entityReadinessCard.score_other':
                        'Punktzahl {{score}} / 100 · {{count}} Blocker',
                    },
                  }),
                }),
            },
          }),
        ),
      ],
      config: {
        app: {
          ...baseConfig.app,
          extensions: [
            {
              'api:app/app-language': {
                config: {
                  availableLanguages: ['en', 'de'],
                  defaultLanguage: 'de',
                },
              },
            },
          ],
        },
      },
    });
    expect(await screen.findByText('Version 1.4.0')).toBeInTheDocument();
    expect(screen.getByText('Release-Bereitschaft')).toBeInTheDocument();
    expect(
      screen.getByText('Punktzahl 61 / 100 · 2 Blocker'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Release 1.4.0')).not.toBeInTheDocument();
  });

  it('translates the verdict words, which the colour never replaces', async () => {
    await renderInTestApp(<VerdictLabel verdict="NO-GO" />, {
      features: [
        appTranslation(
          createTranslationMessages({
            ref: releaseReadinessTranslationRef,
            messages: { 'verdictLabel.noGo': 'STOP' },
          }),
        ),
      ],
    });
    expect(await screen.findByText('STOP')).toBeInTheDocument();
    expect(screen.queryByText('NO-GO')).not.toBeInTheDocument();
  });
});
