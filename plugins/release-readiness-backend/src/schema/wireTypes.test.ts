/*
 * The wire types of -common against the contract, openapi.yaml. The frontend
 * sends them and the backend reads them, so a type that parts from the spec
 * breaks one side while both compile. Two nets:
 *
 * - at run time, a sample of every key of each type (`Required<…>` makes the
 *   compiler refuse a sample missing a key, and an object literal refuses a
 *   key the type lacks) is checked against the spec: the same names, and
 *   each value one the spec accepts;
 * - at compile time (`yarn tsc`), the generated spec and the types must agree
 *   on names, on which keys are optional and on the values of each query
 *   parameter; and the audit event the store reads is the wire `AuditEntry`.
 *
 * A query value is the value of the parameter: an enum is one of its values,
 * a string of digits (`pattern: ^[0-9]…`) is a whole number, sent as its
 * digits by the client and read back by the route.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ApprovalRequest,
  AuditEntry,
  DecisionAnswer,
  DecisionRequest,
  ItemUpdate,
  MetricsQuery,
  CalendarQuery,
  CaughtQuery,
  WindowsQuery,
  OpenGateRequest,
  PlannedTimeRequest,
  ReleaseManifestRequest,
  ReleaseWindowRetirement,
  WindowExceptionAsk,
  WindowExceptionRejection,
  PortfolioQuery,
  RiskUpdate,
  VoteRequest,
  WindowExceptionRequest,
} from '@release-readiness/plugin-common';
import { parse } from 'yaml';
import type { AuditEvent } from '../database';
import { spec } from './openapi.generated';

// ---------------------------------------------------------------------------
// Run time

interface ParameterSchema {
  type: string;
  enum?: string[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: ParameterSchema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: {
    content: {
      'application/json': {
        schema: { properties: Record<string, unknown>; required?: string[] };
      };
    };
  };
}

const yaml: { paths: Record<string, Record<string, Operation>> } = parse(
  readFileSync(resolve(__dirname, 'openapi.yaml'), 'utf8'),
);

function operation(path: string, method: string): Operation {
  const found = yaml.paths[path]?.[method];
  if (!found) throw new Error(`openapi.yaml has no ${method} ${path}`);
  return found;
}

function queryParameters(path: string): Parameter[] {
  return (operation(path, 'get').parameters ?? []).filter(
    p => p.in === 'query',
  );
}

/** Why `value` is not a value the parameter's schema accepts, if it is not. */
function valueProblem(schema: ParameterSchema, value: unknown): string | null {
  const digits =
    schema.type === 'string' && /^\^\[0-9\]/.test(schema.pattern ?? '');
  if (digits) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      return `a whole number (sent as the digits ${schema.pattern})`;
    }
    return new RegExp(schema.pattern!).test(String(value))
      ? null
      : `digits matching ${schema.pattern}`;
  }
  if (schema.type !== 'string') {
    return `a schema this test does not know (${schema.type})`;
  }
  if (typeof value !== 'string') return 'a string';
  if (schema.enum && !schema.enum.includes(value)) {
    return `one of ${schema.enum.join(', ')}`;
  }
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
    return `a string matching ${schema.pattern}`;
  }
  if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) {
    return 'a date-time';
  }
  if (value.length < (schema.minLength ?? 0)) return 'a longer string';
  if (value.length > (schema.maxLength ?? Infinity)) return 'a shorter string';
  return null;
}

/** The keys of `sample` whose value the spec refuses, with what it wants. */
function valueProblems(path: string, sample: object) {
  const values = sample as Record<string, unknown>;
  return queryParameters(path).flatMap(p => {
    const problem = valueProblem(p.schema, values[p.name]);
    return problem ? [`${p.name}: needs ${problem}`] : [];
  });
}

const portfolioSample: Required<PortfolioQuery> = {
  owner: 'group:default/payments',
  system: 'system:default/payments-platform',
  tier: '2',
  state: 'in-progress',
  verdict: 'NO-GO',
  q: 'ledger',
  plannedFrom: '2026-03-02T08:00:00.000+01:00',
  plannedTo: '2026-03-30T07:00:00.000Z',
  sort: 'plannedAt',
  order: 'desc',
  offset: 400,
  limit: 200,
};

const caughtSample: Required<CaughtQuery> = {
  owner: 'group:default/payments',
  system: 'system:default/payments-platform',
  tier: '1',
  state: 'in-progress',
  verdict: 'NO-GO',
  q: 'gateway',
  from: '2026-01-01T00:00:00Z',
  to: '2026-04-01T00:00:00Z',
  offset: 50,
  limit: 25,
};

