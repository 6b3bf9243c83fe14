import { ApiRefusedError, ApiUnavailableError, UsageError } from './errors';
import type { MetricValue } from './metrics';

/** The API's base path, appended to the backend's URL. */
export const API_PATH = '/api/release-readiness';

export const EVIDENCE_STATUSES = [
  'passed',
  'failed',
  'error',
  'unknown',
] as const;

export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** The body of `POST /evidence`. */
export interface EvidenceBody {
  entityRef: string;
  release: string;
  type: string;
  status: EvidenceStatus;
  metrics?: Record<string, MetricValue>;
  link?: string;
  commit?: string;
  runId: string;
  observedAt?: string;
}

/** What `POST /evidence` answered. */
export interface EvidenceResult {
  /** 201: stored now; 200: the same run was already recorded. */
  created: boolean;
  /** The stored evidence, as the API returned it. */
  evidence: Record<string, unknown>;
}

/** What became of one fact of `POST /evidence/batch`, at its index. */
export interface EvidenceBatchResult {
  index: number;
  /** What `POST /evidence` would have answered: 201, 200, 4xx, 5xx. */
  status: number;
  evidenceId?: string;
  error?: { name: string; message: string };
}

/** The most facts `POST /evidence/batch` takes at once. */
export const EVIDENCE_BATCH_LIMIT = 500;

/** The answer of `GET /decision`. */
export interface Decision {
  entityRef: string;
  release: string;
  gateId?: string;
  state?: string;
  /** GO only while the release may go out now (see `goHold`). */
  verdict: 'GO' | 'NO-GO' | 'IN PROGRESS';
  ready: boolean;
  score: number;
  blockers: string[];
  /**
   * For a gate that is GO: whether the recorded GO still holds at the
   * moment of asking; when it does not, the verdict is NO-GO.
   */
  goHold?: {
    decidedAt: string;
    decidedBy: string;
    holds: boolean;
    /** "GO recorded at T by U, no longer holds: …". */
    message: string;
  };
}

export type FetchFunction = (
  input: string,
  init: RequestInit,
) => Promise<Response>;

export interface RetryNotice {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** All attempts that will be made. */
  attempts: number;
  delayMs: number;
  reason: string;
  method: string;
  path: string;
}

export interface ReadinessApiClientOptions {
  /** The Backstage backend, e.g. `https://backstage.example.com`. */
  baseUrl: string;
  /** The static CI token, sent as `Authorization: Bearer …`. */
  token: string;
  fetch?: FetchFunction;
  /** Retries after the first attempt; default 3 (four attempts). */
  retries?: number;
  /** The first wait between attempts, doubled each time; default 500 ms. */
  initialDelayMs?: number;
  /** How long one attempt may take; default 30 s. */
  requestTimeoutMs?: number;
  /** Called before waiting for a retry, to tell the user. */
  onRetry?: (notice: RetryNotice) => void;
  sleep?: (ms: number) => Promise<void>;
  userAgent?: string;
}

/** The longest `Retry-After` the client honours. */
const MAX_RETRY_AFTER_MS = 60_000;

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * The URL of the API for the backend's URL. A URL that already ends with the
 * API's path is kept as it is.
 */
export function apiUrlOf(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new UsageError(
      `--base-url ${JSON.stringify(
        baseUrl,
      )} is not a URL; give the backend's URL, e.g. https://backstage.example.com`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `--base-url must be an http or https URL, not ${url.protocol}`,
    );
  }
  if (url.search || url.hash) {
    throw new UsageError('--base-url must not have a query or a fragment');
  }
  const path = url.pathname.replace(/\/+$/, '');
  const base = `${url.origin}${path}`;
  return path.endsWith(API_PATH) ? base : `${base}${API_PATH}`;
}

/**
 * Why a request failed without an answer, as short as Node allows. Errors are
 * read by shape, not with `instanceof`: fetch's errors may come from another
 * realm (as under Jest).
 */
