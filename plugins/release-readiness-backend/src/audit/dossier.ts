/*
 * A gate's dossier: everything a reviewer or auditor needs about one release
 * of one entity, as data (`buildDossier`, served as JSON) and as a readable
 * record (`renderDossierMarkdown`).
 *
 * The audit trail is checked while the dossier is built, on the very events it
 * contains, so the verdict on the chain and the trail shown always agree.
 * Each hash covers the event as it appears in the JSON, so the chain can be
 * recomputed from the JSON dossier alone (see `chain.ts`).
 */
import { parseEntityRef } from '@backstage/catalog-model';
import {
  AutomatedCheck,
  AutomatedItemResult,
  ChecklistCategory,
  ConditionResult,
  Evidence,
  Gate,
  GateDecision,
  GateEvaluation,
  GateItem,
  GateState,
  GateTemplateSpec,
  ItemStatus,
  ReleaseWindow,
  RiskAssessment,
  RoleResult,
  Verdict,
  Waiver,
  WindowException,
} from '@release-readiness/plugin-common';
import type {
  AuditChainVerification,
  AuditEvent,
  EntityInfo,
} from '../database';
import { verifyChain } from './chain';

/** An automated item: its rule and how the evidence stood against it. */
export interface DossierAutomatedResult extends AutomatedCheck {
  outcome: AutomatedItemResult['outcome'];
  detail: string;
  evidenceId?: string;
  observedAt?: string;
  /** The evidence used, when there was one. */
  evidence?: Pick<
    Evidence,
    'id' | 'type' | 'status' | 'link' | 'commit' | 'runId' | 'observedAt'
  >;
}

/** One checklist item of the gate and what became of it. */
export interface DossierChecklistItem {
  id: string;
  title: string;
  category: ChecklistCategory;
  required: boolean;
  source: GateItem['source'];
  status: ItemStatus;
  note?: string;
  waiver?: Waiver;
  updatedBy?: string;
  updatedAt?: string;
  automated?: DossierAutomatedResult;
}

/** A sign-off vote, live or replaced by a later vote of the same person. */
export interface DossierVote {
  id: string;
  role: string;
  roleTitle: string;
  voter: string;
  verdict: 'ready' | 'not-ready';
  comment?: string;
  checklistRevision: number;
  at: string;
  /** Replaced by a newer vote of the same person for the role. */
  superseded: boolean;
  supersededAt?: string;
  /** Live, but cast on an older checklist revision: it does not count. */
  stale: boolean;
}

/** The release windows that applied to the gate and its exceptions. */
export interface DossierWindows {
  windows: ReleaseWindow[];
  exceptions: WindowException[];
}

/** Everything about one gate. */
export interface Dossier {
  generatedAt: string;
  entity: { entityRef: string; title: string };
  gate: {
    id: string;
    release: string;
    state: GateState;
    plannedAt?: string;
    requestedBy: string;
    rapidReason?: string;
    openedAt: string;
    updatedAt: string;
    version: number;
    checklistRevision: number;
  };
  template: {
    name: string;
    title?: string;
    version: string;
    hash: string;
    tier: 1 | 2 | 3;
    rapid?: boolean;
  };
  evaluation: {
    verdict: Verdict;
    ready: boolean;
    score: number;
    evaluatedAt: string;
    conditions: ConditionResult[];
  };
  checklist: DossierChecklistItem[];
  /** All evidence CI posted for the entity and release. */
  evidence: Evidence[];
  signoffs: { roles: RoleResult[]; votes: DossierVote[] };
  risk: RiskAssessment | null;
  /** Present once release windows are passed to `buildDossier`. */
  windows?: DossierWindows;
  decisions: GateDecision[];
  /** The gate's audit trail in the order written, with its hashes. */
  audit: AuditEvent[];
  chain: AuditChainVerification;
}

/** What a dossier is built from. */
export interface DossierInput {
  gate: Gate;
  evaluation: GateEvaluation;
  /** The entity's row; its title falls back to the entity ref. */
  entity?: Pick<EntityInfo, 'title'>;
  /** The template spec the gate opened with. */
  template?: GateTemplateSpec;
  evidence: Evidence[];
  audit: AuditEvent[];
  windows?: DossierWindows;
  now?: Date;
}