const metricsSample: Required<MetricsQuery> = {
  groupBy: 'system',
  period: 'quarter',
  owner: 'group:default/payments',
  system: 'system:default/payments-platform',
  tier: '1',
  from: '2026-01-01T00:00:00Z',
  to: '2026-04-01T00:00:00Z',
  limit: 20,
};

/** Every key of each body type, each naming the route it is the body of. */
const bodySamples: [string, string, object][] = [
  [
    '/entities/{kind}/{namespace}/{name}/gates',
    'post',
    {
      release: '2.0.0',
      template: 'component-gate',
      plannedAt: '2026-03-02T08:00:00Z',
      rapidReason: 'hotfix',
      templateReason: 'hotfix for the payment outage',
      manifest: { 'component:default/ledger-service': '4.2.0' },
    } satisfies Required<OpenGateRequest>,
  ],
  [
    '/gates/{gateId}/items/{itemId}',
    'patch',
    {
      status: 'waived',
      note: 'n',
      waiver: { justification: 'j', expiresAt: '2026-04-01T00:00:00Z' },
      version: 1,
    } satisfies Required<ItemUpdate>,
  ],
  [
    '/gates/{gateId}/signoffs',
    'post',
    {
      role: 'qa',
      verdict: 'ready',
      comment: 'c',
    } satisfies Required<VoteRequest>,
  ],
  [
    '/gates/{gateId}/risk',
    'put',
    {
      version: 0,
      rollbackPlan: 'p',
      rollbackVerified: true,
      impactMatrix: [],
      acceptResidualRisk: true,
      residualRiskNote: 'n',
      communication: { audiences: [] },
      consent: { gateId: 'g', riskVersion: 0 },
    } satisfies Required<RiskUpdate>,
  ],
  [
    '/gates/{gateId}/decision',
    'post',
    // Both members of the union: every key either may carry.
    {
      verdict: 'no-go',
      transition: 'cancel',
      reason: 'r',
      override: false,
    } satisfies Required<DecisionKeys>,
  ],
  [
    '/gates/{gateId}/window-exception',
    'post',
    {
      windowId: 'freeze',
      reason: 'r',
    } satisfies Required<WindowExceptionRequest>,
  ],
  [
    '/gates/{gateId}/window-exception-requests',
    'post',
    { windowId: 'freeze', reason: 'r' } satisfies Required<WindowExceptionAsk>,
  ],
  [
    '/gates/{gateId}/window-exception-requests/{requestId}/reject',
    'post',
    { reason: 'r' } satisfies Required<WindowExceptionRejection>,
  ],
  [
    '/windows/{windowId}/retire',
    'post',
    { version: 2, reason: 'r' } satisfies Required<ReleaseWindowRetirement>,
  ],
  [
    '/gates/{gateId}/template-approval',
    'post',
    { comment: 'c' } satisfies Required<ApprovalRequest>,
  ],
  [
    '/gates/{gateId}/items/{itemId}/waiver-approval',
    'post',
    { comment: 'c' } satisfies Required<ApprovalRequest>,
  ],
  [
    '/gates/{gateId}/planned',
    'patch',
    {
      plannedAt: '2026-03-02T08:00:00Z',
      version: 3,
    } satisfies Required<PlannedTimeRequest>,
  ],
  [
    '/gates/{gateId}/manifest',
    'put',
    {
      manifest: { 'component:default/ledger-service': '4.2.0' },
      version: 3,
    } satisfies Required<ReleaseManifestRequest>,
  ],
];

/** The keys of every member of `DecisionRequest`, all in one object. */
type DecisionKeys = {
  [K in KeysOf<DecisionRequest>]: ValueIn<DecisionRequest, K>;
};

/** The value of key `K` in whichever members of the union `T` have it. */
type ValueIn<T, K extends PropertyKey> = T extends unknown
  ? K extends keyof T
    ? NonNullable<T[K]>
    : never
  : never;

describe('the wire types of -common and openapi.yaml', () => {
  it.each([
    ['/portfolio', 'PortfolioQuery', portfolioSample],
    ['/metrics', 'MetricsQuery', metricsSample],
    ['/portfolio/caught', 'CaughtQuery', caughtSample],
  ])('GET %s takes the keys of %s', (path, _name, sample) => {
    expect(Object.keys(sample).sort()).toEqual(
      queryParameters(path)
        .map(p => p.name)
        .sort(),
    );
  });

  it.each([
    ['/portfolio', portfolioSample],
    ['/metrics', metricsSample],
    ['/portfolio/caught', caughtSample],
  ])('GET %s accepts the values its wire type carries', (path, sample) => {
    expect(valueProblems(path, sample)).toEqual([]);
  });

  it('tells a value the spec refuses', () => {
    expect(
      valueProblems('/portfolio', {
        ...portfolioSample,
        tier: 2,
        sort: 'score desc',
        offset: '400',
      }),
    ).toEqual([
      'tier: needs a string',
      'sort: needs one of title, owner, system, tier, state, score, plannedAt',
      'offset: needs a whole number (sent as the digits ^[0-9]{1,9}$)',
    ]);
  });

  it.each(bodySamples)(
    '%s (%s) takes the keys of its body type',
    (path, method, sample) => {
      const schema = operation(path, method).requestBody!.content[
        'application/json'
      ].schema;
      expect(Object.keys(sample).sort()).toEqual(
        Object.keys(schema.properties).sort(),
      );
    },
  );
});

