import {
  Evidence,
  Gate,
  GateEvaluation,
  GateTemplateSpec,
} from '@release-readiness/plugin-common';
import type { AuditEvent } from './types';
import { hashAuditEvent } from './chain';
import { buildDossier, DossierInput } from './dossier';
import {
  chainLine,
  dossierFileName,
  renderDossierMarkdown,
} from './dossierMarkdown';

const ENTITY = 'component:default/payment-gateway';
const PRIYA = 'user:default/priya';
const QUINN = 'user:default/quinn';
const T0 = '2026-11-27T12:00:00.000Z';

const TEMPLATE: GateTemplateSpec = {
  name: 'component-gate',
  title: 'Component gate',
  tier: 1,
  version: '3',
  rapid: false,
  appliesTo: [],
  checklist: [],
  signoffs: {
    selfApproval: false,
    roles: [{ id: 'qa', title: 'Quality assurance', eligible: {}, min: 1 }],
  },
  risk: {
    impactMatrix: true,
    residualRiskAcceptance: false,
    rollbackPlan: true,
    communicationPlan: false,
  },
};

const EVIDENCE: Evidence = {
  id: 'ev-1',
  entityRef: ENTITY,
  release: '1.4.0',
  type: 'test-report',
  status: 'passed',
  metrics: { passed: true },
  link: 'https://ci.example.com/runs/41',
  commit: '9f1c2d3',
  runId: 'run-41',
  observedAt: T0,
  receivedAt: T0,
  postedBy: 'external:ci',
};

const GATE: Gate = {
  id: 'gate-1',
  entityRef: ENTITY,
  release: '1.4.0',
  templateName: 'component-gate',
  templateVersion: '3',
  templateHash: 'a'.repeat(64),
  tier: 1,
  state: 'no-go',
  plannedAt: '2026-12-01T10:00:00.000Z',
  requestedBy: PRIYA,
  rapidReason: 'Hotfix\nfor cards',
  openedAt: T0,
  updatedAt: T0,
  version: 5,
  checklistRevision: 2,
  items: [
    {
      id: 'manual-qa',
      title: 'Manual QA',
      category: 'manual-validation',
      required: true,
      source: 'template',
      status: 'passed',
      note: 'a | b\nc',
      updatedBy: QUINN,
      updatedAt: T0,
      version: 2,
    },
    {
      id: 'unit-tests',
      title: 'Unit tests',
      category: 'build-and-test',
      required: true,
      source: 'template',
      status: 'pending',
      automated: {
        evidenceType: 'test-report',
        rule: 'passed == true',
        maxAge: 'P3D',
      },
      version: 1,
    },
    {
      id: 'perf',
      title: 'Performance',
      category: 'performance',
      required: false,
      source: 'service',
      status: 'waived',
      waiver: {
        justification: 'No traffic change',
        expiresAt: '2026-12-31T00:00:00.000Z',
        by: PRIYA,
        at: T0,
      },
      automated: {
        evidenceType: 'performance',
        rule: 'p95 <= 300',
        maxAge: 'P14D',
      },
      version: 2,
    },
  ],
  votes: [
    {
      id: 'v1',
      role: 'qa',
      voter: QUINN,
      verdict: 'not-ready',
      comment: 'flaky',
      checklistRevision: 1,
      at: T0,
      supersededAt: '2026-11-27T12:05:00.000Z',
    },
    {
      id: 'v2',
      role: 'qa',
      voter: QUINN,
      verdict: 'ready',
      checklistRevision: 1,
      at: '2026-11-27T12:05:00.000Z',
    },
  ],
  decisions: [
    {
      id: 'd1',
      verdict: 'no-go',
      reason: 'Scan missing',
      by: PRIYA,
      at: '2026-11-27T13:00:00.000Z',
      stateHash: 'f'.repeat(64),
    },
  ],
};

