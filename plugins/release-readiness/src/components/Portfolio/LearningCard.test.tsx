/*
 * "Learning from releases" on the portfolio (issue 18): per team, debrief
 * completion and open follow-ups; per person, the gates they facilitated
 * this quarter; under the portfolio's team filter.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { releaseReadinessApiRef } from '../../api';
import { completionRate, LearningCard } from './LearningCard';

const learning = {
  from: '2026-10-01T00:00:00.000Z',
  to: '2026-12-06T12:00:00.000Z',
  teams: [
    {
      owner: 'group:default/checkout',
      endedGates: 0,
      debriefed: 0,
      openFollowUps: 2,
      overdueFollowUps: 1,
    },
    {
      owner: 'group:default/payments',
      endedGates: 8,
      debriefed: 6,
      openFollowUps: 3,
      overdueFollowUps: 0,
    },
  ],
  facilitators: [
    { person: 'user:default/priya-raman', gates: 4 },
    { person: 'user:default/tomasz-kowalski', gates: 1 },
  ],
  heroes: [
    { person: 'user:default/samuel-adeyemi', catches: 3 },
    { person: 'user:default/nadia-haddad', catches: 1 },
  ],
};

describe('LearningCard', () => {
  it('shows debrief completion and follow-ups per team, and who facilitated', async () => {
    const getLearning = jest.fn().mockResolvedValue(learning);
    await renderInTestApp(
      <TestApiProvider apis={[[releaseReadinessApiRef, { getLearning }]]}>
        <LearningCard owner="group:default/payments" />
      </TestApiProvider>,
    );
    expect(getLearning).toHaveBeenCalledWith({
      owner: 'group:default/payments',
    });
    const table = await screen.findByRole('table', {
      name: 'Learning from releases',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows[1]).toHaveTextContent(/checkout\s*00—21/);
    expect(rows[2]).toHaveTextContent(/payments\s*8675 %30/);
    expect(screen.getByText('Since 2026-10-01')).toBeInTheDocument();
    const people = screen.getByRole('list', {
      name: 'Facilitators this quarter',
    });
    expect(people).toHaveTextContent(
      /priya-raman facilitated 4 gates this quarter/,
    );
    expect(people).toHaveTextContent(
      /tomasz-kowalski facilitated 1 gate this quarter/,
    );
  });

  it('names the gate heroes and copies them as a short text for a team channel', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            releaseReadinessApiRef,
            { getLearning: jest.fn().mockResolvedValue(learning) },
          ],
        ]}
      >
        <LearningCard />
      </TestApiProvider>,
    );
    const heroes = await screen.findByRole('list', {
      name: 'Gate heroes this quarter',
    });
    expect(heroes).toHaveTextContent(
      /samuel-adeyemi caught 3 releases before production/,
    );
    expect(heroes).toHaveTextContent(
      /nadia-haddad caught 1 release before production/,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy for the team channel' }),
    );
    expect(writeText).toHaveBeenCalledWith(
      'Gate heroes since 2026-10-01: samuel-adeyemi (3), nadia-haddad (1). Their Not-ready votes and failed checks stopped releases before production, and the fixes landed. Thank you!',
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Copied. Paste it in your team channel.',
    );
  });

  it('says when nothing ended and nobody facilitated', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            releaseReadinessApiRef,
            {
              getLearning: jest.fn().mockResolvedValue({
                ...learning,
                teams: [],
                facilitators: [],
              }),
            },
          ],
        ]}
      >
        <LearningCard />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'No gate ended this quarter and no follow-up is open.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Nobody facilitated a gate this quarter yet.'),
    ).toBeInTheDocument();
  });

  it('rounds the completion rate, and has none when no gate ended', () => {
    expect(completionRate(learning.teams[1])).toBe(75);
    expect(completionRate(learning.teams[0])).toBeUndefined();
    expect(
      completionRate({ ...learning.teams[1], endedGates: 3, debriefed: 2 }),
    ).toBe(67);
  });
});