// ---------------------------------------------------------------------------
// Compile time

type Paths = typeof spec.paths;

/** Both ways assignable, and not `any`. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B
  ? 1
  : 2
  ? true
  : false;

/** The keys of every member of a union. */
type KeysOf<T> = T extends unknown ? keyof T : never;

type OptionalKeys<T> = {
  [K in keyof T]-?: {} extends Pick<T, K> ? K : never;
}[keyof T];

type RequiredKeys<T> = T extends unknown
  ? Exclude<keyof T, OptionalKeys<T>>
  : never;

/** The value a query parameter of schema `S` carries in a wire type. */
type ParameterValue<S> = S extends { enum: readonly (infer E)[] }
  ? E
  : S extends { type: 'string'; pattern: `^[0-9]${string}` }
  ? number
  : S extends { type: 'string' }
  ? string
  : never;

/**
 * Whether type `T` carries every value of `V`, and no other unless it is a
 * plain string (a filter the page reads from its URL and passes on).
 */
type Carries<V, T> = [V] extends [T]
  ? string extends T
    ? true
    : [T] extends [V]
    ? true
    : false
  : false;

interface QueryParameter {
  name: string;
  in: string;
  required: boolean;
  schema: unknown;
}

/** What differs between the query parameters `P` and the wire type `T`; all `never` when nothing does. */
type QueryDrift<P extends QueryParameter, T> = {
  notInType: Exclude<P['name'], keyof T>;
  notInSpec: Exclude<keyof T, P['name']>;
  optionalOnlyInSpec: Exclude<
    Extract<P, { required: false }>['name'],
    OptionalKeys<T>
  >;
  optionalOnlyInType: Exclude<
    OptionalKeys<T>,
    Extract<P, { required: false }>['name']
  >;
  valueDiffers: {
    [N in P['name'] & keyof T]: Carries<
      ParameterValue<Extract<P, { name: N }>['schema']>,
      NonNullable<T[N]>
    > extends true
      ? never
      : N;
  }[P['name'] & keyof T];
};

/** What differs between a request body schema `S` and the wire type `T`. */
type BodyDrift<S extends { properties: object }, T> = {
  notInType: Exclude<keyof S['properties'], KeysOf<T>>;
  notInSpec: Exclude<KeysOf<T>, keyof S['properties']>;
  /** A key the server requires that a typed request may leave out. */
  requiredOnlyInSpec: S extends { required: readonly (infer R)[] }
    ? Exclude<R, RequiredKeys<T>>
    : never;
};

type Body<
  P extends keyof Paths,
  M extends keyof Paths[P],
> = Paths[P][M] extends {
  requestBody: { content: { 'application/json': { schema: infer S } } };
}
  ? S extends { properties: object }
    ? S
    : never
  : never;

/** A schema of the spec's components (an answer's shape). */
type Schema<N extends keyof typeof spec.components.schemas> =
  (typeof spec.components.schemas)[N] extends infer S
    ? S extends { properties: object }
      ? S
      : never
    : never;

type QueryOf<P extends keyof Paths> = Paths[P] extends {
  get: { parameters: readonly (infer Q)[] };
}
  ? Extract<Q, { in: 'query' }> & QueryParameter
  : never;

interface NoQueryDrift {
  notInType: never;
  notInSpec: never;
  optionalOnlyInSpec: never;
  optionalOnlyInType: never;
  valueDiffers: never;
}

interface NoBodyDrift {
  notInType: never;
  notInSpec: never;
  requiredOnlyInSpec: never;
}

