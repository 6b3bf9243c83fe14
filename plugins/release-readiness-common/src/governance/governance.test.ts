import { evaluateGate } from '../evaluation/evaluateGate';
import {
  NOW,
  REQUESTER,
  daysAgo,
  hoursAgo,
  patchItem,
  readyInput,
  template,
  vote,
} from '../evaluation/__fixtures__/gate';
import { gateTemplateSchema } from '../templates/schema';
import {
  approvalProblem,
  canApprove,
  evidenceChangeIsMaterial,
  governanceOf,
  materialRiskChanges,
  notApplicableProblem,
  pendingApprovals,
  secondRoleProblem,
  selfApprovalProblem,
  templateChoiceConcern,
  templateReasonNeeded,
  waiverApproversFor,
  waiverExpiryProblem,
} from './governance';

const component = { name: 'component-gate', tier: 1 as const, rapid: false };
const system = { name: 'system-gate', tier: 2 as const, rapid: false };
const rapid = { name: 'rapid-release', tier: 1 as const, rapid: true };

describe('governanceOf', () => {
  it('is strict by default', () => {
    expect(governanceOf(template())).toEqual({
      templateApprovers: ['group:default/release-management'],
      waiverMaxDuration: 'P30D',
      waiverApprovers: {
        security: ['group:default/security'],
        compliance: ['group:default/compliance'],
      },
      oneRolePerPerson: true,
      selfApproval: false,
      materialRiskChanges: ['rollbackPlan', 'impactMatrix'],
    });
  });

  it('takes what the template says, and the self-approval of its sign-offs', () => {
    const t = template();
    t.signoffs.selfApproval = true;
    t.governance = {
      templateApprovers: ['group:default/cab'],
      oneRolePerPerson: false,
      waiverApprovers: { security: ['group:default/appsec'] },
    };
    expect(governanceOf(t)).toMatchObject({
      templateApprovers: ['group:default/cab'],
      oneRolePerPerson: false,
      selfApproval: true,
      waiverApprovers: { security: ['group:default/appsec'] },
    });
    t.governance.selfApproval = false;
    expect(governanceOf(t).selfApproval).toBe(false);
  });
});

describe('spec.governance in a template file', () => {
  const file = (governance: unknown) => ({
    apiVersion: 'release-readiness/v1',
    kind: 'GateTemplate',
    metadata: { name: 'g', title: 'G' },
    spec: {
      tier: 1,
      version: '1',
      checklist: [{ id: 'a', title: 'A', category: 'security' }],
      signoffs: {
        roles: [{ id: 'e', title: 'E', eligible: { gateOwners: true } }],
      },
      risk: {},
      governance,
    },
  });

  it('is read, refs made full', () => {
    const parsed = gateTemplateSchema.parse(
      file({
        templateApprovers: ['cab', 'user:default/Chief'],
        waiverMaxDuration: 'P7D',
        materialRiskChanges: ['rollbackPlan', 'communication'],
      }),
    );
    expect(parsed.governance).toEqual({
      templateApprovers: ['group:default/cab', 'user:default/chief'],
      waiverMaxDuration: 'P7D',
      materialRiskChanges: ['rollbackPlan', 'communication'],
    });
  });

  it('refuses what is wrong, naming the key', () => {
    const result = gateTemplateSchema.safeParse(
      file({
        waiverMaxDuration: '30 days',
        materialRiskChanges: ['rollback'],
        templateApprovers: [],
        selfApprove: true,
      }),
    );
    expect(result.success).toBe(false);
    const paths = result.success
      ? []
      : result.error.issues.map(i => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'spec.governance.waiverMaxDuration',
        'spec.governance.materialRiskChanges.0',
        'spec.governance.templateApprovers',
        'spec.governance',
      ]),
    );
  });
});

describe('templateChoiceConcern', () => {
  it('accepts the template that applies', () => {
    expect(templateChoiceConcern(component, component)).toBeUndefined();
  });

  it('names another template, its tier, the rapid path and no template at all', () => {
    expect(templateChoiceConcern(system, component)).toBe(
      'system-gate (tier 2 instead of tier 1) is not the template that applies to the entity, component-gate',
    );
    expect(templateChoiceConcern(rapid, component)).toBe(
      'rapid-release is the expedited (rapid) template',
    );
    // Named by the entity's annotation, rapid still is the rapid path.
    expect(templateChoiceConcern(rapid, rapid)).toBeDefined();
    expect(templateChoiceConcern(component, undefined)).toMatch(
      /no template applies/,
    );
  });
});

