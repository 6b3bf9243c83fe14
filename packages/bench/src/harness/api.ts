/*
 * Talking to a backend under test: requests that never throw on an HTTP
 * status and never wait forever, and the tokens people and CI use.
 */

/** The demo's CI token (app-config.yaml, `backend.auth.externalAccess`). */
export const DEMO_CI_TOKEN = 'local-demo-ci-token-not-for-production';

/** The plugin's base path. */
export const API_PATH = '/api/release-readiness';

export interface ApiResponse<T = any> {
  /** HTTP status; 0 when no response came (refused, reset, timed out). */
  status: number;
  body: T;
  /** Wall time of the request. */
  ms: number;
  /** Why no response came, when status is 0. */
  error?: string;
  /** Whether the request was cut by `timeoutMs`. */
  timedOut?: boolean;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Abort after this long. Default 30 s. */
  timeoutMs?: number;
}

/** One HTTP request; resolves with whatever happened. */
export async function request<T = any>(
  method: string,
  url: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const started = performance.now();
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    const res = await fetch(url, {
      method,
      headers,
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body, ms: performance.now() - started };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    return {
      status: 0,
      body: undefined as T,
      ms: performance.now() - started,
      error: `${e.name}: ${e.message}${
        e.cause?.code ? ` (${e.cause.code})` : ''
      }`,
      ...(timedOut ? { timedOut } : {}),
    };
  }
}

/** A client for one backend's Release Readiness API. */
export class ReadinessApi {
  constructor(
    readonly baseUrl: string,
    private readonly defaults: { timeoutMs?: number } = {},
  ) {}

  call<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    return request<T>(method, `${this.baseUrl}${API_PATH}${path}`, {
      ...this.defaults,
      ...options,
    });
  }

  get<T = any>(path: string, token?: string, options: RequestOptions = {}) {
    return this.call<T>('GET', path, { ...options, token });
  }
}

/**
 * A user token from the development-only demo sign-in (packages/backend,
 * NODE_ENV=development). Right after start-up the catalog may not have read
 * the user yet, so this retries until `timeoutMs`.
 */
export async function demoUserToken(
  baseUrl: string,
  user: string,
  timeoutMs = 60_000,
): Promise<string> {
  const ref = user.includes(':') ? user : `user:default/${user}`;
  const deadline = Date.now() + timeoutMs;
  let last: ApiResponse | undefined;
  for (;;) {
    last = await request('GET', `${baseUrl}/api/auth/demo/refresh`, {
      headers: { 'x-demo-user': ref, 'x-requested-with': 'XMLHttpRequest' },
      timeoutMs: 10_000,
    });
    const token = last.body?.backstageIdentity?.token;
    if (last.status === 200 && typeof token === 'string') return token;
    if (Date.now() > deadline) {
      throw new Error(
        `No demo sign-in token for ${ref} from ${baseUrl} within ${timeoutMs} ms: last answer ${
          last.status
        } ${JSON.stringify(last.body ?? last.error).slice(0, 300)}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Tokens for several people at once, by name. */
export async function demoUserTokens(
  baseUrl: string,
  users: string[],
  timeoutMs?: number,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    users.map(
      async u => [u, await demoUserToken(baseUrl, u, timeoutMs)] as const,
    ),
  );
  return Object.fromEntries(entries);
}

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
  intervalMs = 250,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}