const EVALUATION: GateEvaluation = {
  ready: false,
  verdict: 'NO-GO',
  score: 40,
  releaseNow: { met: true, blockers: [] },
  conditions: [
    {
      id: 'artifacts',
      title: 'Artifacts',
      met: true,
      progress: 1,
      blockers: [],
    },
    {
      id: 'signoffs',
      title: 'Sign-offs',
      met: false,
      progress: 0,
      blockers: [
        {
          condition: 'signoffs',
          message: 'Quality assurance needs 1 Ready vote',
          role: 'qa',
        },
      ],
    },
  ],
  blockers: [
    {
      condition: 'signoffs',
      message: 'Quality assurance needs 1 Ready vote',
      role: 'qa',
    },
  ],
  automated: [
    {
      itemId: 'unit-tests',
      outcome: 'passed',
      evidenceId: 'ev-1',
      observedAt: T0,
      detail: 'passed true',
    },
    { itemId: 'perf', outcome: 'waived', detail: 'waived until 2026-12-31' },
  ],
  roles: [
    {
      role: 'qa',
      title: 'Quality assurance',
      min: 1,
      readyVoters: [],
      notReadyVoters: [],
      staleVoters: [QUINN],
      met: false,
    },
  ],
  evaluatedAt: T0,
};

function trail(): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const [id, action, after] of [
    ['1', 'gate.open', { release: '1.4.0' }],
    ['2', 'decision.no-go', { state: 'no-go' }],
  ] as const) {
    const event: AuditEvent = {
      id,
      entityRef: ENTITY,
      gateId: GATE.id,
      actor: PRIYA,
      action,
      after,
      at: T0,
      ...(events.length ? { prevHash: events[events.length - 1].hash } : {}),
    };
    event.hash = hashAuditEvent(event);
    events.push(event);
  }
  return events;
}

function input(extra: Partial<DossierInput> = {}): DossierInput {
  return {
    gate: GATE,
    evaluation: EVALUATION,
    entity: { title: 'Payment Gateway' },
    template: TEMPLATE,
    evidence: [EVIDENCE],
    audit: trail(),
    now: new Date('2026-11-28T00:00:00.000Z'),
    ...extra,
  };
}

describe('buildDossier', () => {
  it('joins the checklist with the evaluation and the evidence used', () => {
    const dossier = buildDossier(input());

    expect(dossier.generatedAt).toBe('2026-11-28T00:00:00.000Z');
    expect(dossier.template).toEqual({
      name: 'component-gate',
      title: 'Component gate',
      version: '3',
      hash: 'a'.repeat(64),
      tier: 1,
      rapid: false,
    });
    const [manual, unit, perf] = dossier.checklist;
    expect(manual.automated).toBeUndefined();
    expect(unit.automated).toEqual({
      evidenceType: 'test-report',
      rule: 'passed == true',
      maxAge: 'P3D',
      outcome: 'passed',
      detail: 'passed true',
      evidenceId: 'ev-1',
      observedAt: T0,
      evidence: {
        id: 'ev-1',
        type: 'test-report',
        status: 'passed',
        link: 'https://ci.example.com/runs/41',
        commit: '9f1c2d3',
        runId: 'run-41',
        observedAt: T0,
      },
    });
    expect(perf).toMatchObject({
      status: 'waived',
      waiver: { justification: 'No traffic change' },
      automated: { outcome: 'waived' },
    });
    expect(perf.automated!.evidence).toBeUndefined();
  });

  it('keeps the history of votes, marking replaced and stale ones', () => {
    const { votes } = buildDossier(input()).signoffs;

    expect(votes).toEqual([
      expect.objectContaining({
        id: 'v1',
        roleTitle: 'Quality assurance',
        superseded: true,
        supersededAt: '2026-11-27T12:05:00.000Z',
        stale: false,
      }),
      expect.objectContaining({ id: 'v2', superseded: false, stale: true }),
    ]);
  });

  it('checks the chain of the events it holds', () => {
    expect(buildDossier(input()).chain).toEqual({ ok: true, events: 2 });

    const [open, decision] = trail();
    const tampered = buildDossier(
      input({ audit: [open, { ...decision, actor: QUINN }] }),
    );
    expect(tampered.chain).toMatchObject({
      ok: false,
      firstBroken: { id: '2', action: 'decision.no-go' },
    });
  });

  it('falls back to the entity ref without an entity row, and has windows only when given', () => {
    const bare = buildDossier(input({ entity: undefined }));
    expect(bare.entity.title).toBe(ENTITY);
    expect(bare).not.toHaveProperty('windows');

    const windows = { windows: [], exceptions: [] };
    expect(buildDossier(input({ windows })).windows).toEqual(windows);
  });
});