describe('waivers', () => {
  const governance = governanceOf(template());

  it('may run up to the maximum, not beyond', () => {
    expect(waiverExpiryProblem(daysAgo(-30), NOW, governance)).toBeUndefined();
    expect(waiverExpiryProblem('9999-12-31T00:00:00Z', NOW, governance)).toBe(
      "waiver.expiresAt: a waiver may run at most P30D (the template's governance.waiverMaxDuration), so until 2026-07-15T12:00:00.000Z at the latest",
    );
  });

  it('of a required security or compliance item needs that role; others need nobody', () => {
    expect(
      waiverApproversFor({ required: true, category: 'security' }, governance),
    ).toEqual(['group:default/security']);
    expect(
      waiverApproversFor(
        { required: true, category: 'compliance' },
        governance,
      ),
    ).toEqual(['group:default/compliance']);
    expect(
      waiverApproversFor({ required: false, category: 'security' }, governance),
    ).toBeUndefined();
    expect(
      waiverApproversFor(
        { required: true, category: 'documentation' },
        governance,
      ),
    ).toBeUndefined();
  });

  it('awaiting approval does not count until approved', () => {
    const input = readyInput();
    patchItem(input.gate, 'security-review', {
      status: 'waived',
      waiver: {
        justification: 'reviewed last release',
        expiresAt: daysAgo(-5),
        by: 'user:default/erin',
        at: hoursAgo(1),
        approval: { approvers: ['group:default/security'] },
      },
    });
    const pending = evaluateGate(input);
    expect(pending.ready).toBe(false);
    expect(pending.blockers.map(b => b.message)).toContain(
      'Security review is waived but the waiver awaits approval by group:default/security and does not count until then; renew the waiver or mark the item',
    );
    input.gate.items.find(i => i.id === 'security-review')!.waiver!.approval = {
      approvers: ['group:default/security'],
      approvedBy: 'user:default/sam',
      approvedAt: hoursAgo(0.5),
    };
    expect(evaluateGate(input).ready).toBe(true);
  });
});

describe('not applicable', () => {
  it('needs a justification on a required item only', () => {
    const item = { required: true, title: 'Security review' };
    expect(notApplicableProblem(item, undefined)).toMatch(/^note: /);
    expect(notApplicableProblem(item, '   ')).toMatch(/^note: /);
    expect(notApplicableProblem(item, 'no user-facing change')).toBeUndefined();
    expect(
      notApplicableProblem({ required: false, title: 'Load test' }, undefined),
    ).toBeUndefined();
  });
});

describe('segregation of duties', () => {
  const governance = governanceOf(template());
  const votes = [vote('engineering', 'user:default/erin')];

  it('refuses a second role to one person, not a new vote in the same role', () => {
    expect(
      secondRoleProblem(
        votes,
        'user:default/Erin',
        { id: 'qa', title: 'QA' },
        governance,
        () => 'Engineering',
      ),
    ).toBe(
      'user:default/Erin already signed off for Engineering on this gate; one person fills at most one role on a gate (governance.oneRolePerPerson), so QA needs someone else',
    );
    expect(
      secondRoleProblem(
        votes,
        'user:default/erin',
        { id: 'engineering', title: 'Engineering' },
        governance,
      ),
    ).toBeUndefined();
    expect(
      secondRoleProblem(
        votes,
        'user:default/erin',
        { id: 'qa', title: 'QA' },
        { oneRolePerPerson: false },
      ),
    ).toBeUndefined();
  });

  it('counts a person written into two roles (around the API) for the first only', () => {
    const input = readyInput();
    // Erin is eligible for engineering only; Rita (the requester) for both,
    // so use a template allowing self-approval to isolate the rule.
    input.template.signoffs.selfApproval = true;
    input.gate.votes = input.gate.votes.filter(v => v.role !== 'qa');
    input.gate.votes.push(
      vote('qa', REQUESTER, 'ready', { at: hoursAgo(1) }),
      vote('engineering', REQUESTER, 'ready', { at: hoursAgo(3) }),
    );
    input.gate.votes = input.gate.votes.filter(
      v => !(v.role === 'engineering' && v.voter === 'user:default/erin'),
    );
    const evaluation = evaluateGate(input);
    expect(evaluation.roles.find(r => r.role === 'engineering')?.met).toBe(
      true,
    );
    expect(evaluation.roles.find(r => r.role === 'qa')?.met).toBe(false);
    expect(evaluation.blockers.map(b => b.message).join('\n')).toContain(
      `The vote of ${REQUESTER} does not count: they count for Engineering already, and one person fills at most one role on a gate`,
    );
    input.template.governance = { oneRolePerPerson: false };
    expect(evaluateGate(input).roles.find(r => r.role === 'qa')?.met).toBe(
      true,
    );
  });

  it('stops the requester approving their own gate unless the template allows it', () => {
    expect(
      selfApprovalProblem(
        { requestedBy: REQUESTER },
        REQUESTER,
        governance,
        'GO',
      ),
    ).toMatch(/requested this gate and its template forbids self-approval/);
    expect(
      selfApprovalProblem(
        { requestedBy: REQUESTER },
        'user:default/erin',
        governance,
        'GO',
      ),
    ).toBeUndefined();
    expect(
      selfApprovalProblem(
        { requestedBy: REQUESTER },
        REQUESTER,
        { selfApproval: true },
        'GO',
      ),
    ).toBeUndefined();
  });
});

