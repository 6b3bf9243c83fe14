/*
 * A gate's dossier as a readable Markdown record: one function per section,
 * each given the whole dossier (see `dossier.ts`), in the order of `SECTIONS`.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import { Waiver } from '@release-readiness/plugin-common';
import { Dossier, DossierChecklistItem, DossierVote } from './dossier';
import {
  debriefSection,
  hashingSection,
  incidentsSection,
  ownersSection,
  rollbackLine,
  trailLine,
  verificationSection,
} from './dossierTrailMarkdown';
import { code, inline, table, yesNo } from './markdown';
import type { AuditChainVerification, AuditEvent } from './types';

/** `dossier-<entity name>-<release>.md`, safe as a file name. */
export function dossierFileName(dossier: Dossier): string {
  const safe = (text: string) =>
    text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'x';
  const { name } = parseEntityRef(dossier.entity.entityRef);
  return `dossier-${safe(name)}-${safe(dossier.gate.release)}.md`;
}

/** The one line that says whether the audit trail is intact. */
export function chainLine(chain: AuditChainVerification): string {
  if (chain.ok) {
    return `Audit chain: verified (${chain.events} events)`;
  }
  const broken = chain.firstBroken!;
  return `Audit chain: BROKEN at event #${broken.id} (${broken.action}, ${broken.at}): ${broken.reason}`;
}

type Section = (dossier: Dossier) => string[];

const summarySection: Section = d => [
  `# Release dossier: ${inline(d.entity.title)} ${inline(d.gate.release)}`,
  '',
  `- Entity: ${inline(d.entity.title)} (${code(d.entity.entityRef)})`,
  `- Release: ${inline(d.gate.release)}`,
  `- Gate: ${code(d.gate.id)}, state **${d.gate.state}**, version ${
    d.gate.version
  }, checklist revision ${d.gate.checklistRevision}`,
  `- Planned: ${d.gate.plannedAt ?? 'not planned'}`,
  `- Requested by: ${d.gate.requestedBy}, opened ${d.gate.openedAt}, last changed ${d.gate.updatedAt}`,
  ...(d.gate.rapidReason
    ? [`- Rapid release reason: ${inline(d.gate.rapidReason)}`]
    : []),
  `- Template: ${d.template.name}${
    d.template.title ? ` (${inline(d.template.title)})` : ''
  } version ${inline(d.template.version)}, tier ${d.template.tier}${
    d.template.rapid ? ', rapid release' : ''
  }`,
  `- Template hash: ${code(d.template.hash)}`,
  `- Verdict: **${d.evaluation.verdict}**, score ${d.evaluation.score}/100`,
  `- ${chainLine(d.chain)}`,
  ...(d.verification ? [`- ${trailLine(d.verification)}`] : []),
  `- Generated: ${d.generatedAt}`,
];

const evaluationSection: Section = d => {
  const blockers = d.evaluation.conditions.flatMap(c =>
    c.blockers.map(b => `- ${inline(c.title)}: ${inline(b.message)}`),
  );
  return [
    '## Evaluation',
    '',
    `Verdict **${d.evaluation.verdict}**, score ${
      d.evaluation.score
    }/100, ready for GO: ${yesNo(d.evaluation.ready)}; evaluated ${
      d.evaluation.evaluatedAt
    }.`,
    '',
    ...table(
      ['Condition', 'Met', 'Progress', 'Blockers'],
      d.evaluation.conditions.map(c => [
        c.title,
        yesNo(c.met),
        `${Math.round(c.progress * 100)}%`,
        c.blockers.length,
      ]),
    ),
    '',
    '### Blockers',
    '',
    ...(blockers.length ? blockers : ['None.']),
  ];
};

function automatedCell(item: DossierChecklistItem): string {
  const a = item.automated;
  if (!a) return 'manual';
  const used = a.evidence
    ? `; evidence ${a.evidence.id} (run ${a.evidence.runId}${
        a.evidence.commit ? `, commit ${a.evidence.commit}` : ''
      }, observed ${a.evidence.observedAt}${
        a.evidence.link ? `, ${a.evidence.link}` : ''
      })`
    : '';
  return `${a.evidenceType} ${code(a.rule)}: ${a.outcome}, ${a.detail}${used}`;
}

/** For automated items, what the evidence says unless a person waived it. */
function statusCell(item: DossierChecklistItem): string {
  if (item.automated && item.status === 'pending') {
    return `${item.automated.outcome} (automated)`;
  }
  return item.status;
}

