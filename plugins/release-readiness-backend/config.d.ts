import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  /** Settings of the Release Readiness backend plugin. */
  releaseReadiness?: {
    /**
     * Gate template files (YAML), relative to the backend's working
     * directory. A file that cannot be read or is not a valid template stops
     * the backend at start-up with the file, the path in it and what is wrong.
     */
    templates?: string[];
    /**
     * Groups of `ReleaseReadinessPolicy`, the permission policy this package
     * offers (the demo app installs it).
     */
    policy?: {
      /** Members may do everything. Default: group:default/platform-admins. */
      adminGroups?: string[];
      /** Members may decide on any gate. Default: group:default/release-management. */
      releaseManagerGroups?: string[];
      /**
       * Members may report incidents on any entity (an entity's gate owners
       * may on theirs, incident tools with service tokens on any).
       * Default: group:default/incident-management.
       */
      incidentManagerGroups?: string[];
    };
    /** How CI evidence is received. */
    evidence?: {
      /**
       * How far in the future an evidence's `observedAt` may lie, for the
       * clocks of CI runners that run ahead of the backend's; later is a 400.
       * A duration object (`{ minutes: 5 }`) or an ISO 8601 duration
       * (`PT5M`). Default: 5 minutes.
       */
      maxClockSkew?: HumanDuration | string;
    };
    /**
     * When background reminders run (freezes about to start, stale evidence)
     * and the held sign-off requests go out as digests: a scheduler task
     * definition (`frequency`, `timeout`, `initialDelay`, `scope`). Default:
     * every 15 minutes, first a minute after start. Each run pages through
     * the live gates.
     */
    reminders?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * Evidence providers: backend modules that collect evidence from the
     * tools teams already run (the evidence providers extension point of
     * `@release-readiness/plugin-node`). They are asked when a gate opens,
     * when someone presses "Refresh evidence" on the tab, and on this
     * schedule for every open gate.
     */
    evidenceProviders?: {
      /**
       * How long one provider may take for one release before its attempt
       * is recorded as "could not collect": a duration object
       * (`{ seconds: 30 }`) or an ISO 8601 duration. Default: 30 seconds.
       */
      timeout?: HumanDuration | string;
      /**
       * When the scheduled collection runs: a scheduler task definition.
       * Default: every 30 minutes, first two minutes after start.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** Notifications sent through Backstage's notifications backend. */
    notifications?: {
      /**
       * How many sign-off notifications (topic `Sign-off needed`) a person
       * gets at most: up to `maxPerPeriod` single requests in any `period`;
       * the requests beyond wait and go out as one digest (which counts as
       * one) from a reminders run once the person has room again. Other
       * topics are not limited. A wrong value stops the backend at start-up,
       * naming the key.
       */
      digest?: {
        /**
         * Sign-off notifications per person and period, a whole number of 1
         * or more. Default: 3.
         */
        maxPerPeriod?: number;
        /**
         * The period, a sliding window: a duration object (`{ hours: 1 }`)
         * or an ISO 8601 duration (`PT1H`), longer than zero.
         * Default: 1 hour.
         */
        period?: HumanDuration | string;
      };
    };
    /**
     * When the background pass over the portfolio's gate summaries runs
     * (for what changes an evaluation without touching its gate: time, and
     * release windows created through the API, which also start a pass at
     * once): a scheduler task definition. Default: every 15 minutes, first
     * two minutes after start. Each run evaluates every entity's current gate.
     */
    summaryRefresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * When the entity index is refreshed from the catalog (a scheduler task
     * definition). Default: every 30 minutes, first 20 seconds after start.
     */
    entityIndexRefresh?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * Which parts a system gate's roll-up leaves out (a domain's, too). A
     * system or domain may also name parts in its
     * `release-readiness/rollup-exclude` annotation, and a gate template
     * may replace each list for its own gates (`spec.rollup`).
     */
    rollup?: {
      /** Parts of these `spec.type`s do not count. Default: [library]. */
      excludeTypes?: string[];
      /**
       * Parts of these `spec.lifecycle`s do not count.
       * Default: [deprecated, experimental].
       */
      excludeLifecycles?: string[];
      /** Parts with any of these `metadata.tags` do not count. Default: []. */
      excludeTags?: string[];
    };
    /**
     * Release trains (releases only inside) and freezes (never inside).
     * Recurring: `cron` start times in `timezone` (IANA, default UTC), each
     * lasting `duration` (ISO 8601, e.g. PT6H30M). One-off: `from`-`to`.
     */
    windows?: Array<{
      id: string;
      name: string;
      description?: string;
      kind: 'freeze' | 'train';
      cron?: string;
      duration?: string;
      timezone?: string;
      from?: string;
      to?: string;
      scope: {
        all?: boolean;
        systems?: string[];
        entities?: string[];
        tags?: string[];
      };
      /** Who approves exceptions; each listed group or user must approve. */
      approvers?: string[];
    }>;
  };
}
