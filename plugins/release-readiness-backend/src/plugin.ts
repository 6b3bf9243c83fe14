import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { registerActions } from './actions/registerActions';
import { ReadinessNotifier } from './notifications/ReadinessNotifier';
import { requestDueSignoffs } from './notifications/requestSignoffs';
import { catalogPeople } from './notifications/people';
import { SignoffRequestSender } from './notifications/signoffSender';
import { readDigestSettings } from './notifications/config';
import { signalGateChanged } from './notifications/gateSignals';
import { runReminders, scheduleReminders } from './tasks/reminders';
import { releaseReadinessPermissions } from '@release-readiness/plugin-common';
import {
  EvidenceProvider,
  IncidentSource,
  releaseReadinessEvidenceProvidersExtensionPoint,
  releaseReadinessIncidentSourcesExtensionPoint,
} from '@release-readiness/plugin-node';
import { connectIncidentSources } from './providers/IncidentSources';
import {
  EvidenceCollector,
  pluginEntityLoader,
} from './providers/EvidenceCollector';
import { readEvidenceProviderSettings } from './providers/config';
import {
  applyDatabaseMigrations,
  DatabaseApprovalStore,
  DatabaseDebriefStore,
  DatabaseAuditLog,
  DatabaseEntityIndexStore,
  DatabaseEvidenceCollectionStore,
  DatabaseEvidenceStore,
  DatabaseGateStore,
  DatabaseIncidentStore,
  DatabaseNotificationClaimStore,
  DatabaseNotificationDeliveryStore,
  DatabasePortfolioStore,
  DatabaseStoreTransactions,
  DatabaseWindowStore,
} from './database';
import { syncEntityIndex } from './tasks/syncEntityIndex';
import { gatePermissionResourceRef, gatePermissionRules } from './permissions';
import { createGateDomain, readMaxClockSkew, readRollupRules } from './gates';
import { createRouter } from './routes/router';
import {
  runSummaryRefresh,
  scheduleSummaryRefresh,
} from './tasks/summaryRefresh';
import { loadTemplates } from './templates/loadTemplates';
import { loadWindows } from './windows/loadWindows';

/**
 * The Release Readiness backend plugin, mounted at `/api/release-readiness`.
 *
 * @public
 */
