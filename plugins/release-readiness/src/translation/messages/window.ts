/* The words of the release window card. */
export const windowMessages = {
  windowPanel: {
    title: 'Release window',
    planned: 'Planned release: {{time}}',
    notSet: 'not set',
    condition: 'Release window condition: {{state}}',
    met: 'met',
    notMet: 'not met',
    noCheck: 'No release window was checked for this gate.',
    blockers: 'Release window blockers',
    nextSlot: 'Next allowed release time: {{start}}, your time.',
    nextSlotUntil:
      'Next allowed release time: {{start}} (open until {{end}}), your time.',
    blockingLabel: {
      freeze: 'Blocking freeze: {{name}}',
      train: 'Blocking train: {{name}}',
    },
    blockedBy: {
      freeze: 'Blocked by the freeze {{name}}',
      train: 'Blocked by the train {{name}}',
    },
    freezeRuns: 'The freeze runs from {{start}} to {{end}} (your time).',
    trainRuns:
      'Releases are allowed only in this train; the next runs from {{start}} to {{end}} (your time).',
    approved: 'Exception status: you approved an exception to {{name}}. ',
    stillNeeds: 'It still needs the other approvers named above.',
    noLongerBlocks: 'It no longer blocks this gate.',
    granted: 'Exceptions granted',
    grantedTo: 'Exception to {{name}}',
  },
  nextWindows: {
    nextFreeze: 'Next freeze',
    nextTrain: 'Next train',
    freeze: '{{name}}: from {{start}} to {{end}}',
    freezeNow: '{{name}} (in force now): from {{start}} to {{end}}',
    train: '{{name}}: from {{start}} to {{end}}',
    trainNow: '{{name}} (open now): from {{start}} to {{end}}',
    noFreeze: 'No freeze ahead.',
    noTrain: 'No train ahead: releases are blocked.',
  },
  plannedTime: {
    change: 'Change planned time',
    set: 'Set planned release time',
    planNext: 'Plan for the next allowed time',
    form: 'Planned release time',
    field: 'Planned release time',
    missing: 'Choose the date and time the release will go out.',
    helper: 'Your local time; the release windows are checked against it.',
    conflict:
      '{{message}}. The gate was reloaded; check the time and save again.',
    save: 'Save planned time',
    keep: 'Keep current time',
  },
  reasonForm: {
    helper: 'Recorded in the audit trail with your name.',
    back: 'Back',
  },
  windowExceptions: {
    asked: '{{who}} asked: “{{reason}}”',
    requested: 'Exception status: requested. {{asked}}. ',
    waitingFor: 'Waiting for {{people}}.',
    approved: 'Exception status: approved. {{asked}}; approved by {{by}}.',
    approvedWithReason:
      'Exception status: approved. {{asked}}; approved by {{by}}: “{{reason}}”.',
    rejected:
      'Exception status: rejected by {{by}}: “{{reason}}”. {{asked}}. The window still blocks this gate.',
    lapsed:
      'Exception status: lapsed. {{asked}}, but the window was changed since; ask again if the release still needs it.',
    needed: 'Exception status: needed. ',
    approvers: 'Approvers: {{people}} (each must approve).',
    nobody: 'Nobody may approve an exception: move the release.',
    approvals: 'Approvals of the exception to {{name}}',
    approvedBy: 'Approved by {{by}}: “{{reason}}”',
    request: {
      open: 'Request exception',
      openAria: 'Request exception to {{name}}',
      form: 'Request an exception to {{name}}',
      field: 'Why release during {{name}}?',
      submit: 'Send request',
      missing:
        'Give a reason: the approvers decide on it, and it is kept in the audit trail.',
      helper:
        'The approvers are notified; the request is kept in the audit trail with your name.',
    },
    approve: {
      open: 'Approve exception',
      openAria: 'Approve exception to {{name}}',
      form: 'Exception to {{name}}',
      field: 'Why release during {{name}}?',
      submit: 'Approve exception',
      missing: 'Give a reason: the exception is recorded in the audit trail.',
    },
    reject: {
      open: 'Reject exception',
      openAria: 'Reject exception to {{name}}',
      form: 'Rejection of the exception to {{name}}',
      field: 'Why not?',
      submit: 'Reject exception',
      missing:
        'Give a reason: the requester sees it, and it is kept in the audit trail.',
    },
    askedByMe:
      'You asked for this exception: another approver must approve it.',
  },
  windowMaintenance: {
    title: 'Maintain release windows',
    kind: {
      freeze: 'freeze',
      train: 'train',
    },
    summary: '{{name}} ({{kind}})',
    summaryVersion: '{{name}} ({{kind}}, version {{version}})',
    fromConfig: 'Defined in app-config: change it there.',
    edit: 'Edit',
    editAria: 'Edit {{name}}',
    editForm: 'Edit {{name}}',
    fields: {
      name: 'Name',
      description: 'Description',
      from: 'From (ISO 8601)',
      to: 'To (ISO 8601)',
      cron: 'Starts (cron)',
      duration: 'Lasts (ISO 8601 duration, e.g. PT2H)',
      timezone: 'Time zone (IANA, default UTC)',
      approvers: 'Exception approvers (refs, comma-separated)',
      all: 'Applies to every entity',
      systems: 'Systems (refs, comma-separated)',
      entities: 'Entities (refs, comma-separated)',
      tags: 'Tags (comma-separated)',
      reason: 'Why this change?',
    },
    scopeHelper:
      'The window applies to the entities of these systems, these entities and the entities with any of these tags.',
    scopeMissing:
      'Name at least one system, entity or tag, or apply the window to every entity.',
    reasonMissing:
      'Give a reason: it is kept in the window history with your name.',
    reasonHelper:
      'Kept in the window history with your name. Exceptions approved for the window as it was lapse.',
    reload: 'Reload',
    save: 'Save window',
    back: 'Back',
    retire: {
      open: 'Retire',
      openAria: 'Retire {{name}}',
      form: 'Retire {{name}}',
      field: 'Why retire it?',
      submit: 'Retire window',
      missing:
        'Give a reason: it is kept in the window history with your name.',
      helper:
        'A retired window blocks no gate; it is kept, with its history, for the records that refer to it.',
    },
  },
} as const;