// A drift fails `yarn tsc` here, naming the keys (e.g. "Types of property
// 'notInSpec' are incompatible. Type '"team"' is not assignable to 'never'").
const compileTimeChecks: {
  portfolio: NoQueryDrift;
  metrics: NoQueryDrift;
  caught: NoQueryDrift;
  windows: NoQueryDrift;
  calendar: NoQueryDrift;
  openGate: NoBodyDrift;
  updateItem: NoBodyDrift;
  vote: NoBodyDrift;
  risk: NoBodyDrift;
  decision: NoBodyDrift;
  windowException: NoBodyDrift;
  templateApproval: NoBodyDrift;
  waiverApproval: NoBodyDrift;
  plannedTime: NoBodyDrift;
  manifest: NoBodyDrift;
  exceptionAsk: NoBodyDrift;
  exceptionRejection: NoBodyDrift;
  windowRetirement: NoBodyDrift;
  decisionAnswer: NoBodyDrift;
  goHold: NoBodyDrift;
  auditEventIsAuditEntry: true;
} = {
  portfolio: {} as QueryDrift<QueryOf<'/portfolio'>, PortfolioQuery>,
  metrics: {} as QueryDrift<QueryOf<'/metrics'>, MetricsQuery>,
  caught: {} as QueryDrift<QueryOf<'/portfolio/caught'>, CaughtQuery>,
  windows: {} as QueryDrift<QueryOf<'/windows'>, WindowsQuery>,
  calendar: {} as QueryDrift<QueryOf<'/portfolio/calendar'>, CalendarQuery>,
  openGate: {} as BodyDrift<
    Body<'/entities/{kind}/{namespace}/{name}/gates', 'post'>,
    OpenGateRequest
  >,
  updateItem: {} as BodyDrift<
    Body<'/gates/{gateId}/items/{itemId}', 'patch'>,
    ItemUpdate
  >,
  vote: {} as BodyDrift<Body<'/gates/{gateId}/signoffs', 'post'>, VoteRequest>,
  risk: {} as BodyDrift<Body<'/gates/{gateId}/risk', 'put'>, RiskUpdate>,
  decision: {} as BodyDrift<
    Body<'/gates/{gateId}/decision', 'post'>,
    DecisionRequest
  >,
  windowException: {} as BodyDrift<
    Body<'/gates/{gateId}/window-exception', 'post'>,
    WindowExceptionRequest
  >,
  templateApproval: {} as BodyDrift<
    Body<'/gates/{gateId}/template-approval', 'post'>,
    ApprovalRequest
  >,
  waiverApproval: {} as BodyDrift<
    Body<'/gates/{gateId}/items/{itemId}/waiver-approval', 'post'>,
    ApprovalRequest
  >,
  plannedTime: {} as BodyDrift<
    Body<'/gates/{gateId}/planned', 'patch'>,
    PlannedTimeRequest
  >,
  manifest: {} as BodyDrift<
    Body<'/gates/{gateId}/manifest', 'put'>,
    ReleaseManifestRequest
  >,
  exceptionAsk: {} as BodyDrift<
    Body<'/gates/{gateId}/window-exception-requests', 'post'>,
    WindowExceptionAsk
  >,
  exceptionRejection: {} as BodyDrift<
    Body<
      '/gates/{gateId}/window-exception-requests/{requestId}/reject',
      'post'
    >,
    WindowExceptionRejection
  >,
  windowRetirement: {} as BodyDrift<
    Body<'/windows/{windowId}/retire', 'post'>,
    ReleaseWindowRetirement
  >,
  decisionAnswer: {} as BodyDrift<Schema<'DecisionAnswer'>, DecisionAnswer>,
  goHold: {} as BodyDrift<
    Schema<'GoHold'>,
    NonNullable<DecisionAnswer['goHold']>
  >,
  auditEventIsAuditEntry: true as Equal<AuditEvent, AuditEntry>,
};

describe('the answers of openapi.yaml', () => {
  const schemas: Record<
    string,
    { properties: Record<string, unknown>; required: string[] }
  > = (yaml as any).components.schemas;

  it('DecisionAnswer (GET /decision) has the keys of its wire type', () => {
    const sample: Required<DecisionAnswer> = {
      entityRef: 'component:default/a',
      release: '1',
      gateId: 'g',
      state: 'go',
      verdict: 'NO-GO',
      ready: false,
      score: 90,
      blockers: ['b'],
      goHold: {
        decidedAt: '2026-12-01T10:00:00Z',
        decidedBy: 'user:default/a',
        holds: false,
        blockers: [{ condition: 'automated', message: 'b' }],
        message: 'GO recorded at …, no longer holds: b',
      },
    };
    expect(Object.keys(sample).sort()).toEqual(
      Object.keys(schemas.DecisionAnswer.properties).sort(),
    );
    expect(Object.keys(sample.goHold).sort()).toEqual(
      Object.keys(schemas.GoHold.properties).sort(),
    );
  });
});

describe('the compile-time checks', () => {
  it('are compiled with this file', () => {
    expect(compileTimeChecks.auditEventIsAuditEntry).toBe(true);
  });
});