function describeNetworkError(error: unknown): string {
  type NetError = {
    name?: string;
    message?: string;
    code?: string;
    cause?: NetError;
    errors?: NetError[];
  };
  const e = (error ?? {}) as NetError;
  if (typeof e !== 'object') return String(error);
  if (e.name === 'TimeoutError') return 'no answer within the time limit';
  const cause = e.cause;
  if (cause && typeof cause === 'object') {
    const detail =
      cause.message || cause.errors?.[0]?.message || cause.code || '';
    if (detail) return detail;
  }
  return e.message || String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The message of Backstage's error body, `{ error: { message } }`. */
function errorMessageOf(body: unknown): string | undefined {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error
    ?.message;
  return typeof message === 'string' && message ? message : undefined;
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds)
    ? seconds * 1000
    : Date.parse(header) - Date.now();
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

function isDecision(body: unknown): body is Decision {
  const d = body as Partial<Decision> | undefined;
  return (
    !!d &&
    typeof d.verdict === 'string' &&
    typeof d.score === 'number' &&
    Array.isArray(d.blockers)
  );
}

/**
 * The part of the Release Readiness API that pipelines use. Every request is
 * retried on network errors, 5xx and 429 with exponential backoff; this is
 * safe because reading a decision changes nothing and evidence is idempotent
 * on (entity, release, type, runId). A 4xx is final and becomes an
 * {@link ApiRefusedError} with the server's message.
 */
export class ReadinessApiClient {
  readonly apiUrl: string;
  readonly #token: string;
  readonly #fetch: FetchFunction;
  readonly #retries: number;
  readonly #initialDelayMs: number;
  readonly #requestTimeoutMs: number;
  readonly #onRetry?: (notice: RetryNotice) => void;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #userAgent?: string;

  constructor(options: ReadinessApiClientOptions) {
    this.apiUrl = apiUrlOf(options.baseUrl);
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#retries = Math.max(0, options.retries ?? 3);
    this.#initialDelayMs = options.initialDelayMs ?? 500;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.#onRetry = options.onRetry;
    this.#sleep = options.sleep ?? sleep;
    this.#userAgent = options.userAgent;
  }

  /** `POST /evidence`: records one piece of CI evidence. */
  async postEvidence(body: EvidenceBody): Promise<EvidenceResult> {
    const { status, body: answer } = await this.#request(
      'POST',
      '/evidence',
      body,
    );
    if (!answer || typeof answer !== 'object') {
      throw new ApiUnavailableError(
        `POST ${this.apiUrl}/evidence answered ${status} without the stored evidence`,
        status,
      );
    }
    return {
      created: status === 201,
      evidence: answer as Record<string, unknown>,
    };
  }

  /**
   * `POST /evidence/batch`: up to {@link EVIDENCE_BATCH_LIMIT} facts, each
   * answered on its own. Undefined when the backend is older than the batch
   * route (404): post them one by one instead.
   */
  async postEvidenceBatch(
    bodies: EvidenceBody[],
  ): Promise<EvidenceBatchResult[] | undefined> {
    let answer: { status: number; body: unknown };
    try {
      answer = await this.#request('POST', '/evidence/batch', {
        evidence: bodies,
      });
    } catch (error) {
      if (error instanceof ApiRefusedError && error.status === 404) {
        return undefined;
      }
      throw error;
    }
    const results = (answer.body as { results?: unknown })?.results;
    if (
      !Array.isArray(results) ||
      results.length !== bodies.length ||
      results.some(
        (r, i) =>
          !r ||
          typeof r !== 'object' ||
          (r as EvidenceBatchResult).index !== i ||
          typeof (r as EvidenceBatchResult).status !== 'number',
      )
    ) {
      throw new ApiUnavailableError(
        `POST ${this.apiUrl}/evidence/batch answered ${answer.status} without a result for each fact`,
        answer.status,
      );
    }
    return results as EvidenceBatchResult[];
  }

  /** `GET /decision`: may this release of this entity go? */
  async getDecision(entityRef: string, release: string): Promise<Decision> {
    const query = new URLSearchParams({ entityRef, release });
    const { status, body } = await this.#request('GET', `/decision?${query}`);
    if (!isDecision(body)) {
      throw new ApiUnavailableError(
        `GET ${this.apiUrl}/decision answered ${status} without a verdict, score and blockers`,
        status,
      );
    }
    return body;
  }

  async #request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const url = `${this.apiUrl}${path}`;
    const shortPath = path.split('?')[0];
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: `Bearer ${this.#token}`,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.#userAgent) headers['User-Agent'] = this.#userAgent;
    const attempts = this.#retries + 1;

    for (let attempt = 1; ; attempt++) {
      let reason = 'no answer';
      let status: number | undefined;
      let waitAtLeast = 0;
      let response: Response | undefined;
      let text: string | undefined;
      try {
        response = await this.#fetch(url, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.#requestTimeoutMs),
        });
        text = await response.text();
      } catch (error) {
        response = undefined;
        reason = describeNetworkError(error);
      }

      if (response && text !== undefined) {
        status = response.status;
        const parsed = parseJson(text);
        if (response.ok) {
          if (parsed === undefined) {
            throw new ApiUnavailableError(
              `${method} ${url} answered ${status} with something that is not JSON; is --base-url the Backstage backend's URL?`,
              status,
            );
          }
          return { status, body: parsed };
        }
        const message =
          errorMessageOf(parsed) ??
          `${response.statusText || 'no message'}`.trim();
        if (status !== 429 && status < 500) {
          throw new ApiRefusedError(
            `${method} ${shortPath} was refused (${status}): ${message}`,
            status,
            parsed,
          );
        }
        reason = `${status} ${message}`;
        waitAtLeast = retryAfterMs(response) ?? 0;
      }

      if (attempt >= attempts) {
        throw new ApiUnavailableError(
          `${method} ${url} failed after ${attempt} ${
            attempt === 1 ? 'attempt' : 'attempts'
          }: ${reason}`,
          status,
        );
      }
      const delayMs = Math.max(
        this.#initialDelayMs * 2 ** (attempt - 1),
        waitAtLeast,
      );
      this.#onRetry?.({
        attempt,
        attempts,
        delayMs,
        reason: reason,
        method,
        path: shortPath,
      });
      await this.#sleep(delayMs);
    }
  }
}
