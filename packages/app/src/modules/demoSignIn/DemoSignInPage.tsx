import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ProxiedSignInPage,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  IdentityApi,
  useApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';

/** Where the person last chosen is remembered, so a reload keeps them. */
export const DEMO_USER_STORAGE_KEY = 'release-readiness:demo-user';

/** A person of the demo catalog, as the backend lists them. */
export interface DemoUser {
  ref: string;
  displayName: string;
  email?: string;
  description?: string;
  groups: string[];
}

function groupName(ref: string): string {
  return ref.replace(/^group:(default\/)?/, '');
}

/** Groups people by their first team, teams in alphabetical order. */
export function groupByTeam(users: DemoUser[]): [string, DemoUser[]][] {
  const teams = new Map<string, DemoUser[]>();
  for (const user of users) {
    const team = user.groups.length ? groupName(user.groups[0]) : 'no team';
    teams.set(team, [...(teams.get(team) ?? []), user]);
  }
  return [...teams.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Forgets the remembered person when they sign out, so the list shows again. */
function forgetOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(DEMO_USER_STORAGE_KEY);
      await identity.signOut();
    },
  };
}

/**
 * Development-only sign-in: lists the users of the catalog and signs in as the
 * one picked, through the backend's `demo` auth provider.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const discoveryApi = useApi(discoveryApiRef);
  const [chosen, setChosen] = useState<string | null>(() =>
    window.localStorage.getItem(DEMO_USER_STORAGE_KEY),
  );

  // Someone remembered is signed in at once: their load of the app does not
  // make the backend list every user for a page it never shows.
  const users = useAsync(async (): Promise<DemoUser[]> => {
    if (chosen) {
      return [];
    }
    const baseUrl = await discoveryApi.getBaseUrl('demo-sign-in');
    const response = await fetch(`${baseUrl}/users`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()).items;
  }, [discoveryApi, chosen]);

  if (chosen) {
    return (
      <ProxiedSignInPage
        provider="demo"
        headers={{ 'x-demo-user': chosen }}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgetOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Content>
              <ResponseErrorPanel
                error={error ?? new Error('Sign-in failed')}
              />
              <Button
                variant="contained"
                onClick={() => {
                  window.localStorage.removeItem(DEMO_USER_STORAGE_KEY);
                  setChosen(null);
                }}
              >
                Choose someone else
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  const choose = (ref: string) => {
    window.localStorage.setItem(DEMO_USER_STORAGE_KEY, ref);
    setChosen(ref);
  };

  return (
    <Page themeId="home">
      <Header
        title="Release Readiness demo"
        subtitle="Development sign-in: act as anyone in the demo catalog"
      />
      <Content>
        <Typography variant="body1" paragraph>
          Pick a person to act as. To walk a release through its gate, sign in
          as a member of the owning team, then as QA, security and release
          management to sign off. Sign out from Settings to switch.
        </Typography>
        {users.loading && <Progress />}
        {users.error && <ResponseErrorPanel error={users.error} />}
        {users.value && users.value.length === 0 && (
          <Typography variant="body1">
            The catalog has no users yet. It reads examples/org.yaml shortly
            after the backend starts; reload in a few seconds.
          </Typography>
        )}
        <Grid container spacing={3}>
          {groupByTeam(users.value ?? []).map(([team, members]) => (
            <Grid item xs={12} sm={6} md={4} key={team}>
              <InfoCard title={team}>
                {members.map(user => (
                  <Button
                    key={user.ref}
                    fullWidth
                    variant="outlined"
                    style={{
                      justifyContent: 'flex-start',
                      marginBottom: 8,
                      textTransform: 'none',
                    }}
                    aria-label={`Sign in as ${user.displayName}`}
                    onClick={() => choose(user.ref)}
                  >
                    <span style={{ textAlign: 'left', width: '100%' }}>
                      <strong>{user.displayName}</strong>
                      {user.description && (
                        <Typography
                          variant="caption"
                          component="span"
                          display="block"
                        >
                          {user.description}
                        </Typography>
                      )}
                    </span>
                  </Button>
                ))}
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