/** The dossier of a gate, from data already loaded. */
export function buildDossier(input: DossierInput): Dossier {
  const { gate, evaluation, template, evidence, audit } = input;
  const automated = new Map(evaluation.automated.map(a => [a.itemId, a]));
  const evidenceById = new Map(evidence.map(e => [e.id, e]));
  const roleTitles = new Map<string, string>([
    ...(template?.signoffs.roles ?? []).map(
      r => [r.id, r.title] as [string, string],
    ),
    ...evaluation.roles.map(r => [r.role, r.title] as [string, string]),
  ]);

  const checklist = gate.items.map((item): DossierChecklistItem => {
    const result = automated.get(item.id);
    const used = result?.evidenceId
      ? evidenceById.get(result.evidenceId)
      : undefined;
    return {
      id: item.id,
      title: item.title,
      category: item.category,
      required: item.required,
      source: item.source,
      status: item.status,
      ...(item.note ? { note: item.note } : {}),
      ...(item.waiver ? { waiver: item.waiver } : {}),
      ...(item.updatedBy ? { updatedBy: item.updatedBy } : {}),
      ...(item.updatedAt ? { updatedAt: item.updatedAt } : {}),
      ...(item.automated
        ? {
            automated: {
              ...item.automated,
              outcome: result?.outcome ?? 'missing',
              detail: result?.detail ?? 'not evaluated',
              ...(result?.evidenceId ? { evidenceId: result.evidenceId } : {}),
              ...(result?.observedAt ? { observedAt: result.observedAt } : {}),
              ...(used
                ? {
                    evidence: {
                      id: used.id,
                      type: used.type,
                      status: used.status,
                      ...(used.link ? { link: used.link } : {}),
                      ...(used.commit ? { commit: used.commit } : {}),
                      runId: used.runId,
                      observedAt: used.observedAt,
                    },
                  }
                : {}),
            },
          }
        : {}),
    };
  });

  const votes = gate.votes.map(
    (vote): DossierVote => ({
      id: vote.id,
      role: vote.role,
      roleTitle: roleTitles.get(vote.role) ?? vote.role,
      voter: vote.voter,
      verdict: vote.verdict,
      ...(vote.comment ? { comment: vote.comment } : {}),
      checklistRevision: vote.checklistRevision,
      at: vote.at,
      superseded: Boolean(vote.supersededAt),
      ...(vote.supersededAt ? { supersededAt: vote.supersededAt } : {}),
      stale:
        !vote.supersededAt && vote.checklistRevision < gate.checklistRevision,
    }),
  );

  return {
    generatedAt: (input.now ?? new Date()).toISOString(),
    entity: {
      entityRef: gate.entityRef,
      title: input.entity?.title ?? gate.entityRef,
    },
    gate: {
      id: gate.id,
      release: gate.release,
      state: gate.state,
      ...(gate.plannedAt ? { plannedAt: gate.plannedAt } : {}),
      requestedBy: gate.requestedBy,
      ...(gate.rapidReason ? { rapidReason: gate.rapidReason } : {}),
      openedAt: gate.openedAt,
      updatedAt: gate.updatedAt,
      version: gate.version,
      checklistRevision: gate.checklistRevision,
    },
    template: {
      name: gate.templateName,
      ...(template?.title ? { title: template.title } : {}),
      version: gate.templateVersion,
      hash: gate.templateHash,
      tier: gate.tier,
      ...(template ? { rapid: template.rapid } : {}),
    },
    evaluation: {
      verdict: evaluation.verdict,
      ready: evaluation.ready,
      score: evaluation.score,
      evaluatedAt: evaluation.evaluatedAt,
      conditions: evaluation.conditions,
    },
    checklist,
    evidence,
    signoffs: { roles: evaluation.roles, votes },
    risk: gate.risk ?? null,
    ...(input.windows ? { windows: input.windows } : {}),
    decisions: gate.decisions,
    audit,
    chain: verifyChain(audit),
  };
}

/** `dossier-<entity name>-<release>.md`, safe as a file name. */
export function dossierFileName(dossier: Dossier): string {
  const safe = (text: string) =>
    text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'x';
  const { name } = parseEntityRef(dossier.entity.entityRef);
  return `dossier-${safe(name)}-${safe(dossier.gate.release)}.md`;
}

// Markdown -------------------------------------------------------------------

/** Text for a table cell: one line, pipes escaped. */
function cell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  return String(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Text inside a line of a list or paragraph. */
function inline(value: unknown): string {
  return String(value ?? '').replace(/\s*\r?\n\s*/g, ' ');
}

function code(value: unknown): string {
  const text = inline(value);
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function table(header: string[], rows: unknown[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map(row => `| ${row.map(cell).join(' | ')} |`),
  ];
}

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

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
    `- Rollback verified: ${
      risk.rollbackVerifiedAt
        ? `${risk.rollbackVerifiedAt} by ${risk.rollbackVerifiedBy}`
        : 'no'
    }`,
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
            } for ${e.covers.join(', ')}: ${inline(e.reason)}`,
        )
      : ['None.']),
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
  '',
  ...d.audit.map(
    (e, index) =>
      `${index + 1}. #${e.id} ${e.at} ${e.actor}: **${e.action}**, hash ${code(
        e.hash ?? 'none',
      )}, previous ${code(e.prevHash ?? 'none')}${change(e)}`,
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
  auditSection,
];

/** The dossier as a readable Markdown record. */
export function renderDossierMarkdown(dossier: Dossier): string {
  return `${SECTIONS.map(section => section(dossier))
    .filter(lines => lines.length)
    .map(lines => lines.join('\n'))
    .join('\n\n')}\n`;
}
