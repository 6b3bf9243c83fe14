import {
  Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Node,
  parseDocument,
  Scalar,
} from 'yaml';
import { z } from 'zod';
import { GateTemplate } from '../types';
import { gateTemplateSchema } from './schema';

/**
 * One problem in a gate template file.
 *
 * @public
 */
export interface GateTemplateIssue {
  /** Where in the file, e.g. `spec.checklist[2].automated.rule`; empty for the whole file. */
  path: string;
  /** 1-based line, when known. */
  line?: number;
  /** What is wrong, in words. */
  message: string;
}

/**
 * Formats one issue as `source: path (line N): message`; without a path
 * (a YAML syntax error) as `source (line N): message`.
 *
 * @public
 */
export function formatGateTemplateIssue(
  source: string,
  issue: GateTemplateIssue,
): string {
  const line = issue.line !== undefined ? ` (line ${issue.line})` : '';
  return issue.path
    ? `${source}: ${issue.path}${line}: ${issue.message}`
    : `${source}${line}: ${issue.message}`;
}

/**
 * A gate template that cannot be used, with every problem found in it. The
 * message has one line per problem:
 * `gate-templates/component-gate.yaml: spec.checklist[2].automated.rule (line 34): cannot read "score => 90"; …`.
 * `path` and `line` are those of the first problem.
 *
 * @public
 */
export class GateTemplateError extends Error {
  readonly source: string;
  readonly path: string;
  readonly line?: number;
  readonly issues: GateTemplateIssue[];

  constructor(source: string, issues: GateTemplateIssue[]) {
    const all = issues.length
      ? issues
      : [{ path: '', message: 'is not a valid gate template' }];
    super(all.map(issue => formatGateTemplateIssue(source, issue)).join('\n'));
    this.name = 'GateTemplateError';
    this.source = source;
    this.path = all[0].path;
    this.line = all[0].line;
    this.issues = all;
  }
}

type PathSegment = string | number;

function formatPath(path: readonly PathSegment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      return index === 0 ? segment : `.${segment}`;
    })
    .join('');
}

/**
 * The 1-based line of the deepest node of `path` that exists in the document:
 * for a key that exists, the line of the key (or of a scalar value); for a
 * missing key, the line of the nearest enclosing key.
 */
function lineOf(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
): number | undefined {
  const lineAt = (offset: number) =>
    Math.max(1, lineCounter.linePos(offset).line);
  let node: unknown = doc.contents;
  let keyNode: Node | undefined;
  for (const segment of path) {
    let next: unknown;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        item =>
          isPair(item) &&
          (isScalar(item.key) ? item.key.value : item.key) === segment,
      );
      if (pair) {
        next = pair.value;
        nextKey = isScalar(pair.key) ? pair.key : undefined;
        if (next === null || next === undefined) {
          // `key:` with no value: the key is the place to point at.
          node = undefined;
          keyNode = nextKey;
          break;
        }
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined) break;
    node = next;
    keyNode = nextKey;
  }
  if (keyNode?.range && !isScalar(node)) return lineAt(keyNode.range[0]);
  const range = (node as Node | undefined)?.range;
  if (range) return lineAt(range[0]);
  if (keyNode?.range) return lineAt(keyNode.range[0]);
  return undefined;
}

const articles: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
};

/** Issue messages in plain words; custom messages pass through. */
const errorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type: {
      const expected = articles[issue.expected] ?? issue.expected;
      if (issue.received === 'undefined') {
        return { message: `is required (${expected})` };
      }
      if (issue.received === 'null') {
        return { message: `has no value; expected ${expected}` };
      }
      return {
        message: `must be ${expected}, not ${
          articles[issue.received] ?? issue.received
        }`,
      };
    }
    case z.ZodIssueCode.invalid_literal:
      return {
        message:
          ctx.data === undefined
            ? `is required: ${JSON.stringify(issue.expected)}`
            : `must be ${JSON.stringify(issue.expected)}, not ${JSON.stringify(
                ctx.data,
              )}`,
      };
    default:
      return { message: ctx.defaultError };
  }
};

function zodIssues(
  error: z.ZodError,
  doc: Document,
  lineCounter: LineCounter,
): GateTemplateIssue[] {
  return error.issues.map(issue => {
    const path = [...issue.path];
    // With a single unknown key, point at the key itself.
    if (
      issue.code === z.ZodIssueCode.unrecognized_keys &&
      issue.keys.length === 1
    ) {
      path.push(issue.keys[0]);
    }
    return {
      path: formatPath(path),
      line: lineOf(doc, lineCounter, path),
      message: issue.message,
    };
  });
}

function byLine(a: GateTemplateIssue, b: GateTemplateIssue): number {
  return (
    (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER)
  );
}

/**
 * Reads and validates a gate template file.
 *
 * @param content - the file's text (YAML)
 * @param source - the file's path relative to the app's root, for messages
 * @param hash - SHA-256 of `content`, hex; the caller computes it (the backend
 *   with `node:crypto`) so that this package stays free of Node built-ins
 * @throws GateTemplateError listing every problem found, with paths and lines
 * @public
 */
export function parseGateTemplate(
  content: string,
  source: string,
  hash: string,
): GateTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length) {
    // Only the first: the parser's later errors mostly follow from it.
    const [first] = doc.errors;
    const more = doc.errors.length - 1;
    throw new GateTemplateError(source, [
      {
        path: '',
        line: Math.max(1, lineCounter.linePos(first.pos[0]).line),
        message: `YAML syntax error: ${first.message}${
          more ? ` (and ${more} more error${more > 1 ? 's' : ''} after it)` : ''
        }`,
      },
    ]);
  }
  if (doc.contents === null || isScalar(doc.contents)) {
    throw new GateTemplateError(source, [
      {
        path: '',
        line: 1,
        message: `is not a gate template; expected a mapping with apiVersion, kind, metadata and spec`,
      },
    ]);
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new GateTemplateError(source, [
      { path: '', message: e instanceof Error ? e.message : String(e) },
    ]);
  }

  // A version written as a plain number keeps its spelling: `1.10` stays
  // "1.10" rather than becoming 1.1.
  const versionNode = doc.getIn(['spec', 'version'], true);
  if (
    isScalar(versionNode) &&
    typeof versionNode.value === 'number' &&
    versionNode.type === Scalar.PLAIN &&
    versionNode.range &&
    data &&
    typeof data === 'object'
  ) {
    const spec = (data as { spec?: unknown }).spec;
    if (spec && typeof spec === 'object') {
      (spec as { version?: unknown }).version = content
        .slice(versionNode.range[0], versionNode.range[1])
        .trim();
    }
  }

  const result = gateTemplateSchema.safeParse(data, { errorMap });
  if (!result.success) {
    throw new GateTemplateError(
      source,
      zodIssues(result.error, doc, lineCounter).sort(byLine),
    );
  }
  return { ...result.data, hash, source };
}

/**
 * Checks templates loaded together: every name must be unique.
 *
 * @throws GateTemplateError naming the file that reuses a name
 * @public
 */
export function checkTemplateSet(templates: readonly GateTemplate[]): void {
  const seen = new Map<string, GateTemplate>();
  for (const template of templates) {
    const first = seen.get(template.name);
    if (first) {
      throw new GateTemplateError(template.source, [
        {
          path: 'metadata.name',
          message: `template name "${template.name}" is already used by ${first.source}; names must be unique`,
        },
      ]);
    }
    seen.set(template.name, template);
  }
}
