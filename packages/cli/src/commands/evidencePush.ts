import { readFileSync } from 'node:fs';
import {
  EVIDENCE_BATCH_LIMIT,
  EVIDENCE_STATUSES,
  EvidenceBatchResult,
  EvidenceBody,
  EvidenceStatus,
  ReadinessApiClient,
} from '../client';
import {
  ApiRefusedError,
  ApiUnavailableError,
  EXIT_NO,
  EXIT_OK,
  hintFor,
  UsageError,
} from '../errors';
import { MetricValue, parseMetrics } from '../metrics';
import type { Output } from '../output';

/** The options of `evidence push`, as commander reads them. */
export interface EvidencePushOptions {
  entity?: string;
  release?: string;
  type?: string;
  status?: string;
  metric?: string[];
  link?: string;
  commit?: string;
  runId?: string;
  observedAt?: string;
  file?: string;
  json?: boolean;
}

/** Each field of the body, with the option that sets it. */
const FIELDS: Record<keyof EvidenceBody, string> = {
  entityRef: '--entity',
  release: '--release',
  type: '--type',
  status: '--status',
  metrics: '--metric',
  link: '--link',
  commit: '--commit',
  runId: '--run-id',
  observedAt: '--observed-at',
};

const REQUIRED: (keyof EvidenceBody)[] = [
  'entityRef',
  'release',
  'type',
  'status',
  'runId',
];

const TYPE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const MAX_LENGTH: Partial<Record<keyof EvidenceBody, number>> = {
  entityRef: 255,
  release: 255,
  type: 63,
  link: 2000,
  commit: 255,
  runId: 255,
};

/** The fields given as options; they fill in what a file's entries leave out. */
function fromOptions(options: EvidencePushOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    entityRef: options.entity,
    release: options.release,
    type: options.type,
    status: options.status,
    link: options.link,
    commit: options.commit,
    runId: options.runId,
    observedAt: options.observedAt,
  };
  if (options.metric?.length) fields.metrics = parseMetrics(options.metric);
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  );
}

/**
 * Checks one body before it is sent, so that a mistake in a pipeline is a
 * usage error that names the option (or the file entry), not a 400 later.
 *
 * @param where - `undefined` for options, or the file entry, e.g. `evidence.json[2]`
 */
export function validateEvidence(
  input: Record<string, unknown>,
  where?: string,
): EvidenceBody {
  const name = (field: keyof EvidenceBody) =>
    where ? `${where}: ${field}` : FIELDS[field];
  const unknown = Object.keys(input).filter(key => !(key in FIELDS));
  if (unknown.length) {
    throw new UsageError(
      `${where}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown
        .map(key => JSON.stringify(key))
        .join(', ')}; allowed are ${Object.keys(FIELDS).join(', ')}`,
    );
  }
  const missing = REQUIRED.filter(
    field =>
      input[field] === undefined ||
      (typeof input[field] === 'string' && !(input[field] as string).trim()),
  );
  if (missing.length) {
    const list = missing.map(field => FIELDS[field]).join(', ');
    throw new UsageError(
      where
        ? `${where}: missing ${missing.join(', ')} (or give ${list})`
        : `missing ${list} (or give --file)`,
    );
  }
  for (const field of Object.keys(FIELDS) as (keyof EvidenceBody)[]) {
    const value = input[field];
    if (value === undefined || field === 'metrics') continue;
    if (typeof value !== 'string') {
      throw new UsageError(`${name(field)} must be text`);
    }
    const max = MAX_LENGTH[field];
    if (max && value.length > max) {
      throw new UsageError(`${name(field)} is longer than ${max} characters`);
    }
  }
  const body = input as unknown as EvidenceBody;
  if (!TYPE.test(body.type)) {
    throw new UsageError(
      `${name('type')} ${JSON.stringify(
        body.type,
      )} must be lowercase words joined by "-", e.g. static-analysis`,
    );
  }
  if (!EVIDENCE_STATUSES.includes(body.status as EvidenceStatus)) {
    throw new UsageError(
      `${name('status')} ${JSON.stringify(
        body.status,
      )} must be one of ${EVIDENCE_STATUSES.join(', ')}`,
    );
  }
  if (body.observedAt !== undefined) {
    if (
      !DATE_TIME.test(body.observedAt) ||
      Number.isNaN(Date.parse(body.observedAt))
    ) {
      throw new UsageError(
        `${name('observedAt')} ${JSON.stringify(
          body.observedAt,
        )} must be a date and time with a time zone, e.g. 2026-12-01T09:30:00Z`,
      );
    }
  }
  if (body.metrics !== undefined) {
    const metrics = body.metrics as unknown;
    if (!metrics || typeof metrics !== 'object' || Array.isArray(metrics)) {
      throw new UsageError(`${name('metrics')} must be an object`);
    }
    const entries = Object.entries(metrics as Record<string, unknown>);
    if (entries.length > 100) {
      throw new UsageError(`${name('metrics')} has more than 100 entries`);
    }
    for (const [key, value] of entries) {
      const ok =
        (typeof value === 'number' && Number.isFinite(value)) ||
        typeof value === 'boolean' ||
        (typeof value === 'string' && value.length <= 1000);
      if (!ok) {
        throw new UsageError(
          `${
            where ? `${where}: metrics.${key}` : `--metric ${key}`
          } must be a number, true, false or a text of at most 1000 characters`,
        );
      }
    }
  }
  return {
    ...body,
    release: body.release.trim(),
    ...(body.observedAt
      ? { observedAt: new Date(body.observedAt).toISOString() }
      : {}),
  };
}

