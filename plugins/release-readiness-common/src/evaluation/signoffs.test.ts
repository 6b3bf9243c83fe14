import { evaluateGate } from './evaluateGate';
import { REQUESTER, hoursAgo, readyInput, vote } from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';
import { EvaluationInput, SignoffVote } from '../types';

function withVotes(votes: SignoffVote[]): EvaluationInput {
  const input = readyInput();
  input.gate.votes = votes;
  return input;
}

/** Votes meeting every role but QA. */
function allButQa(): SignoffVote[] {
  return readyInput().gate.votes.filter(v => v.role !== 'qa');
}

function roleOf(input: EvaluationInput, role: string) {
  return evaluateGate(input).roles.find(r => r.role === role);
}

describe('sign-offs', () => {
  it('is met when every role has its quorum of Ready votes', () => {
    const input = readyInput();
    expect(conditionOf(input, 'signoffs')).toMatchObject({
      title: 'Sign-offs',
      met: true,
      progress: 1,
    });
    expect(roleOf(input, 'security')).toEqual({
      role: 'security',
      title: 'Security',
      min: 2,
      readyVoters: ['user:default/sam', 'user:default/sara'],
      notReadyVoters: [],
      staleVoters: [],
      met: true,
    });
  });

  it('blocks a role without votes, saying how many Ready votes it needs', () => {
    const input = withVotes(allButQa());
    const condition = conditionOf(input, 'signoffs');
    expect(condition.met).toBe(false);
    expect(condition.progress).toBeCloseTo(2 / 3);
    expect(condition.blockers).toEqual([
      {
        condition: 'signoffs',
        role: 'qa',
        message:
          'QA: 0 of 1 Ready votes; needs a Ready vote from an eligible member',
      },
    ]);
  });

  it('counts a voter who voted twice only once', () => {
    const input = withVotes([
      ...allButQa().filter(v => v.role !== 'security'),
      vote('qa', 'user:default/nadia'),
      vote('security', 'user:default/sam'),
      vote('security', 'user:default/sam', 'ready', { at: hoursAgo(1) }),
    ]);
    expect(roleOf(input, 'security')).toMatchObject({
      readyVoters: ['user:default/sam'],
      met: false,
    });
    expect(messagesOf(input, 'signoffs')).toEqual([
      'Security: 1 of 2 Ready votes; needs one more Ready vote from an eligible member',
    ]);
    expect(conditionOf(input, 'signoffs').progress).toBeCloseTo(
      (1 + 1 + 0.5) / 3,
    );
  });

  it('blocks on a Not-ready vote even when the quorum is met, quoting it', () => {
    const input = readyInput();
    input.gate.votes.push(
      vote('qa', 'user:default/quinn', 'not-ready', {
        comment: 'flaky checkout tests',
      }),
    );
    expect(roleOf(input, 'qa')).toMatchObject({
      readyVoters: ['user:default/nadia'],
      notReadyVoters: ['user:default/quinn'],
      met: false,
    });
    expect(messagesOf(input, 'signoffs')).toEqual([
      "user:default/quinn voted Not ready for QA: 'flaky checkout tests'; resolve it and ask them to vote again",
    ]);
    expect(conditionOf(input, 'signoffs').progress).toBeCloseTo(2 / 3);
  });

  it('ignores superseded votes', () => {
    const input = readyInput();
    input.gate.votes.push(
      vote('qa', 'user:default/quinn', 'not-ready', {
        supersededAt: hoursAgo(1),
      }),
    );
    input.gate.votes
      .filter(v => v.role === 'engineering')
      .forEach(v => {
        v.supersededAt = hoursAgo(1);
      });
    expect(roleOf(input, 'qa')?.met).toBe(true);
    expect(roleOf(input, 'engineering')).toMatchObject({
      readyVoters: [],
      met: false,
    });
  });

  it('does not count a vote cast on an older checklist revision and asks to re-confirm', () => {
    const input = readyInput();
    input.gate.checklistRevision = 4;
    input.gate.votes = [
      ...allButQa().map(v => ({ ...v, checklistRevision: 4 })),
      vote('qa', 'user:default/nadia', 'ready', { checklistRevision: 3 }),
    ];
    expect(roleOf(input, 'qa')).toMatchObject({
      readyVoters: [],
      staleVoters: ['user:default/nadia'],
      met: false,
    });
    expect(messagesOf(input, 'signoffs')).toEqual([
      'QA: 0 of 1 Ready votes; needs a Ready vote from an eligible member',
      'QA: the vote of user:default/nadia was cast on checklist revision 3 and the checklist has changed since (now revision 4); ask them to re-confirm',
    ]);
  });

  it('does not let a stale Not-ready vote block', () => {
    const input = readyInput();
    input.gate.votes.push(
      vote('qa', 'user:default/quinn', 'not-ready', { checklistRevision: 2 }),
    );
    expect(roleOf(input, 'qa')).toMatchObject({
      met: true,
      staleVoters: ['user:default/quinn'],
    });
    expect(conditionOf(input, 'signoffs').met).toBe(true);
  });

  it('ignores votes of people not eligible for the role', () => {
    const input = withVotes([
      ...allButQa(),
      vote('qa', 'user:default/sam'),
      vote('qa', 'user:default/erin', 'not-ready'),
    ]);
    expect(roleOf(input, 'qa')).toMatchObject({
      readyVoters: [],
      notReadyVoters: [],
      met: false,
    });
    expect(messagesOf(input, 'signoffs')).toEqual([
      'QA: 0 of 1 Ready votes; needs a Ready vote from an eligible member. Votes of user:default/sam, user:default/erin do not count: not eligible for QA',
    ]);
  });

  it('does not count the requester’s Ready vote when self-approval is forbidden', () => {
    const input = withVotes([...allButQa(), vote('qa', REQUESTER)]);
    expect(roleOf(input, 'qa')).toMatchObject({ readyVoters: [], met: false });
    expect(messagesOf(input, 'signoffs')).toEqual([
      expect.stringContaining(
        `The Ready vote of ${REQUESTER} does not count: self-approval is not allowed`,
      ),
    ]);
  });

  it('counts the requester’s Ready vote when the template allows self-approval', () => {
    const input = withVotes([...allButQa(), vote('qa', REQUESTER)]);
    input.template.signoffs.selfApproval = true;
    expect(roleOf(input, 'qa')).toMatchObject({
      readyVoters: [REQUESTER],
      met: true,
    });
    expect(conditionOf(input, 'signoffs').met).toBe(true);
  });

  it('still lets the requester’s Not-ready vote block', () => {
    const input = readyInput();
    input.gate.votes.push(vote('qa', REQUESTER, 'not-ready'));
    expect(messagesOf(input, 'signoffs')).toEqual([
      expect.stringMatching(
        /^user:default\/rita voted Not ready for QA without a comment/,
      ),
    ]);
  });

  it('ignores votes for roles the template does not have', () => {
    const input = readyInput();
    input.gate.votes.push(vote('legal', 'user:default/lena', 'not-ready'));
    expect(conditionOf(input, 'signoffs').met).toBe(true);
  });

  it('is met when the template names no roles', () => {
    const input = withVotes([]);
    input.template.signoffs.roles = [];
    expect(conditionOf(input, 'signoffs')).toMatchObject({
      met: true,
      progress: 1,
    });
  });
});
