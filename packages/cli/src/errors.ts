/**
 * Exit codes of the command, the contract with pipelines:
 *
 * - 0: done; for `gate check`, the release may go (GO);
 * - 1: the server answered no: NO-GO or IN PROGRESS, or it refused the request
 *   (a 4xx answer, such as a bad token or an unknown entity);
 * - 2: the command could not do its job: a usage error, or the server stayed
 *   unreachable (network errors, 5xx or 429 after every retry).
 */
export const EXIT_OK = 0;
export const EXIT_NO = 1;
export const EXIT_ERROR = 2;

/** The command line is wrong: a missing or invalid option, a bad file. */
export class UsageError extends Error {
  name = 'UsageError';
}

/** The server answered with a 4xx: retrying would not change its mind. */
export class ApiRefusedError extends Error {
  name = 'ApiRefusedError';

  constructor(
    message: string,
    readonly status: number,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/**
 * The server could not be reached, kept failing (5xx or 429) through every
 * retry, or answered with something that is not the API's JSON.
 */
export class ApiUnavailableError extends Error {
  name = 'ApiUnavailableError';

  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

/** A hint for a refusal whose cause is usually on the caller's side. */
export function hintFor(error: ApiRefusedError): string | undefined {
  if (error.status === 401) {
    return 'check the token: --token or RELEASE_READINESS_TOKEN, configured in backend.auth.externalAccess';
  }
  return undefined;
}
