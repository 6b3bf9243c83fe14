/*
 * The words of the entity screens around a gate: the overview card, the
 * roll-up, the history, the verdict labels and the shared bits.
 */
export const entityMessages = {
  readinessContent: {
    gateOwners: 'Gate owners',
    noOwners:
      'Nobody owns this entity in the catalog, so nobody can keep its gate yet. Set {{field}} in its catalog file.',
    catalogOwner: 'Catalog owner:',
    alsoAssigned: 'Also assigned:',
    template: 'Template: {{title}} (tier {{tier}}, version {{version}})',
    reload: 'Reload',
    newEvidence:
      'New evidence arrived from a pipeline — reload to see the gate as it is now.',
    updatedBy: 'Updated by {{by}} — reload to see the gate as it is now.',
    someoneElse: 'someone else',
    readOnly:
      'You can follow this gate but not change it: only its gate owners and release managers can. Sign-off roles you belong to still let you vote below.',
    readOnlyOwners:
      'You can follow this gate but not change it: only its gate owners ({{owners}}) and release managers can. Sign-off roles you belong to still let you vote below.',
    noGateTitle: 'No release gate yet',
    noGateDescription:
      '{{title}} has no release gate yet. When a release of {{title}} is on its way to production, its gate owners open a gate for it here.',
  },
  entityReadinessCard: {
    title: 'Release readiness',
    openTab: 'Open the Readiness tab',
    noGate: 'No release gate yet. {{link}}.',
    openOne: 'Open one on the Readiness tab',
    release: 'Release {{release}}',
    score_one: 'Score {{score}} / 100 · {{count}} blocker',
    score_other: 'Score {{score}} / 100 · {{count}} blockers',
  },
  verdictLabel: {
    go: 'GO',
    noGo: 'NO-GO',
    inProgress: 'IN PROGRESS',
  },
  gateState: {
    label: {
      inProgress: 'In progress',
      go: 'GO',
      noGo: 'NO-GO',
      released: 'Released',
      rolledBack: 'Rolled back',
      cancelled: 'Cancelled',
      none: 'No gate',
    },
    inSentence: {
      inProgress: 'in progress',
      go: 'GO',
      noGo: 'NO-GO',
      released: 'released',
      rolledBack: 'rolled back',
      cancelled: 'cancelled',
    },
    finalSentence: {
      released: 'Release {{release}} went out; its gate is closed.',
      rolledBack:
        'Release {{release}} went out and was rolled back; its gate is closed.',
      cancelled:
        'Release {{release}} was cancelled before it went out; its gate is closed.',
    },
  },
  shared: {
    notAllowedToDecide: 'Only the gate owners or a release manager can decide.',
    peopleSeparator: ', ',
    peopleLastSeparator: ' and ',
    noValue: '—',
  },
  pendingApprovals: {
    title: 'Pending approvals',
    approve: 'Approve',
    onlyMayApprove: 'Only {{approvers}} may approve.',
    onlyMayApproveNot: 'Only {{approvers}} may approve, not {{guarded}}.',
    approversSeparator: ' or ',
  },
  facilitator: {
    title: 'Facilitator',
    runs: '{{name}} runs the release meeting of this gate.',
    none: 'No facilitator yet: name a gate owner below.',
    rotation:
      'Proposed when the gate opened, in turn among the gate owners: whoever facilitated least recently, then least often.',
    skip: 'Pass the turn on',
    skipAria: 'Pass the turn on: {{name}} is away',
    field: 'Another gate owner (user name or ref)',
    missing: 'Name the gate owner who runs the meeting instead.',
    save: 'Make facilitator',
    conflict:
      '{{message}}. The gate was reloaded; look at who facilitates and try again.',
  },
  manifest: {
    edit: 'Edit release manifest',
    formLabel: 'Release manifest',
    title:
      'Release manifest: the release of each component this system release ships',
    explanation:
      "The roll-up waits for each component's gate for the release named here. Saving is recorded in the audit trail, and sign-offs already given must be given again.",
    field: 'Release of {{name}}',
    missing: 'Name the release of {{name}} this system release ships.',
    save: 'Save release manifest',
    keep: 'Keep current manifest',
    conflict:
      '{{message}}. The gate was reloaded; check the releases and save again.',
  },
  rollup: {
    titleSystems: 'Systems of the domain',
    titleComponents: 'Components of the system',
    blocksGate:
      'The system gate can be GO only when every counted component is GO for the same release.',
    blocksGateManifest:
      "The system gate can be GO only when every counted component is GO for the release its manifest names (the Release column); a component the manifest does not name is matched on the system's release.",
    forInformation:
      "A domain's business gate does not wait for its systems' gates: this is for information.",
    noSystems: 'The catalog lists no systems as its parts.',
    noComponents: 'The catalog lists no components as its parts.',
    columnSystem: 'System',
    columnComponent: 'Component',
    columnRelease: 'Release',
    columnGate: 'Gate',
    columnVerdict: 'Verdict',
    columnMissing: 'What is missing',
    anotherRelease: '{{release}} (another release)',
    noGate: 'No gate',
    excluded: 'Not counted: {{reason}}.',
    hiddenReady: 'Nothing: its gate is GO. You may not see its details.',
    hiddenNotReady: 'Its gate is not GO. You may not see its details.',
    hiddenNotReadyForRelease:
      'Its gate is not GO for release {{release}}. You may not see its details.',
    currentGateFor: 'Current gate is for release {{release}}.',
    noGateYet: 'No gate yet.',
    noGateForReleaseCurrent:
      'No gate for release {{release}}: its current gate is for release {{current}}.',
    noGateForReleaseNever:
      'No gate for release {{release}}: it never had a gate.',
    nothing: 'Nothing.',
    blockersBeforeGo_one: '{{count}} blocker before GO.',
    blockersBeforeGo_other: '{{count}} blockers before GO.',
    inProgress: 'Its gate is in progress.',
    noGo: 'Its gate is NO-GO: the corrective loop must reopen it.',
    otherState: 'Its gate is {{state}}.',
    notCounted_one: ' {{count}} more is not counted.',
    notCounted_other: ' {{count}} more are not counted.',
    summaryNoReleaseComponents_one:
      '{{count}} component count; no gate is open yet, so each shows its current gate.{{notCounted}}',
    summaryNoReleaseComponents_other:
      '{{count}} components count; no gate is open yet, so each shows its current gate.{{notCounted}}',
    summaryNoReleaseSystems_one:
      '{{count}} system count; no gate is open yet, so each shows its current gate.{{notCounted}}',
    summaryNoReleaseSystems_other:
      '{{count}} systems count; no gate is open yet, so each shows its current gate.{{notCounted}}',
    summaryComponents_one:
      '{{ready}} of {{count}} component GO for release {{release}}.{{notCounted}}',
    summaryComponents_other:
      '{{ready}} of {{count}} components GO for release {{release}}.{{notCounted}}',
    summaryManifestComponents_one:
      '{{ready}} of {{count}} component GO for the releases the manifest of release {{release}} names.{{notCounted}}',
    summaryManifestComponents_other:
      '{{ready}} of {{count}} components GO for the releases the manifest of release {{release}} names.{{notCounted}}',
    summaryManifestSystems_one:
      '{{ready}} of {{count}} system GO for the releases the manifest of release {{release}} names.{{notCounted}}',
    summaryManifestSystems_other:
      '{{ready}} of {{count}} systems GO for the releases the manifest of release {{release}} names.{{notCounted}}',
    summarySystems_one:
      '{{ready}} of {{count}} system GO for release {{release}}.{{notCounted}}',
    summarySystems_other:
      '{{ready}} of {{count}} systems GO for release {{release}}.{{notCounted}}',
  },
  history: {
    title: 'History',
    release: 'Release {{release}}',
    incidents: 'Incidents',
    noIncidents: 'No incidents reported for this release.',
    ungated:
      '(ungated: reported before this release had a gate, so it does not count against the gate)',
    incidentFromSource: 'from {{source}} ({{externalId}})',
    auditTrail: 'Audit trail',
    showAuditTrail: 'Show audit trail',
    loadingAuditTrail: 'Loading the audit trail',
    auditTrailEmpty: 'The audit trail is empty.',
    downloadDossier: 'Download dossier',
    earlierReleases: 'Earlier releases',
    noEarlierReleases: 'No earlier releases.',
    columnRelease: 'Release',
    columnState: 'State',
    columnDecision: 'Decision',
    columnLeadTime: 'Lead time to GO',
    columnIncidents: 'Incidents',
    decision: '{{verdict}}: {{reason}}',
    noDecision: 'No decision',
    hours_one: '{{count}} hour',
    hours_other: '{{count}} hours',
    days: '{{days}} days',
  },
} as const;
