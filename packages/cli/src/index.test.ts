import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './index';

const ENV = {
  RELEASE_READINESS_URL: 'http://localhost:7007',
  RELEASE_READINESS_TOKEN: 'ci-token',
};

/** Runs the command with a fetch that must not be called: usage errors come first. */
async function runOffline(argv: string[], env: Record<string, string> = ENV) {
  let stdout = '';
  let stderr = '';
  const fetch = jest.fn(async () => {
    throw new Error('no request expected');
  });
  const code = await run(argv, {
    stdout: { write: text => (stdout += text) },
    stderr: { write: text => (stderr += text) },
    env,
    fetch,
  });
  return { code, stdout, stderr, requests: fetch.mock.calls.length };
}

const PUSH = [
  'evidence',
  'push',
  '--entity',
  'component:default/payment-gateway',
  '--release',
  '1.4.0',
  '--type',
  'test-report',
  '--status',
  'passed',
  '--run-id',
  '42',
];
const CHECK = [
  'gate',
  'check',
  '--entity',
  'payment-gateway',
  '--release',
  '1.4.0',
];

describe('usage errors exit 2 before any request', () => {
  it.each([
    [
      {},
      /missing --base-url \(or RELEASE_READINESS_URL\) and --token \(or RELEASE_READINESS_TOKEN\)/,
    ],
    [
      { RELEASE_READINESS_URL: 'http://localhost:7007' },
      /missing --token \(or RELEASE_READINESS_TOKEN\)/,
    ],
    [
      { RELEASE_READINESS_TOKEN: 'ci-token' },
      /missing --base-url \(or RELEASE_READINESS_URL\)$/m,
    ],
    [{ ...ENV, RELEASE_READINESS_TOKEN: '' }, /missing --token/],
  ])('names what is missing (env %j)', async (env, message) => {
    for (const argv of [PUSH, CHECK]) {
      const result = await runOffline(argv, env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.requests).toBe(0);
    }
  });

  it('takes --base-url and --token over the environment', async () => {
    const result = await runOffline(
      [...CHECK, '--base-url', 'not a url', '--token', 't'],
      {},
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--base-url "not a url" is not a URL/);
  });

  it('names the missing evidence options', async () => {
    const result = await runOffline([
      'evidence',
      'push',
      '--entity',
      'payment-gateway',
      '--type',
      'test-report',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /error: missing --release, --status, --run-id \(or give --file\)/,
    );
  });

  it('names a missing gate check option', async () => {
    const result = await runOffline(['gate', 'check', '--release', '1.4.0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /required option '--entity <ref>' not specified/,
    );
  });

  it.each([
    [
      ['--status', 'green'],
      /--status "green" must be one of passed, failed, error, unknown/,
    ],
    [
      ['--type', 'Static Analysis'],
      /--type "Static Analysis" must be lowercase words/,
    ],
    [['--metric', 'score'], /--metric "score" must be key=value/],
    [['--metric', 'score='], /--metric score has no value/],
    [
      ['--observed-at', 'yesterday'],
      /--observed-at "yesterday" must be a date and time/,
    ],
    [
      ['--observed-at', '2026-12-01'],
      /--observed-at "2026-12-01" must be a date and time/,
    ],
    [
      ['--retries', 'many'],
      /option '--retries <n>' argument 'many' is invalid/,
    ],
    [['--retries', '11'], /argument '11' is invalid/],
    [['--unknown'], /unknown option '--unknown'/],
  ])('refuses evidence push %j', async (extra, message) => {
    const result = await runOffline([...PUSH, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.requests).toBe(0);
  });

  it.each([
    [['--wait', '--timeout', '30'], /--timeout "30" is not a duration/],
    [['--wait', '--interval', 'often'], /--interval "often" is not a duration/],
    [['--wait', '--timeout', '0s'], /--timeout must be longer than zero/],
    [['extra'], /too many arguments/],
  ])('refuses gate check %j', async (extra, message) => {
    const result = await runOffline([...CHECK, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.requests).toBe(0);
  });

  it('exits 2 with the help when no command is given', async () => {
    const result = await runOffline([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Usage: release-readiness/);
  });

  it('exits 0 for --help and --version', async () => {
    const help = await runOffline(['gate', 'check', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: release-readiness gate check/);
    expect(help.stdout).toMatch(/--wait/);
    const version = await runOffline(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('evidence push --file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'release-readiness-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it.each([
    ['broken.json', '{ "type": ', /is not JSON/],
    ['empty.json', '[]', /holds an empty array/],
    ['number.json', '[1]', /number\.json\[0\]: must be a JSON object/],
    [
      'missing.json',
      '[{ "type": "test-report", "status": "passed" }]',
      /missing\.json\[0\]: missing entityRef, release, runId \(or give --entity, --release, --run-id\)/,
    ],
    [
      'extra.json',
      '{ "entityRef": "a", "release": "1", "type": "t", "status": "passed", "runId": "1", "voter": "me" }',
      /extra\.json: unknown field "voter"/,
    ],
    [
      'metrics.json',
      '{ "entityRef": "a", "release": "1", "type": "t", "status": "passed", "runId": "1", "metrics": { "a": null } }',
      /metrics\.json: metrics\.a must be a number, true, false or a text/,
    ],
  ])('refuses %s', async (name, content, message) => {
    const result = await runOffline([
      'evidence',
      'push',
      '--file',
      file(name, content),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.requests).toBe(0);
  });

  it('refuses a file that does not exist', async () => {
    const result = await runOffline([
      'evidence',
      'push',
      '--file',
      join(dir, 'nope.json'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/nope\.json cannot be read: ENOENT/);
  });
});
