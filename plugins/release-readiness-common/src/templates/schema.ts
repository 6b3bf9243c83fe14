/*
 * The file format of gate templates (`gate-templates/*.yaml`) as a zod schema.
 *
 * The file nests the template under `metadata` and `spec`, the way catalog
 * files do; the schema validates that shape and returns the flat
 * `GateTemplateSpec` the rest of the plugin works with. Issue paths refer to
 * the file (`spec.checklist[2].automated.rule`), so that errors point at the
 * line to fix.
 */

import { makeValidator, parseEntityRef } from '@backstage/catalog-model';
import { Duration } from 'luxon';
import { z } from 'zod';
import { parseRule } from '../rules';
import {
  AutomatedCheck,
  CHECKLIST_CATEGORIES,
  ChecklistCategory,
  ChecklistItemDefinition,
  GateTemplateSpec,
  GateTemplateRollup,
  GovernanceSpec,
  MaterialRiskField,
  RiskRequirements,
  SignoffEligibility,
  SignoffRole,
  TemplateSelector,
} from '../types';

/** The `apiVersion` of gate template files. @public */
export const GATE_TEMPLATE_API_VERSION = 'release-readiness/v1';

/** The `kind` of gate template files. @public */
export const GATE_TEMPLATE_KIND = 'GateTemplate';

/** Longest template name, item id or role id. */
const MAX_ID_LENGTH = 63;
const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A schema whose output is exactly `T`, whatever it accepts. */
type SchemaOf<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

function levenshtein(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

function describeUnknownKeys(keys: string[], allowed: string[]): string {
  const list = allowed.map(k => `"${k}"`).join(', ');
  if (keys.length !== 1) {
    return `unknown keys ${keys
      .map(k => `"${k}"`)
      .join(', ')}; allowed here: ${list}`;
  }
  const [key] = keys;
  const closest = allowed
    .map(candidate => ({
      candidate,
      distance: levenshtein(key.toLowerCase(), candidate.toLowerCase()),
    }))
    .sort((x, y) => x.distance - y.distance)[0];
  if (closest && closest.distance <= Math.max(2, key.length / 3)) {
    return `unknown key "${key}"; did you mean "${closest.candidate}"?`;
  }
  return `unknown key "${key}"; allowed here: ${list}`;
}

/**
 * An object that rejects keys it does not know, so that typos such as
 * `requird` are reported instead of silently ignored.
 */
function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z
    .object(shape, {
      errorMap: (issue, ctx) =>
        issue.code === z.ZodIssueCode.unrecognized_keys
          ? { message: describeUnknownKeys(issue.keys, allowed) }
          : { message: ctx.defaultError },
    })
    .strict();
}

const nonEmptyString = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' });

function identifier(what: string) {
  return z
    .string()
    .max(MAX_ID_LENGTH, {
      message: `must be at most ${MAX_ID_LENGTH} characters`,
    })
    .regex(KEBAB_CASE, {
      message: `${what} must be lower-case kebab-case, such as "unit-tests"`,
    });
}

function isoDuration(example: string) {
  return z.string().superRefine((value, ctx) => {
    const duration = Duration.fromISO(value);
    if (!duration.isValid) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `"${value}" is not an ISO 8601 duration; write for example "${example}" (PT12H = 12 hours, P7D = 7 days)`,
      });
    } else if (duration.toMillis() <= 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `"${value}" must be longer than zero`,
      });
    }
  });
}

/**
 * Reports the second and later uses of an `id` in a list, before the list's
 * entries are validated, so that duplicates are reported together with every
 * other problem of the file.
 */
function uniqueIds<T extends z.ZodTypeAny>(what: string, list: T) {
  return z.preprocess((value, ctx) => {
    if (Array.isArray(value)) {
      const firstUse = new Map<string, number>();
      value.forEach((entry, index) => {
        const id: unknown =
          entry && typeof entry === 'object'
            ? (entry as Record<string, unknown>).id
            : undefined;
        if (typeof id !== 'string') return;
        const first = firstUse.get(id);
        if (first === undefined) {
          firstUse.set(id, index);
        } else {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [index, 'id'],
            message: `duplicate ${what} id "${id}"; entry ${first} uses it already`,
          });
        }
      });
    }
    return value;
  }, list);
}

const entityNameValidator = makeValidator();

/**
 * A group or user ref; `qa` is short for `group:default/qa`. Returns the full,
 * lower-case ref.
 */
