import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { discoveryApiRef } from '@backstage/core-plugin-api';
import {
  DEMO_USER_STORAGE_KEY,
  DemoSignInPage,
  DemoUser,
  groupByTeam,
} from './DemoSignInPage';

const baseUrl = 'http://backstage.test/api';
const discoveryApi = { getBaseUrl: async (id: string) => `${baseUrl}/${id}` };

/** A token shaped like Backstage's, which the sign-in page decodes for its expiry. */
function fakeToken(sub: string): string {
  const part = (value: object) =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const exp = Math.floor(Date.now() / 1000) + 3600;
  return `${part({ alg: 'ES256' })}.${part({ sub, exp })}.signature`;
}

const users: DemoUser[] = [
  {
    ref: 'user:default/nadia-haddad',
    displayName: 'Nadia Haddad',
    groups: ['group:default/qa'],
  },
  {
    ref: 'user:default/priya-raman',
    displayName: 'Priya Raman',
    description: 'Payments tech lead',
    groups: ['group:default/payments'],
  },
  {
    ref: 'user:default/tomasz-kowalski',
    displayName: 'Tomasz Kowalski',
    groups: ['group:default/payments'],
  },
];

describe('groupByTeam', () => {
  it('groups people by their first team, teams sorted', () => {
    expect(
      groupByTeam(users).map(([team, members]) => [
        team,
        members.map(m => m.displayName),
      ]),
    ).toEqual([
      ['payments', ['Priya Raman', 'Tomasz Kowalski']],
      ['qa', ['Nadia Haddad']],
    ]);
  });
});

describe('DemoSignInPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  beforeEach(() => window.localStorage.clear());

  function render(onSignInSuccess = jest.fn()) {
    return renderInTestApp(
      <TestApiProvider apis={[[discoveryApiRef, discoveryApi]]}>
        <DemoSignInPage onSignInSuccess={onSignInSuccess} />
      </TestApiProvider>,
    );
  }

  it('lists the catalog users by team', async () => {
    server.use(
      http.get(`${baseUrl}/demo-sign-in/users`, () =>
        HttpResponse.json({ items: users }),
      ),
    );
    await render();

    expect(
      await screen.findByRole('button', { name: 'Sign in as Priya Raman' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Payments tech lead')).toBeInTheDocument();
    expect(screen.getByText('payments')).toBeInTheDocument();
    expect(screen.getByText('qa')).toBeInTheDocument();
  });

  it('signs in as the chosen person through the demo auth provider', async () => {
    const seenHeaders: (string | null)[] = [];
    server.use(
      http.get(`${baseUrl}/demo-sign-in/users`, () =>
        HttpResponse.json({ items: users }),
      ),
      http.get(`${baseUrl}/auth/demo/refresh`, ({ request }) => {
        seenHeaders.push(request.headers.get('x-demo-user'));
        return HttpResponse.json({
          profile: { displayName: 'Priya Raman' },
          backstageIdentity: {
            token: fakeToken('user:default/priya-raman'),
            identity: {
              type: 'user',
              userEntityRef: 'user:default/priya-raman',
              ownershipEntityRefs: ['group:default/payments'],
            },
          },
        });
      }),
    );
    const onSignInSuccess = jest.fn();
    await render(onSignInSuccess);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Sign in as Priya Raman' }),
    );

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(seenHeaders).toContain('user:default/priya-raman');
    expect(window.localStorage.getItem(DEMO_USER_STORAGE_KEY)).toBe(
      'user:default/priya-raman',
    );
    const identity = onSignInSuccess.mock.calls[0][0];
    expect((await identity.getBackstageIdentity()).userEntityRef).toBe(
      'user:default/priya-raman',
    );
  });

  it('explains when the catalog has no users yet', async () => {
    server.use(
      http.get(`${baseUrl}/demo-sign-in/users`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await render();
    expect(
      await screen.findByText(/The catalog has no users yet/),
    ).toBeInTheDocument();
  });

  it('shows an error when the backend cannot list users', async () => {
    server.use(
      http.get(`${baseUrl}/demo-sign-in/users`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'catalog unavailable' },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    await render();
    expect(
      (await screen.findAllByText(/catalog unavailable/)).length,
    ).toBeGreaterThan(0);
  });
});