function waiverCell(waiver: Waiver | undefined): string {
  if (!waiver) return '';
  return `${waiver.justification} (by ${waiver.by} at ${waiver.at}, expires ${waiver.expiresAt})`;
}

const checklistSection: Section = d => [
  '## Checklist',
  '',
  ...table(
    [
      'Item',
      'Category',
      'Required',
      'Status',
      'Note',
      'Waiver',
      'Automated check',
      'Last changed',
    ],
    d.checklist.map(item => [
      `${item.title} (${item.id})`,
      item.category,
      yesNo(item.required),
      statusCell(item),
      item.note,
      waiverCell(item.waiver),
      automatedCell(item),
      item.updatedBy ? `${item.updatedBy}, ${item.updatedAt}` : '',
    ]),
  ),
];

const evidenceSection: Section = d => [
  '## Evidence',
  '',
  ...(d.evidence.length
    ? table(
        [
          'Id',
          'Type',
          'Status',
          'Run',
          'Commit',
          'Observed',
          'Posted by',
          'Link',
        ],
        d.evidence.map(e => [
          e.id,
          e.type,
          e.status,
          e.runId,
          e.commit,
          e.observedAt,
          e.postedBy,
          e.link,
        ]),
      )
    : ['No evidence was posted for this release.']),
];

function voteStatus(vote: DossierVote): string {
  if (vote.superseded) return `superseded ${vote.supersededAt}`;
  return vote.stale ? 'stale (older checklist)' : 'live';
}

const signoffSection: Section = d => [
  '## Sign-offs',
  '',
  ...table(
    ['Role', 'Needs', 'Ready', 'Not ready', 'Stale', 'Met'],
    d.signoffs.roles.map(r => [
      r.title,
      r.min,
      r.readyVoters.join(', '),
      r.notReadyVoters.join(', '),
      r.staleVoters.join(', '),
      yesNo(r.met),
    ]),
  ),
  '',
  '### Votes, with their history',
  '',
  ...(d.signoffs.votes.length
    ? table(
        [
          'When',
          'Role',
          'Voter',
          'Verdict',
          'Comment',
          'Checklist revision',
          'Status',
        ],
        d.signoffs.votes.map(v => [
          v.at,
          v.roleTitle,
          v.voter,
          v.verdict,
          v.comment,
          v.checklistRevision,
          voteStatus(v),
        ]),
      )
    : ['No votes.']),
];

const riskSection: Section = d => {
  const risk = d.risk;
  if (!risk) {
    return ['## Risk assessment', '', 'No risk assessment.'];
  }
  const lines = [
    '## Risk assessment',
    '',
    `- Rollback plan: ${inline(risk.rollbackPlan ?? 'none')}`,
    rollbackLine(d.rollbackVerification),
    `- Residual risk accepted: ${
      risk.residualRisk
        ? `by ${risk.residualRisk.acceptedBy} at ${
            risk.residualRisk.acceptedAt
          }${
            risk.residualRisk.note ? ` (${inline(risk.residualRisk.note)})` : ''
          }`
        : 'no'
    }`,
  ];
  if (risk.communication) {
    const c = risk.communication;
    lines.push(
      `- Communication: to ${c.audiences.join(', ') || 'nobody'}, ${
        c.scheduledAt ? `scheduled ${c.scheduledAt}` : 'not scheduled'
      }, ${
        c.approvedBy
          ? `approved by ${c.approvedBy} at ${c.approvedAt}`
          : 'not approved'
      }`,
    );
  } else {
    lines.push('- Communication: no plan');
  }
  lines.push(
    `- Last changed: ${risk.updatedBy ?? 'unknown'}, ${
      risk.updatedAt ?? ''
    } (version ${risk.version})`,
    '',
    '### Impact matrix',
    '',
    ...(risk.impactMatrix.length
      ? table(
          ['Failure mode', 'Impact', 'Likelihood', 'Mitigation'],
          risk.impactMatrix.map(r => [
            r.failureMode,
            r.impact,
            r.likelihood,
            r.mitigation,
          ]),
        )
      : ['Empty.']),
  );
  return lines;
};

