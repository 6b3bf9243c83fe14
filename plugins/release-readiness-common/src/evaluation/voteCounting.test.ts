import { RoleResult, SignoffRole, SignoffVote } from '../types';
import { voteNotCountingReason, voteWouldNotCount } from './voteCounting';

const QA: SignoffRole = {
  id: 'qa',
  title: 'QA',
  min: 1,
  eligible: { groups: ['group:default/qa'] },
};
const ENG: SignoffRole = {
  id: 'eng',
  title: 'Engineering',
  min: 1,
  eligible: { gateOwners: true },
};
const OWNERS = ['group:default/payments'];
const GATE = { requestedBy: 'user:default/priya' };
const priya = {
  userEntityRef: 'user:default/Priya',
  ownershipEntityRefs: ['group:default/payments'],
};
const nadia = {
  userEntityRef: 'user:default/nadia',
  ownershipEntityRefs: ['group:default/qa'],
};

describe('voteWouldNotCount', () => {
  it('is silent for an eligible person whose vote counts', () => {
    expect(voteWouldNotCount(QA, nadia, GATE, OWNERS, false)).toBeUndefined();
    expect(voteWouldNotCount(ENG, priya, GATE, OWNERS, true)).toBeUndefined();
  });

  it('says who may vote to someone not eligible', () => {
    expect(voteWouldNotCount(QA, priya, GATE, OWNERS, false)).toBe(
      'Only members of group:default/qa can sign off as QA.',
    );
  });

  it('tells the requester their Ready vote would not count without self-approval', () => {
    expect(voteWouldNotCount(ENG, priya, GATE, OWNERS, false)).toMatch(
      /^You requested this gate and its template does not allow self-approval/,
    );
  });
});

describe('voteNotCountingReason', () => {
  const vote = (voter: string, verdict: 'ready' | 'not-ready' = 'ready') =>
    ({
      id: voter,
      role: 'eng',
      voter,
      verdict,
      at: '2026-12-01T10:00:00Z',
      checklistRevision: 1,
    } as SignoffVote);
  const result = (over: Partial<RoleResult>): RoleResult => ({
    role: 'eng',
    title: 'Engineering',
    min: 1,
    readyVoters: [],
    notReadyVoters: [],
    staleVoters: [],
    met: false,
    ...over,
  });

  it('is silent for a counted vote', () => {
    expect(
      voteNotCountingReason(
        vote('user:default/tomasz'),
        result({ readyVoters: ['user:default/tomasz'] }),
        GATE,
        false,
      ),
    ).toBeUndefined();
  });

  it('names self-approval, staleness and ineligibility', () => {
    expect(
      voteNotCountingReason(
        vote('user:default/priya'),
        result({}),
        GATE,
        false,
      ),
    ).toBe(
      'does not count: they requested this gate and its template does not allow self-approval',
    );
    expect(
      voteNotCountingReason(
        vote('user:default/tomasz'),
        result({ staleVoters: ['user:default/tomasz'] }),
        GATE,
        false,
      ),
    ).toMatch(/checklist item changed after this vote/);
    expect(
      voteNotCountingReason(
        vote('user:default/hiroshi'),
        result({}),
        GATE,
        true,
      ),
    ).toBe('does not count: not eligible for Engineering');
  });
});