describe('renderDossierMarkdown', () => {
  const md = renderDossierMarkdown(buildDossier(input()));

  it('is a record with a heading and a section for each part', () => {
    expect(md).toMatch(/^# Release dossier: Payment Gateway 1\.4\.0\n/);
    for (const heading of [
      '## Evaluation',
      '### Blockers',
      '## Checklist',
      '## Evidence',
      '## Sign-offs',
      '### Votes, with their history',
      '## Risk assessment',
      '## Decisions',
      '## Audit trail',
    ]) {
      expect(md).toContain(`\n${heading}\n`);
    }
    expect(md).not.toContain('## Release windows');
    expect(md.endsWith('\n')).toBe(true);
  });

  it('keeps tables intact whatever the text', () => {
    expect(md).toContain('| a \\| b<br>c |');
    expect(md).toContain('- Rapid release reason: Hotfix for cards');
    const tableRows = md.split('\n').filter(line => line.startsWith('| '));
    for (const row of tableRows) {
      expect(row.endsWith(' |')).toBe(true);
    }
  });

  it('shows the evidence used, waivers, votes, blockers and decisions', () => {
    expect(md).toContain(
      'test-report `passed == true`: passed, passed true; evidence ev-1 (run run-41, commit 9f1c2d3',
    );
    expect(md).toContain(
      '| Unit tests (unit-tests) | build-and-test | yes | passed (automated) |',
    );
    expect(md).toContain('| Performance (perf) | performance | no | waived |');
    expect(md).toContain('No traffic change (by user:default/priya');
    expect(md).toContain('superseded 2026-11-27T12:05:00.000Z');
    expect(md).toContain('stale (older checklist)');
    expect(md).toContain('- Sign-offs: Quality assurance needs 1 Ready vote');
    expect(md).toContain(
      `| 2026-11-27T13:00:00.000Z | NO-GO | ${PRIYA} | Scan missing | ${'f'.repeat(
        64,
      )} |`,
    );
    expect(md).toContain('Audit chain: verified (2 events)');
    expect(md).toMatch(/1\. #1 .* \*\*gate\.open\*\*, hash `[0-9a-f]{64}`/);
  });

  it('renders release windows once they are given', () => {
    const withWindows = renderDossierMarkdown(
      buildDossier(
        input({
          windows: {
            windows: [
              {
                id: 'year-end',
                name: 'Year-end freeze',
                kind: 'freeze',
                from: '2026-12-20T00:00:00.000Z',
                to: '2027-01-04T00:00:00.000Z',
                scope: { all: true },
                approvers: ['group:default/release-management'],
                source: 'config',
              },
            ],
            exceptions: [
              {
                windowId: 'year-end',
                gateId: GATE.id,
                reason: 'Card outage fix',
                approvedBy: PRIYA,
                covers: ['group:default/release-management'],
                approvedAt: T0,
              },
            ],
          },
        }),
      ),
    );
    expect(withWindows).toContain('## Release windows');
    expect(withWindows).toContain('Year-end freeze (year-end)');
    expect(withWindows).toContain('Card outage fix');
    expect(withWindows.indexOf('## Release windows')).toBeLessThan(
      withWindows.indexOf('## Decisions'),
    );
  });
});

describe('chainLine', () => {
  it('says verified or where the chain breaks', () => {
    expect(chainLine({ ok: true, events: 12 })).toBe(
      'Audit chain: verified (12 events)',
    );
    expect(
      chainLine({
        ok: false,
        events: 12,
        firstBroken: {
          id: '42',
          action: 'signoff.vote',
          at: T0,
          reason: 'the hash does not match the content',
        },
      }),
    ).toBe(
      `Audit chain: BROKEN at event #42 (signoff.vote, ${T0}): the hash does not match the content`,
    );
  });
});

describe('dossierFileName', () => {
  it('names the entity and release, safely', () => {
    const dossier = buildDossier(input());
    expect(dossierFileName(dossier)).toBe('dossier-payment-gateway-1.4.0.md');
    expect(
      dossierFileName({
        ...dossier,
        gate: { ...dossier.gate, release: 'v2/"rc 1"' },
      }),
    ).toBe('dossier-payment-gateway-v2-rc-1.md');
  });
});