function entityRef(kind: 'group' | 'user') {
  return z.string().transform((value, ctx) => {
    const example = kind === 'group' ? 'group:default/qa' : 'user:default/jane';
    let ref;
    try {
      ref = parseEntityRef(value.trim(), {
        defaultKind: kind,
        defaultNamespace: 'default',
      });
    } catch (e) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `"${value}" is not an entity ref; write for example "${example}"`,
      });
      return z.NEVER;
    }
    if (ref.kind.toLocaleLowerCase('en-US') !== kind) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `"${value}" is a ${ref.kind} ref; only ${kind} refs belong here, such as "${example}"`,
      });
      return z.NEVER;
    }
    const namespace = ref.namespace.toLocaleLowerCase('en-US');
    const name = ref.name.toLocaleLowerCase('en-US');
    if (
      !entityNameValidator.isValidNamespace(namespace) ||
      !entityNameValidator.isValidEntityName(name)
    ) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `"${value}" is not a valid ${kind} ref; write for example "${example}"`,
      });
      return z.NEVER;
    }
    return `${kind}:${namespace}/${name}`;
  });
}

const templateName = identifier('the template name');

const tier = z.unknown().transform((value, ctx): 1 | 2 | 3 => {
  if (value === 1 || value === 2 || value === 3) return value;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message:
      value === undefined
        ? 'is required: 1 (component), 2 (system) or 3 (business)'
        : `must be 1 (component), 2 (system) or 3 (business), not ${JSON.stringify(
            value,
          )}`,
  });
  return z.NEVER;
});

/** The template's version: a string; YAML numbers such as `3` are accepted. */
const version = z.unknown().transform((value, ctx): string => {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'string' && value.trim()) {
    return value.trim();
  }
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message:
      value === undefined
        ? 'is required, e.g. "1" or "2024.1"'
        : 'must be a non-empty string or number, e.g. "1" or "2024.1"',
  });
  return z.NEVER;
});

const category = z.string().transform((value, ctx): ChecklistCategory => {
  const found = CHECKLIST_CATEGORIES.find(c => c === value);
  if (found) return found;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `"${value}" is not a category; use one of ${CHECKLIST_CATEGORIES.join(
      ', ',
    )}`,
  });
  return z.NEVER;
});

const rule = z.string().superRefine((value, ctx) => {
  try {
    parseRule(value);
  } catch (e) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: e instanceof Error ? e.message : String(e),
    });
  }
});

const automatedCheck = strictObject({
  evidenceType: identifier('the evidence type'),
  rule,
  maxAge: isoDuration('P7D'),
}) satisfies SchemaOf<AutomatedCheck>;

const checklistItem = strictObject({
  id: identifier('the item id'),
  title: nonEmptyString,
  description: nonEmptyString.optional(),
  category,
  required: z.boolean().default(true),
  automated: automatedCheck.optional(),
}) satisfies SchemaOf<ChecklistItemDefinition>;

const eligibility = strictObject({
  gateOwners: z.boolean().optional(),
  groups: z.array(entityRef('group')).optional(),
  users: z.array(entityRef('user')).optional(),
}).superRefine((value, ctx) => {
  if (!value.gateOwners && !value.groups?.length && !value.users?.length) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message:
        'names nobody; set "gateOwners: true" or list "groups" or "users"',
    });
  }
}) satisfies SchemaOf<SignoffEligibility>;

const signoffRole = strictObject({
  id: identifier('the role id'),
  title: nonEmptyString,
  eligible: eligibility,
  min: z
    .number()
    .int({ message: 'must be a whole number' })
    .min(1, { message: 'must be at least 1' })
    .default(1),
}) satisfies SchemaOf<SignoffRole>;

const selector = strictObject({
  kind: nonEmptyString.optional(),
  types: z
    .array(nonEmptyString)
    .min(1, { message: 'must list at least one type' })
    .optional(),
  tags: z
    .array(nonEmptyString)
    .min(1, { message: 'must list at least one tag' })
    .optional(),
}) satisfies SchemaOf<TemplateSelector>;

const risk = strictObject({
  impactMatrix: z.boolean().default(true),
  residualRiskAcceptance: z.boolean().default(true),
  rollbackPlan: z.boolean().default(true),
  rollbackVerifiedWithin: isoDuration('P30D').optional(),
  communicationPlan: z.boolean().default(true),
}).superRefine((value, ctx) => {
  if (value.rollbackVerifiedWithin !== undefined && !value.rollbackPlan) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['rollbackVerifiedWithin'],
      message:
        'needs "rollbackPlan: true"; a rollback that is not required cannot need verifying',
    });
  }
}) satisfies SchemaOf<RiskRequirements>;

/** A group or user ref; a bare name is a group (`qa` = `group:default/qa`). */
const approverRef = z.string().transform((value, ctx) => {
  try {
    const ref = parseEntityRef(value.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (kind === 'group' || kind === 'user') {
      return `${kind}:${ref.namespace}/${ref.name}`.toLocaleLowerCase('en-US');
    }
  } catch {
    // reported below
  }
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `"${value}" is not a group or user ref; write for example "group:default/release-management"`,
  });
  return z.NEVER;
});

