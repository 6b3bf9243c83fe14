/**
 * The `release-readiness` command for CI pipelines: pushes evidence to the
 * Release Readiness API and gates a deployment on its Go/No-Go decision.
 *
 * @packageDocumentation
 */

import { Command, CommanderError, InvalidArgumentError } from 'commander';
import {
  EVIDENCE_STATUSES,
  FetchFunction,
  ReadinessApiClient,
  RetryNotice,
} from './client';
import { evidencePush, EvidencePushOptions } from './commands/evidencePush';
import { gateCheck } from './commands/gateCheck';
import { formatDuration, parseDuration } from './durations';
import {
  ApiRefusedError,
  ApiUnavailableError,
  EXIT_ERROR,
  EXIT_NO,
  EXIT_OK,
  hintFor,
  UsageError,
} from './errors';
import { lineOutput, Output, Writable } from './output';
import { version } from '../package.json';

export { ReadinessApiClient } from './client';
export type { Decision, EvidenceBody, FetchFunction } from './client';
export { ApiRefusedError, ApiUnavailableError, UsageError } from './errors';

/** Where a run reads its settings and writes its output. */
export interface RunOptions {
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
  /** The HTTP client; Node's global `fetch` unless given. */
  fetch?: FetchFunction;
}

interface ConnectionOptions {
  baseUrl?: string;
  token?: string;
  retries: number;
  json?: boolean;
}

const URL_ENV = 'RELEASE_READINESS_URL';
const TOKEN_ENV = 'RELEASE_READINESS_TOKEN';

function collect(value: string, previous: string[] = []) {
  return [...previous, value];
}

function parseRetries(value: string) {
  if (!/^\d+$/.test(value.trim()) || Number(value) > 10) {
    throw new InvalidArgumentError('Give a whole number from 0 to 10.');
  }
  return Number(value);
}

/** Adds the options every command that talks to the API has. */
function withConnectionOptions(command: Command): Command {
  return command
    .option(
      '--base-url <url>',
      `the Backstage backend, e.g. https://backstage.example.com; /api/release-readiness is appended (env ${URL_ENV})`,
    )
    .option(
      '--token <token>',
      `the static CI token from backend.auth.externalAccess (env ${TOKEN_ENV})`,
    )
    .option(
      '--retries <n>',
      'retries after a network error, a 5xx or a 429, waiting 0.5s, 1s, 2s, …',
      parseRetries,
      3,
    )
    .option('--json', 'print the raw JSON response');
}

function createClient(
  options: ConnectionOptions,
  io: RunOptions,
  out: Output,
): ReadinessApiClient {
  const baseUrl = (options.baseUrl ?? io.env[URL_ENV])?.trim();
  const token = (options.token ?? io.env[TOKEN_ENV])?.trim();
  const missing = [];
  if (!baseUrl) missing.push(`--base-url (or ${URL_ENV})`);
  if (!token) missing.push(`--token (or ${TOKEN_ENV})`);
  if (missing.length) {
    throw new UsageError(`missing ${missing.join(' and ')}`);
  }
  return new ReadinessApiClient({
    baseUrl: baseUrl!,
    token: token!,
    fetch: io.fetch,
    retries: options.retries,
    userAgent: `release-readiness-cli/${version}`,
    onRetry: (notice: RetryNotice) =>
      out.stderr(
        `${notice.method} ${notice.path}: ${
          notice.reason
        }; retrying in ${formatDuration(notice.delayMs)} (attempt ${
          notice.attempt + 1
        } of ${notice.attempts})`,
      ),
  });
}

