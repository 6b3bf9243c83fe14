/*
 * The Markdown sections of the dossier's trail part (see `dossierTrail.ts`):
 * incidents, owner changes, the verification against the anchors and how to
 * recompute the hashes; and the risk section's rollback line.
 */
import type { Dossier } from './dossier';
import type { DossierRollbackVerification } from './dossierTrail';
import { code, inline, table } from './markdown';
import type { TrailVerification } from './types';

type Section = (dossier: Dossier) => string[];

/** The one line that says whether a chain agrees with its anchors. */
export function trailLine(verification: TrailVerification): string {
  if (verification.intact) {
    return verification.head
      ? `Trail and anchors: intact (${verification.events} events, head seq ${verification.head.seq}, hash ${verification.head.hash})`
      : 'Trail and anchors: intact (no events)';
  }
  const broken = verification.firstBroken;
  return `Trail and anchors: BROKEN at seq ${broken.seq}${
    broken.id ? ` (event #${broken.id})` : ''
  }, found in ${broken.record}: ${inline(broken.reason)}`;
}

/** The risk section's line on the rollback verification. */
export function rollbackLine(rollback: DossierRollbackVerification): string {
  if (!rollback.verified) {
    return '- Rollback verified: no';
  }
  const ways = [
    ...(rollback.byPerson
      ? [`by ${rollback.byPerson.by ?? 'a person'} at ${rollback.byPerson.at}`]
      : []),
    ...(rollback.byEvidence
      ? [
          `by rollback-verification evidence ${
            rollback.byEvidence.id
          } (run ${inline(rollback.byEvidence.runId)}, observed ${
            rollback.byEvidence.observedAt
          }, posted by ${rollback.byEvidence.postedBy})`,
        ]
      : []),
  ];
  return `- Rollback verified: yes, last ${
    rollback.lastVerifiedAt
  }: ${ways.join('; ')}`;
}

export const incidentsSection: Section = d => [
  '## Incidents',
  '',
  ...(d.incidents.length
    ? table(
        ['Occurred', 'Severity', 'Title', 'Reported by', 'Link'],
        d.incidents.map(i => [
          i.occurredAt,
          i.severity,
          `${i.title}${i.ungated ? ' (ungated)' : ''}`,
          i.reportedBy,
          i.link,
        ]),
      )
    : ['No incident was reported for this release.']),
];

/** The blameless debrief: its three answers and its follow-up actions. */
export const debriefSection: Section = d => {
  const debrief = d.debrief;
  if (!debrief) {
    return ['## Debrief', '', 'No debrief was recorded for this release.'];
  }
  const answer = (title: string, text: string) => [
    `### ${title}`,
    '',
    text ? `> ${inline(text)}` : '_Nothing written._',
    '',
  ];
  return [
    '## Debrief',
    '',
    `Recorded by ${code(debrief.recordedBy)} at ${debrief.recordedAt}${
      debrief.version > 1
        ? `; last changed by ${code(debrief.updatedBy)} at ${debrief.updatedAt}`
        : ''
    }.`,
    '',
    ...answer('What went well', debrief.wentWell),
    ...answer('What went wrong', debrief.wentWrong),
    ...answer('What to change', debrief.toChange),
    '### Follow-up actions',
    '',
    ...(debrief.followUps.length
      ? table(
          ['Action', 'Owner', 'Due', 'Done'],
          debrief.followUps.map(f => [
            f.action,
            f.owner,
            f.dueDate,
            f.done ? `yes (${f.doneAt ?? ''})` : 'no',
          ]),
        )
      : ['No follow-up actions.']),
  ];
};

export const ownersSection: Section = d => {
  if (!d.entityAudit) return [];
  return [
    '## Gate owners: who assigned whom',
    '',
    `From the entity's own audit chain (${code(
      `entity:${d.entity.entityRef}`,
    )}).`,
    '',
    ...(d.ownerChanges.length
      ? table(
          ['When', 'By', 'Before', 'After', 'Event'],
          d.ownerChanges.map(o => [
            o.at,
            o.by,
            o.before.join(', ') || 'none',
            o.after.join(', ') || 'none',
            `#${o.auditEventId}${o.seq !== undefined ? ` (seq ${o.seq})` : ''}`,
          ]),
        )
      : ['No gate owner was ever assigned: the catalog owner keeps the gate.']),
  ];
};

function problems(verification: TrailVerification): string[] {
  if (verification.intact) return [];
  return verification.problems.map(
    p =>
      `- seq ${p.seq}${p.id ? `, event #${p.id}` : ''} (${p.record}): ${inline(
        p.reason,
      )}`,
  );
}

export const verificationSection: Section = d => {
  if (!d.verification) return [];
  return [
    '## Verification',
    '',
    `- Gate chain (${code(d.verification.chain)}): ${trailLine(
      d.verification,
    )}`,
    ...problems(d.verification),
    ...(d.entityVerification
      ? [
          `- Entity chain (${code(d.entityVerification.chain)}): ${trailLine(
            d.entityVerification,
          )}`,
          ...problems(d.entityVerification),
        ]
      : []),
    '',
    'The heads are also written to the logs as Backstage auditor events `audit-chain-head` { chain, seq, hash }: compare the last one of each chain with the head above to detect a rewrite of the events and of every anchor in the database together.',
  ];
};

export const hashingSection: Section = d => [
  '## How to recompute the hashes',
  '',
  `- Algorithm: ${d.hashing.algorithm}, ${
    d.hashing.encoding
  }, over the fields ${d.hashing.covers.map(c => code(c)).join(', ')}.`,
  `- Canonical form: ${d.hashing.canonicalForm}`,
  `- Chaining: ${d.hashing.chaining}`,
  `- Anchors: ${d.hashing.anchors}`,
  '',
  'In Node.js, with the events of the JSON dossier (`audit`, or `entityAudit`):',
  '',
  '```js',
  "const { createHash } = require('node:crypto');",
  'const canon = v => v === null || v === undefined ? "null"',
  "  : Array.isArray(v) ? `[${v.map(canon).join(',')}]`",
  "  : typeof v === 'object' ? `{${Object.keys(v).sort().filter(k => v[k] !== undefined)",
  "      .map(k => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`",
  "  : JSON.stringify(v) ?? 'null';",
  'let prev = null;',
  'for (const e of events) {',
  '  const content = { prevHash: prev, entityRef: e.entityRef, gateId: e.gateId ?? null,',
  '    actor: e.actor, action: e.action, before: e.before ?? null, after: e.after ?? null, at: e.at };',
  "  const hash = createHash('sha256').update(canon(content)).digest('hex');",
  '  if (hash !== e.hash || (e.prevHash ?? null) !== prev) throw new Error(`broken at seq ${e.seq}`);',
  '  prev = hash;',
  '}',
  '```',
];