const approvers = z
  .array(approverRef)
  .min(1, { message: 'must name at least one group or user' });

const MATERIAL_FIELDS: readonly MaterialRiskField[] = [
  'rollbackPlan',
  'impactMatrix',
  'residualRisk',
  'communication',
];

const materialField = z.string().transform((value, ctx): MaterialRiskField => {
  const found = MATERIAL_FIELDS.find(f => f === value);
  if (found) return found;
  ctx.addIssue({
    code: z.ZodIssueCode.custom,
    message: `"${value}" is not a risk field; use one of ${MATERIAL_FIELDS.join(
      ', ',
    )}`,
  });
  return z.NEVER;
});

/**
 * `spec.governance`: every key optional; what is left out gets the strict
 * default of `governanceOf` (-common/src/governance).
 */
const governance = strictObject({
  templateApprovers: approvers.optional(),
  waiverMaxDuration: isoDuration('P30D').optional(),
  waiverApprovers: strictObject(
    Object.fromEntries(
      CHECKLIST_CATEGORIES.map(c => [c, approvers.optional()]),
    ) as Record<ChecklistCategory, z.ZodOptional<typeof approvers>>,
  ).optional(),
  oneRolePerPerson: z.boolean().optional(),
  selfApproval: z.boolean().optional(),
  materialRiskChanges: z.array(materialField).optional(),
}).transform(value => {
  const out: Partial<GovernanceSpec> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
});

/**
 * `spec.rollup`: which parts of a system (or domain) its gate waits for;
 * each list given replaces the app's default for gates of this template.
 */
const nameList = z.array(nonEmptyString);
const rollup = strictObject({
  kinds: nameList.min(1, { message: 'must name at least one kind' }).optional(),
  excludeTypes: nameList.optional(),
  excludeLifecycles: nameList.optional(),
  excludeTags: nameList.optional(),
}).transform(value => {
  const out: GateTemplateRollup = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  return out;
});

const metadata = strictObject({
  name: templateName,
  title: nonEmptyString,
  description: nonEmptyString.optional(),
});

const spec = strictObject({
  tier,
  version,
  rapid: z.boolean().default(false),
  appliesTo: z.array(selector).default([]),
  checklist: uniqueIds(
    'item',
    z.array(checklistItem).min(1, { message: 'must have at least one item' }),
  ),
  signoffs: strictObject({
    selfApproval: z.boolean().default(false),
    roles: uniqueIds(
      'role',
      z.array(signoffRole).min(1, { message: 'must have at least one role' }),
    ),
  }),
  risk,
  governance: governance.optional(),
  rollup: rollup.optional(),
}).superRefine((value, ctx) => {
  if (value.rollup && value.tier === 1) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['rollup'],
      message:
        'is for system (tier 2) and business (tier 3) templates: a component gate has no parts',
    });
  }
  if (value.rapid && value.appliesTo.length > 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['appliesTo'],
      message:
        'must be empty for a rapid template: it is never chosen automatically, only by the release-readiness/template annotation or by choice when a gate is opened',
    });
  }
});

/**
 * The schema of a gate template file. It accepts the file's parsed YAML and
 * returns the flat {@link GateTemplateSpec}; issue paths refer to the file.
 *
 * @public
 */
export const gateTemplateSchema: z.ZodType<
  GateTemplateSpec,
  z.ZodTypeDef,
  unknown
> = strictObject({
  apiVersion: z.literal(GATE_TEMPLATE_API_VERSION),
  kind: z.literal(GATE_TEMPLATE_KIND),
  metadata,
  spec,
}).transform(
  (file): GateTemplateSpec => ({
    name: file.metadata.name,
    title: file.metadata.title,
    ...(file.metadata.description !== undefined && {
      description: file.metadata.description,
    }),
    tier: file.spec.tier,
    version: file.spec.version,
    rapid: file.spec.rapid,
    appliesTo: file.spec.appliesTo,
    checklist: file.spec.checklist,
    signoffs: file.spec.signoffs,
    risk: file.spec.risk,
    ...(file.spec.governance !== undefined && {
      governance: file.spec.governance,
    }),
    ...(file.spec.rollup !== undefined && { rollup: file.spec.rollup }),
  }),
);

// Compile-time proof that the schema's output is exactly GateTemplateSpec:
// neither more nor fewer fields, at every level.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B
  ? 1
  : 2
  ? true
  : false;
const outputIsExactlyTheSpec: Equals<
  z.output<typeof spec>['checklist'][number],
  ChecklistItemDefinition
> &
  Equals<z.output<typeof signoffRole>, SignoffRole> &
  Equals<z.output<typeof selector>, TemplateSelector> &
  Equals<z.output<typeof risk>, RiskRequirements> = true;
void outputIsExactlyTheSpec;