const windowsSection: Section = d => {
  if (!d.windows) return [];
  const { windows, exceptions } = d.windows;
  return [
    '## Release windows',
    '',
    ...(windows.length
      ? table(
          ['Window', 'Kind', 'When', 'Approvers'],
          windows.map(w => [
            `${w.name} (${w.id})`,
            w.kind,
            w.cron
              ? `${w.cron} ${w.timezone ?? 'UTC'} for ${w.duration}`
              : `${w.from} to ${w.to}`,
            w.approvers.join(', '),
          ]),
        )
      : ['No release window applies.']),
    '',
    '### Exceptions',
    '',
    ...(exceptions.length
      ? exceptions.map(
          e =>
            `- ${e.windowId}: approved by ${e.approvedBy} at ${
              e.approvedAt
            } for ${e.covers.join(', ')}: ${inline(e.reason)}${
              e.counts === false ? ' (no longer counts)' : ''
            }`,
        )
      : ['None.']),
    ...(d.windows.requests?.length
      ? [
          '',
          '### Exception requests',
          '',
          ...d.windows.requests.map(
            r =>
              `- ${r.windowId}: asked by ${r.requestedBy} at ${
                r.requestedAt
              }: ${inline(r.reason)}; ${r.state}${
                r.decidedBy
                  ? ` by ${r.decidedBy}${
                      r.decisionReason ? `: ${inline(r.decisionReason)}` : ''
                    }`
                  : ''
              }`,
          ),
        ]
      : []),
    ...(d.windows.referenced?.length
      ? [
          '',
          '### Windows referred to that no longer apply',
          '',
          ...d.windows.referenced.map(
            w =>
              `- ${w.name} (${w.id}), version ${w.version ?? '-'}${
                w.retiredAt
                  ? `: retired by ${w.retiredBy} at ${w.retiredAt}: ${inline(
                      w.retireReason ?? '',
                    )}`
                  : ''
              }`,
          ),
        ]
      : []),
  ];
};

const decisionsSection: Section = d => [
  '## Decisions',
  '',
  ...(d.decisions.length
    ? table(
        ['When', 'Decision', 'By', 'Reason', 'State hash'],
        d.decisions.map(x => [
          x.at,
          x.verdict.toUpperCase(),
          x.by,
          x.reason,
          x.stateHash,
        ]),
      )
    : ['No decision yet.']),
];

const overridesSection: Section = d =>
  d.overrides.length
    ? [
        '### Released although the GO no longer held',
        '',
        ...d.overrides.flatMap(o => [
          `- ${o.at} ${o.by} released it${
            o.goRecordedAt ? ` (GO recorded ${o.goRecordedAt})` : ''
          }, audit event #${o.auditEventId}. Reason: ${inline(
            o.reason,
          )}. What no longer held:`,
          ...o.lapsed.map(l => `  - ${inline(l)}`),
        ]),
      ]
    : [];

function change(event: AuditEvent): string {
  const parts = [
    event.before !== undefined
      ? `before ${code(JSON.stringify(event.before))}`
      : '',
    event.after !== undefined
      ? `after ${code(JSON.stringify(event.after))}`
      : '',
  ].filter(Boolean);
  return parts.length ? `\n   ${parts.join(', ')}` : '';
}

const auditSection: Section = d => [
  '## Audit trail',
  '',
  chainLine(d.chain),
  ...(d.verification ? ['', trailLine(d.verification)] : []),
  '',
  ...d.audit.map(
    (e, index) =>
      `${e.seq ?? index + 1}. #${e.id} ${e.at} ${e.actor}: **${
        e.action
      }**, hash ${code(e.hash ?? 'none')}, previous ${code(
        e.prevHash ?? 'none',
      )}${change(e)}`,
  ),
];

/**
 * The sections of the Markdown dossier, in order. A new section is a function
 * of the dossier added here; it returns no lines when it has nothing to say.
 */
const SECTIONS: Section[] = [
  summarySection,
  evaluationSection,
  checklistSection,
  evidenceSection,
  signoffSection,
  riskSection,
  windowsSection,
  decisionsSection,
  overridesSection,
  incidentsSection,
  debriefSection,
  ownersSection,
  verificationSection,
  auditSection,
  hashingSection,
];

/** The dossier as a readable Markdown record. */
export function renderDossierMarkdown(dossier: Dossier): string {
  return `${SECTIONS.map(section => section(dossier))
    .filter(lines => lines.length)
    .map(lines => lines.join('\n'))
    .join('\n\n')}\n`;
}
