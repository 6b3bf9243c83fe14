/* The words of the gate screens on the Readiness tab. */
export const gateMessages = {
  decisionPanel: {
    title: 'Decision',
    releaseState: 'Release {{release}}: {{state}}',
    lastDecision: 'Last decision: {{verdict}} by {{by}} on {{at}} — {{reason}}',
    lapsedTitle: 'The GO no longer holds',
    lapsedOverride:
      'The release is refused until every condition holds again, unless you release it anyway with a reason.',
    lapsedNoOverride:
      'The release is refused until every condition holds again; only a release manager may release it anyway.',
    notReady_one: 'GO needs every condition met: {{count}} blocker',
    notReady_other: 'GO needs every condition met: {{count}} blockers',
    reasonMissing: 'Give a reason: it is recorded in the audit trail.',
    goReasonDefault: 'Left empty, "{{reason}}" is recorded.',
    releaseEarly:
      'This release is planned for {{plannedAt}}, which is {{early}} from now. Marking it released now records that it went out ahead of its plan; the release windows are checked against now.',
    days_one: '{{count}} day',
    days_other: '{{count}} days',
    hours_one: '{{count}} hour',
    hours_other: '{{count}} hours',
    minutes_one: '{{count}} minute',
    minutes_other: '{{count}} minutes',
    actions: {
      go: {
        label: 'Record GO',
        title: 'Record a GO decision',
        description:
          'Every condition is met. The decision is recorded with the state of the gate it was taken on.',
        reasonLabel: 'Reason (optional)',
        backLabel: 'Not yet',
      },
      noGo: {
        label: 'Record NO-GO',
        title: 'Record a NO-GO decision',
        description:
          'Say why this release must not go out, so that the team knows what to fix.',
        reasonLabel: 'Reason',
        backLabel: 'Back',
      },
      reopen: {
        label: 'Reopen gate',
        title: 'Reopen the gate',
        description:
          'The gate goes back to in progress: checklist, votes and risk can change again.',
        reasonLabel: 'Reason',
        backLabel: 'Keep it as it is',
      },
      release: {
        label: 'Mark released',
        title: 'Mark the release as released',
        description: 'Record that this release went out to production.',
        reasonLabel: 'Note (optional)',
        backLabel: 'Not yet',
      },
      override: {
        label: 'Release anyway',
        title: 'Release although the GO no longer holds',
        description:
          'The GO recorded for this release no longer holds. As a release manager you may release it anyway: your reason and what no longer held are kept in the audit trail and the dossier.',
        reasonLabel: 'Reason',
        backLabel: 'Do not release',
      },
      cancel: {
        label: 'Cancel gate',
        title: 'Cancel the gate',
        description:
          'A cancelled gate cannot be reopened; a new gate must be opened for the release.',
        reasonLabel: 'Reason',
        backLabel: 'Keep gate',
      },
      rollback: {
        label: 'Record rollback',
        title: 'Record a rollback',
        description: 'Record that this release was rolled back.',
        reasonLabel: 'Reason',
        backLabel: 'Back',
      },
    },
  },
  openGateForm: {
    title: 'Open a gate for the next release',
    release: 'Release',
    releaseHelp: 'The version going out, e.g. 1.5.0',
    releaseRequired: 'Name the release, for example 1.5.0.',
    proposedFromComponents: "Proposed from the components' current gates",
    proposedFromSystems: "Proposed from the systems' current gates",
    plannedAt: 'Planned release time',
    plannedAtHelp: 'Your local time; release windows are checked against it.',
    rapidReasonRequired: 'Say why this release must be expedited.',
    otherTemplateReasonRequired:
      'Say why this template instead of the one that applies.',
    templateRequired:
      'Choose a template: none applies to this entity on its own.',
    templateRequiredClosest:
      'Choose a template: none applies to this entity on its own ({{closest}} is the closest).',
    noneAppliesPick:
      'Pick {{suggested}} below if it fits what this entity is, or ask its owners to name a template with the annotation release-readiness/template in its catalog file.',
    noneAppliesAsk:
      'Ask its owners to name a template with the annotation release-readiness/template in its catalog file.',
    template: 'Template',
    templateWhy: 'This template {{why}}.',
    templateThatApplies: 'The template that applies to this entity',
    chooseTemplate: 'Choose a template',
    appliesSuffix: ' (applies to this entity)',
    submit: 'Open gate',
  },
  releaseProposal: {
    titleComponentsWaits: 'The component releases this gate waits for',
    titleComponentsCovers: 'The component releases this gate covers',
    titleSystemsWaits: 'The system releases this gate waits for',
    titleSystemsCovers: 'The system releases this gate covers',
    hidden: 'you may not see its gates',
    noGateYet: 'no gate yet',
    noGateYetOpen: 'no gate yet: open one for {{release}} on its tab',
    current: 'release {{release}} ({{state}})',
    otherRelease:
      'its current gate is for release {{current}}, not {{release}}: it will count only with a gate for {{release}}',
    part: '{{name}}: {{text}}',
    notCounting_one: '{{count}} more does not count (see the roll-up).',
    notCounting_other: '{{count}} more do not count (see the roll-up).',
  },
  templateReasonField: {
    rapid:
      '{{title}} is an expedited (rapid) template: it skips part of the usual checks.',
    notApplicable: '{{title}} is not the template that applies to this entity.',
    notApplicableNamed:
      '{{title}} is not the template that applies to this entity ({{applicable}}).',
    needsReason:
      '{{why}} Choosing it needs a reason, which is recorded in the audit trail and shown with the gate, and the approval of release management (or the approvers the template names): GO is not possible until then.',
    whyExpedite: 'Why expedite?',
    whyTemplate: 'Why this template?',
  },
} as const;