function createProgram(
  io: RunOptions,
  out: Output,
  setExitCode: (code: number) => void,
): Command {
  const program = new Command('release-readiness')
    .description(
      'Push CI evidence to Release Readiness and gate deployments on its Go/No-Go decision.',
    )
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: text => io.stdout.write(text),
      writeErr: text => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText(
      'after',
      `
Exit codes
  0  done; for gate check, the verdict is GO
  1  NO-GO or IN PROGRESS, or the server refused the request (4xx)
  2  usage error, or the server stayed unreachable (network, 5xx, 429)`,
    );

  const evidence = program
    .command('evidence')
    .description('CI evidence: test reports, scans, benchmarks');

  withConnectionOptions(
    evidence
      .command('push')
      .description(
        'Record evidence for a release. Safe to retry: the API keeps one record per entity, release, type and run id.',
      )
      .option(
        '--entity <ref>',
        'entity ref, e.g. component:default/payment-gateway',
      )
      .option('--release <release>', 'the release, e.g. 1.4.0')
      .option(
        '--type <type>',
        'evidence type, e.g. test-report, static-analysis',
      )
      .option('--status <status>', `one of ${EVIDENCE_STATUSES.join(', ')}`)
      .option(
        '--metric <key=value>',
        'a metric, repeatable; numbers, true and false are typed, the rest is text',
        collect,
      )
      .option('--link <url>', 'link to the CI run or report')
      .option('--commit <sha>', 'the commit the evidence is about')
      .option('--run-id <id>', 'the CI run id, e.g. $GITHUB_RUN_ID')
      .option(
        '--observed-at <iso>',
        'when it was observed, e.g. 2026-12-01T09:30:00Z (default: now)',
      )
      .option(
        '--file <path>',
        'a JSON object or array of objects with the API fields (entityRef, release, type, status, metrics, link, commit, runId, observedAt); options fill in fields the file leaves out; several entries are sent in batches of 500',
      ),
  )
    .addHelpText(
      'after',
      `
Examples
  $ release-readiness evidence push --entity component:default/payment-gateway \\
      --release 1.4.0 --type static-analysis --status passed \\
      --metric score=93 --run-id "$GITHUB_RUN_ID" --commit "$GITHUB_SHA"
  $ release-readiness evidence push --file evidence.json --run-id "$CI_PIPELINE_ID"`,
    )
    .action(async (options: EvidencePushOptions & ConnectionOptions) => {
      const client = createClient(options, io, out);
      setExitCode(await evidencePush(client, options, out));
    });

  const gate = program
    .command('gate')
    .description('Release gates and their Go/No-Go decision');

  withConnectionOptions(
    gate
      .command('check')
      .description(
        'Exit 0 when the release may go (GO); exit 1 with the blockers otherwise.',
      )
      .requiredOption(
        '--entity <ref>',
        'entity ref, e.g. component:default/payment-gateway',
      )
      .requiredOption('--release <release>', 'the release, e.g. 1.4.0')
      .option(
        '--wait',
        'poll until the verdict is GO or NO-GO, or the timeout passes',
      )
      .option(
        '--timeout <duration>',
        'how long --wait waits, e.g. 30s, 5m, 1h',
        '30m',
      )
      .option('--interval <duration>', 'how often --wait asks', '30s'),
  )
    .addHelpText(
      'after',
      `
Examples
  $ release-readiness gate check --entity component:default/payment-gateway --release 1.4.0
  $ release-readiness gate check --entity payment-gateway --release 1.4.0 --wait --timeout 2h --interval 1m`,
    )
    .action(async (options, command: Command) => {
      const timeoutMs = parseDuration(options.timeout, '--timeout');
      const intervalMs = parseDuration(options.interval, '--interval');
      if (!options.wait) {
        for (const name of ['timeout', 'interval']) {
          if (command.getOptionValueSource(name) === 'cli') {
            out.stderr(`warning: --${name} has no effect without --wait`);
          }
        }
      }
      const client = createClient(options, io, out);
      setExitCode(
        await gateCheck(
          client,
          {
            entity: options.entity,
            release: options.release,
            wait: Boolean(options.wait),
            timeoutMs,
            intervalMs,
            json: Boolean(options.json),
          },
          out,
        ),
      );
    });

  return program;
}

/**
 * Runs the command line and returns its exit code: 0 done (GO), 1 the server
 * said no (NO-GO, IN PROGRESS, a refusal), 2 usage error or unreachable.
 *
 * @param argv - the arguments after the program's name
 */
export async function run(
  argv: string[],
  options: RunOptions,
): Promise<number> {
  const out = lineOutput(options.stdout, options.stderr);
  let exitCode = EXIT_OK;
  const program = createProgram(options, out, code => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed the message or the help.
      return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    if (error instanceof UsageError) {
      out.stderr(`error: ${error.message}`);
      out.stderr('(add --help for usage)');
      return EXIT_ERROR;
    }
    if (error instanceof ApiRefusedError) {
      out.stderr(`error: ${error.message}`);
      const hint = hintFor(error);
      if (hint) out.stderr(`hint: ${hint}`);
      return EXIT_NO;
    }
    if (error instanceof ApiUnavailableError) {
      out.stderr(`error: ${error.message}`);
      return EXIT_ERROR;
    }
    out.stderr(`error: ${error instanceof Error ? error.message : error}`);
    return EXIT_ERROR;
  }
}

/** The program's entry point, called by `bin/release-readiness`. */
export function main(): void {
  // `release-readiness … | head` may close the pipe early. That is not an
  // error of the command: it goes on and exits with its own code.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') {
      throw error;
    }
  });
  run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then(
    code => process.exit(code),
    error => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(EXIT_ERROR);
    },
  );
}
