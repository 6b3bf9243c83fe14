/**
 * The demo sign-in lets anyone act as any user of the catalog. That is what a
 * demo needs and exactly what production must never allow, so it refuses to
 * exist unless the backend runs in development (`backstage-cli package start`
 * sets NODE_ENV=development; a production build sets NODE_ENV=production).
 */
export function assertDevelopment(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV !== 'development') {
    throw new Error(
      `The demo sign-in only runs in development, but NODE_ENV is '${
        env.NODE_ENV ?? ''
      }'. Remove it from the backend, and configure a real sign-in provider.`,
    );
  }
}

/** The header the demo sign-in page uses to say who the person acts as. */
export const DEMO_USER_HEADER = 'x-demo-user';
