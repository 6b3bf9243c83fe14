import {
  ConditionResult,
  Gate,
  GateEvaluation,
  RoleResult,
} from '@release-readiness/plugin-common';
import { signoffRequestsDue } from './signoffRequests';

const gate = {
  id: 'g1',
  entityRef: 'component:default/payment-gateway',
  release: '1.0.0',
  state: 'in-progress',
  requestedBy: 'user:default/priya-raman',
} as Gate;

const template = {
  signoffs: {
    selfApproval: false,
    roles: [
      {
        id: 'engineering',
        title: 'Engineering',
        eligible: { gateOwners: true },
        min: 1,
      },
      {
        id: 'qa',
        title: 'Quality assurance',
        eligible: { groups: ['group:default/qa'], users: ['user:default/lee'] },
        min: 2,
      },
    ],
  },
} as any;

const condition = (id: string, met: boolean) =>
  ({ id, met, blockers: [] } as unknown as ConditionResult);
const role = (id: string, met: boolean, readyVoters: string[] = []) =>
  ({ role: id, met, readyVoters } as unknown as RoleResult);

function evaluation(unmet: string[], roles: RoleResult[]): GateEvaluation {
  return {
    conditions: [
      'artifacts',
      'automated',
      'risk',
      'rollback',
      'communication',
      'signoffs',
      'window',
      'rollup',
    ].map(id => condition(id, !unmet.includes(id))),
    roles,
  } as unknown as GateEvaluation;
}

describe('signoffRequestsDue', () => {
  const owners = ['group:default/payments'];

  it('asks nobody while a fact a voter judges is missing', () => {
    for (const missing of [
      'artifacts',
      'automated',
      'risk',
      'rollback',
      'communication',
      'rollup',
    ]) {
      expect(
        signoffRequestsDue(
          gate,
          template,
          evaluation([missing, 'signoffs'], [role('engineering', false)]),
          owners,
        ),
      ).toEqual([]);
    }
  });

  it('asks the roles still short of their quorum once the facts are in, whatever the window says', () => {
    const due = signoffRequestsDue(
      gate,
      template,
      evaluation(
        ['signoffs', 'window'],
        [
          role('engineering', true, ['user:default/tomasz-kowalski']),
          role('qa', false, ['user:default/nadia-haddad']),
        ],
      ),
      owners,
    );
    expect(due).toEqual([
      {
        role: 'qa',
        title: 'Quality assurance',
        recipients: ['group:default/qa', 'user:default/lee'],
        exclude: ['user:default/nadia-haddad', 'user:default/priya-raman'],
      },
    ]);
  });

  it('addresses a gate-owner role to the gate owners, and asks nothing of a closed gate', () => {
    const unmet = evaluation(['signoffs'], [role('engineering', false)]);
    expect(
      signoffRequestsDue(gate, template, unmet, owners)[0].recipients,
    ).toEqual(owners);
    expect(
      signoffRequestsDue({ ...gate, state: 'go' }, template, unmet, owners),
    ).toEqual([]);
  });

  it('leaves out who voted in another role, unless the template lets one person fill several', () => {
    const voted = {
      ...gate,
      votes: [
        { voter: 'user:default/ben', role: 'engineering', verdict: 'ready' },
        {
          voter: 'user:default/old',
          role: 'engineering',
          verdict: 'ready',
          supersededAt: '2026-12-01T00:00:00Z',
        },
      ],
    } as unknown as Gate;
    const unmet = evaluation(['signoffs'], [role('qa', false)]);
    expect(signoffRequestsDue(voted, template, unmet, owners)[0].exclude).toEqual(
      ['user:default/priya-raman', 'user:default/ben'],
    );
    expect(
      signoffRequestsDue(
        voted,
        { ...template, governance: { oneRolePerPerson: false } },
        unmet,
        owners,
      )[0].exclude,
    ).toEqual(['user:default/priya-raman']);
  });
});