export const releaseReadinessPlugin = createBackendPlugin({
  pluginId: 'release-readiness',
  register(env) {
    // Backend modules add evidence providers before the plugin starts.
    const providers: EvidenceProvider[] = [];
    env.registerExtensionPoint(
      releaseReadinessEvidenceProvidersExtensionPoint,
      {
        addProvider(...added) {
          providers.push(...added);
        },
      },
    );
    // ... and incident sources (webhooks from incident tools).
    const incidentSources: IncidentSource[] = [];
    env.registerExtensionPoint(releaseReadinessIncidentSourcesExtensionPoint, {
      addSource(...added) {
        incidentSources.push(...added);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const templates = await loadTemplates(deps.config);
        deps.logger.info(
          `Loaded ${templates.length} gate templates: ${templates
            .map(t => `${t.name}@${t.version}`)
            .join(', ')}`,
        );
        const db = await applyDatabaseMigrations(deps.database, deps.logger);
        const entities = DatabaseEntityIndexStore.create({ db });
        const gates = DatabaseGateStore.create({ db });
        const audit = DatabaseAuditLog.create({ db });
        const evidence = DatabaseEvidenceStore.create({ db });
        const windows = DatabaseWindowStore.create({ db });
        const incidents = DatabaseIncidentStore.create({ db });
        const notificationClaims = DatabaseNotificationClaimStore.create({
          db,
        });
        const portfolio = DatabasePortfolioStore.create({ db });
        const debriefs = DatabaseDebriefStore.create({ db });
        const configWindows = loadWindows(deps.config);
        const domain = createGateDomain({
          catalog: deps.catalog,
          permissions: deps.permissions,
          userInfo: deps.userInfo,
          auth: deps.auth,
          stores: {
            entities,
            gates,
            audit,
            evidence,
            windows,
            incidents,
            approvals: DatabaseApprovalStore.create({ db }),
          },
          transactions: DatabaseStoreTransactions.create({ db }),
          rollupRules: readRollupRules(deps.config),
          templates,
          configWindows,
        });

        const people = catalogPeople({
          catalog: deps.catalog,
          auth: deps.auth,
        });
        const notifier = new ReadinessNotifier(
          deps.notifications,
          deps.logger,
          {
            people,
            claims: notificationClaims,
          },
        );
        const signoffSender = new SignoffRequestSender({
          notifier,
          people,
          deliveries: DatabaseNotificationDeliveryStore.create({ db }),
          digest: readDigestSettings(deps.config),
        });
        // Notifications go out after the answer; a stopping backend lets the
        // ones under way finish (each is bounded by the notifier's timeout).
        deps.lifecycle.addShutdownHook(() => notifier.settled());
        // Whom a committed change makes due to act: the voters of a role
        // once the gate is ready for their sign-off, told once per role.
        domain.changes.onCommitted(current =>
          notifier.later(
            `the sign-off requests of gate ${current.gate.id}`,
            () =>
              requestDueSignoffs({
                current,
                access: domain.access,
                claims: notificationClaims,
                sender: signoffSender,
              }),
          ),
        );
        // Tabs open on a changed gate hear of it at once (they poll too).
        domain.changes.onCommitted(current => {
          signalGateChanged(deps.signals, current).catch(e =>
            deps.logger.debug(
              `Could not signal the change of gate ${current.gate.id}: ${e}`,
            ),
          );
        });
        await scheduleReminders({
          scheduler: deps.scheduler,
          logger: deps.logger,
          run: () =>
            runReminders({
              domain,
              gates,
              entities,
              notificationClaims,
              notifier,
              digests: signoffSender,
              debriefs,
            }),
          ...(deps.config.has('releaseReadiness.reminders')
            ? {
                schedule: readSchedulerServiceTaskScheduleDefinitionFromConfig(
                  deps.config.getConfig('releaseReadiness.reminders'),
                ),
              }
            : {}),
        });
        const refreshSummariesNow = await scheduleSummaryRefresh({
          scheduler: deps.scheduler,
          logger: deps.logger,
          run: () => runSummaryRefresh({ domain, gates, logger: deps.logger }),
          ...(deps.config.has('releaseReadiness.summaryRefresh')
            ? {
                schedule: readSchedulerServiceTaskScheduleDefinitionFromConfig(
                  deps.config.getConfig('releaseReadiness.summaryRefresh'),
                ),
              }
            : {}),
        });
        const refresh = deps.config.has('releaseReadiness.entityIndexRefresh')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              deps.config.getConfig('releaseReadiness.entityIndexRefresh'),
            )
          : {
              frequency: { minutes: 30 },
              timeout: { minutes: 15 },
              initialDelay: { seconds: 20 },
            };
        await deps.scheduler.scheduleTask({
          id: 'release-readiness-entity-index',
          ...refresh,
          fn: async () => {
            const { upserted, removed } = await syncEntityIndex({
              catalog: deps.catalog,
              auth: deps.auth,
              entities,
              templates,
            });
            deps.logger.info(
              `Entity index refreshed: ${upserted} entities, ${removed} removed`,
            );
          },
        });
        registerActions({
          actionsRegistry: deps.actionsRegistry,
          domain,
          gates,
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: gatePermissionResourceRef,
          permissions: releaseReadinessPermissions,
          rules: Object.values(gatePermissionRules),
          getResources: refs =>
            Promise.all(refs.map(ref => domain.access.gateResource(ref))),
        });

        const maxClockSkewMs = readMaxClockSkew(deps.config);
        const providerSettings = readEvidenceProviderSettings(deps.config);
        const evidenceCollector = new EvidenceCollector({
          providers,
          entities: pluginEntityLoader(domain.access, deps.auth),
          changes: domain.changes,
          evidence,
          collections: DatabaseEvidenceCollectionStore.create({ db }),
          logger: deps.logger,
          timeoutMs: providerSettings.timeoutMs,
          maxClockSkewMs,
        });
        if (evidenceCollector.hasProviders) {
          deps.logger.info(
            `Evidence providers: ${providers.map(p => p.id).join(', ')}`,
          );
          await deps.scheduler.scheduleTask({
            id: 'release-readiness-evidence-providers',
            ...providerSettings.schedule,
            fn: async () => {
              const { gates: visited } =
                await evidenceCollector.collectOpenGates(
                  async (entityRef, release) =>
                    (await gates.getReleaseGate({ entityRef, release })) ??
                    undefined,
                );
              deps.logger.info(
                `Evidence providers asked for ${visited} open gates`,
              );
            },
          });
        }

        connectIncidentSources({
          sources: incidentSources,
          incidents,
          auditor: deps.auditor,
          logger: deps.logger,
          maxClockSkewMs,
        });

        deps.httpRouter.use(
          await createRouter({
            logger: deps.logger,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            domain,
            entities,
            gates,
            audit,
            evidence,
            windows,
            incidents,
            portfolio,
            debriefs,
            notifier,
            refreshSummariesNow,
            maxClockSkewMs,
            evidenceCollector,
          }),
        );
        deps.httpRouter.addAuthPolicy({
          path: '/health',
          allow: 'unauthenticated',
        });
        deps.httpRouter.addAuthPolicy({
          path: '/openapi.json',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