describe('approvals', () => {
  const approval = { approvers: ['group:default/release-management'] };
  const manager = {
    userEntityRef: 'user:default/margaret',
    claims: ['user:default/margaret', 'group:default/release-management'],
  };

  it('are given by an approver, not by someone else nor the person they guard against', () => {
    expect(approvalProblem(approval, manager, 'the choice')).toBeUndefined();
    expect(canApprove(approval, manager.claims)).toBe(true);
    expect(
      approvalProblem(
        approval,
        {
          userEntityRef: 'user:default/erin',
          claims: ['group:default/payments'],
        },
        'the choice',
      ),
    ).toEqual({
      status: 403,
      message: 'Only group:default/release-management may approve the choice',
    });
    expect(
      approvalProblem(approval, manager, 'the choice', {
        ref: 'user:default/Margaret',
        why: 'they requested this gate',
      }),
    ).toEqual({
      status: 403,
      message:
        'user:default/margaret may not approve the choice: they requested this gate',
    });
    expect(
      approvalProblem(
        { ...approval, approvedBy: 'user:default/moe' },
        manager,
        'the choice',
      ),
    ).toEqual({
      status: 409,
      message: 'the choice was already approved by user:default/moe',
    });
  });

  it('a pending template choice blocks GO (sign-offs) and is listed', () => {
    const input = readyInput();
    input.gate.templateReason = 'hotfix';
    input.gate.templateApproval = {
      approvers: ['group:default/release-management'],
      because: 'rapid-release is the expedited (rapid) template',
    };
    const evaluation = evaluateGate(input);
    expect(evaluation.ready).toBe(false);
    expect(
      evaluation.conditions.find(c => c.id === 'signoffs')?.blockers[0].message,
    ).toBe(
      'The choice of template standard-service awaits approval by group:default/release-management: rapid-release is the expedited (rapid) template; GO is not possible until one of them approves it',
    );
    expect(pendingApprovals(input.gate)).toEqual([
      {
        kind: 'template',
        approvers: ['group:default/release-management'],
        message:
          "The choice of template standard-service awaits approval by group:default/release-management: rapid-release is the expedited (rapid) template (reason given: 'hotfix')",
      },
    ]);
    input.gate.templateApproval.approvedBy = 'user:default/margaret';
    expect(evaluateGate(input).ready).toBe(true);
    expect(pendingApprovals(input.gate)).toEqual([]);
  });
});

describe('stale votes', () => {
  const governance = governanceOf(template());
  const before = readyInput().gate.risk!;

  it('on a material change of the risk assessment', () => {
    expect(
      materialRiskChanges(
        before,
        { ...before, rollbackPlan: 'Roll forward only' },
        governance,
      ),
    ).toEqual(['rollbackPlan']);
    expect(
      materialRiskChanges(before, { ...before, impactMatrix: [] }, governance),
    ).toEqual(['impactMatrix']);
  });

  it('not on a change the template does not call material, nor a first fill', () => {
    expect(
      materialRiskChanges(
        before,
        {
          ...before,
          communication: { audiences: ['everyone'] },
          rollbackPlan: `  ${before.rollbackPlan}  `,
        },
        governance,
      ),
    ).toEqual([]);
    expect(materialRiskChanges(undefined, before, governance)).toEqual([]);
    expect(
      materialRiskChanges(
        before,
        { ...before, communication: { audiences: ['everyone'] } },
        { materialRiskChanges: ['communication'] },
      ),
    ).toEqual(['communication']);
  });

  it('on evidence that turns an item away from passed or into failed', () => {
    expect(evidenceChangeIsMaterial('passed', 'failed')).toBe(true);
    expect(evidenceChangeIsMaterial('passed', 'stale')).toBe(true);
    expect(evidenceChangeIsMaterial('missing', 'failed')).toBe(true);
    expect(evidenceChangeIsMaterial('missing', 'passed')).toBe(false);
    expect(evidenceChangeIsMaterial('failed', 'passed')).toBe(false);
    expect(evidenceChangeIsMaterial('passed', 'passed')).toBe(false);
  });
});

describe('templateReasonNeeded', () => {
  it('follows templateChoiceConcern for a form', () => {
    expect(templateReasonNeeded(undefined, 'component-gate')).toBe(false);
    expect(templateReasonNeeded(component, 'component-gate')).toBe(false);
    expect(templateReasonNeeded(system, 'component-gate')).toBe(true);
    expect(templateReasonNeeded(rapid, 'rapid-release')).toBe(true);
    expect(templateReasonNeeded(component, undefined)).toBe(true);
  });
});