/**
 * The evidence to push: one body from the options, or every entry of
 * `--file` (an object or an array of objects), where options fill in the
 * fields an entry leaves out. Metrics are merged, the entry's winning.
 */
export function readEvidence(
  options: EvidencePushOptions,
  readFile: (path: string) => string = path => readFileSync(path, 'utf8'),
): { bodies: EvidenceBody[]; many: boolean } {
  const defaults = fromOptions(options);
  if (!options.file) {
    return { bodies: [validateEvidence(defaults)], many: false };
  }
  const file = options.file;
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw new UsageError(
      `--file ${file} cannot be read: ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `--file ${file} is not JSON: ${(error as Error).message}`,
    );
  }
  const many = Array.isArray(parsed);
  const entries = many ? (parsed as unknown[]) : [parsed];
  if (entries.length === 0) {
    throw new UsageError(`--file ${file} holds an empty array`);
  }
  const bodies = entries.map((entry, index) => {
    const where = many ? `${file}[${index}]` : file;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new UsageError(`${where}: must be a JSON object`);
    }
    const own = entry as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...defaults, ...own };
    if (defaults.metrics && own.metrics && typeof own.metrics === 'object') {
      merged.metrics = {
        ...(defaults.metrics as Record<string, MetricValue>),
        ...(own.metrics as Record<string, MetricValue>),
      };
    }
    return validateEvidence(merged, where);
  });
  return { bodies, many };
}

function describe(body: EvidenceBody, stored: Record<string, unknown>) {
  const entityRef =
    typeof stored.entityRef === 'string' ? stored.entityRef : body.entityRef;
  return `${body.type} evidence (${body.status}) for ${entityRef} release ${body.release}, run ${body.runId}`;
}

/**
 * Several facts: `POST /evidence/batch`, up to 500 at a time, each fact
 * answered on its own. A fact the server could not store (5xx) is sent once
 * more in the next request; still not stored, the command fails (exit 2).
 * Undefined when the backend has no batch route: the caller posts them one
 * by one.
 */
async function pushInBatches(
  client: ReadinessApiClient,
  bodies: EvidenceBody[],
  options: EvidencePushOptions,
  out: Output,
): Promise<number | undefined> {
  const answers: EvidenceBatchResult[] = new Array(bodies.length);
  let refused = 0;
  let pending = bodies.map((_, index) => index);
  for (let round = 0; round < 2 && pending.length; round++) {
    const unstored: number[] = [];
    for (let start = 0; start < pending.length; start += EVIDENCE_BATCH_LIMIT) {
      const indexes = pending.slice(start, start + EVIDENCE_BATCH_LIMIT);
      const results = await client.postEvidenceBatch(
        indexes.map(i => bodies[i]),
      );
      if (!results) return undefined;
      for (const [k, result] of results.entries()) {
        const index = indexes[k];
        const body = bodies[index];
        answers[index] = { ...result, index };
        if (result.status === 200 || result.status === 201) {
          if (!options.json) {
            out.stdout(
              `${
                result.status === 201 ? 'created' : 'already recorded'
              }: ${describe(body, {})}`,
            );
          }
        } else if (result.status >= 500) {
          unstored.push(index);
        } else {
          refused++;
          out.stderr(
            `error: ${describe(body, {})}: ${
              result.error?.message ?? `refused (${result.status})`
            }`,
          );
        }
      }
    }
    pending = unstored;
  }
  if (options.json) out.stdout(JSON.stringify(answers, null, 2));
  if (pending.length) {
    for (const index of pending) {
      out.stderr(
        `error: ${describe(bodies[index], {})}: not stored: ${
          answers[index].error?.message ?? `status ${answers[index].status}`
        }`,
      );
    }
    throw new ApiUnavailableError(
      `${pending.length} of ${bodies.length} facts were not stored; run the command again (it is safe to repeat)`,
    );
  }
  return refused ? EXIT_NO : EXIT_OK;
}

/**
 * `evidence push`: posts each piece of evidence in turn. A refusal (4xx) is
 * reported and the rest are still sent; the exit code is then 1. When the
 * server stays unreachable, the error is thrown (exit 2): the next posts
 * would fail the same way.
 */
export async function evidencePush(
  client: ReadinessApiClient,
  options: EvidencePushOptions,
  out: Output,
): Promise<number> {
  const { bodies, many } = readEvidence(options);
  if (many && bodies.length > 1) {
    const code = await pushInBatches(client, bodies, options, out);
    if (code !== undefined) return code;
  }
  const answers: unknown[] = [];
  let refused = 0;
  for (const body of bodies) {
    try {
      const result = await client.postEvidence(body);
      answers.push(result.evidence);
      if (!options.json) {
        out.stdout(
          `${result.created ? 'created' : 'already recorded'}: ${describe(
            body,
            result.evidence,
          )}`,
        );
      }
    } catch (error) {
      if (!(error instanceof ApiRefusedError)) throw error;
      refused++;
      answers.push(error.body ?? null);
      out.stderr(`error: ${describe(body, {})}: ${error.message}`);
      const hint = hintFor(error);
      if (hint) out.stderr(`hint: ${hint}`);
    }
  }
  if (options.json) {
    out.stdout(JSON.stringify(many ? answers : answers[0], null, 2));
  }
  return refused ? EXIT_NO : EXIT_OK;
}
