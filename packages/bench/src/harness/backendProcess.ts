/*
 * Real backend processes for the reliability tests and the benchmark.
 *
 * A backend is started the way `backstage-cli package start` starts a
 * TypeScript backend, minus the file watcher: `node --require
 * @backstage/cli-node/config/nodeTransform.cjs <entry> --config … --config …`,
 * so what runs is the code of this repository as it is, with no build step.
 * The harness adds one more config file of its own, last, with the port (and
 * whatever the caller passes as `config`), waits until the health endpoint
 * answers, and keeps the process's log to put into every error.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export { REPO_ROOT } from '../generate/database';

/** A JSON value, as config files hold. */
export type ConfigValue =
  | string
  | number
  | boolean
  | null
  | ConfigValue[]
  | { [key: string]: ConfigValue };
export type ConfigObject = { [key: string]: ConfigValue };

export interface BackendProcessOptions {
  /** A short name, used in log lines and errors ("replica-a"). */
  name: string;
  /** The backend's entry file, relative to `cwd` or absolute. */
  entry: string;
  /** The working directory; config paths in app-config resolve from here. */
  cwd: string;
  /** Config files, in order (later ones win), relative to `cwd` or absolute. */
  configPaths?: string[];
  /**
   * Config written to a file of its own and passed last. `backend.baseUrl`
   * and `backend.listen.port` are set from `port` unless given here.
   */
  config?: ConfigObject;
  /** The port to listen on. It must be free. */
  port: number;
  /** Extra environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /**
   * Polled until each answers 200. Default: Backstage's readiness (200 only
   * once every plugin has started) and the plugin's own health endpoint.
   */
  healthPaths?: string[];
  /** How long start-up may take. Default 120 s. */
  startTimeoutMs?: number;
  /** Also write the whole log here. */
  logFile?: string;
}

export interface BackendProcess {
  readonly name: string;
  /** `http://localhost:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after `timeoutMs` (default 15 s); resolves on exit. */
  stop(timeoutMs?: number): Promise<void>;
  /** Sends a signal (default SIGKILL) and resolves when the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Whether the process is still running. */
  running(): boolean;
  /** The log so far (stdout and stderr, colours removed), last `maxLines`. */
  logs(maxLines?: number): string;
  /** Resolves with the exit code (or signal) when the process exits. */
  readonly exited: Promise<number | string>;
}

const LOG_LINES_KEPT = 5000;
const DEFAULT_HEALTH_PATHS = [
  '/.backstage/health/v1/readiness',
  '/api/release-readiness/health',
];
/** What Backstage logs when a plugin or module failed to start. */
const STARTUP_FAILED = 'Backend startup failed';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Processes started here, killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Resolves when nothing listens on the port; rejects otherwise. */
export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((ok, fail) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        new Error(
          `Port ${port} is in use (${error.code}); pick another port for the backend under test`,
        ),
      ),
    );
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () =>
      server.close(() => ok()),
    );
  });
}

function deepSet(target: ConfigObject, path: string[], value: ConfigValue) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) {
      node[key] = {};
    }
    node = node[key] as ConfigObject;
  }
  if (node[path[path.length - 1]] === undefined) {
    node[path[path.length - 1]] = value;
  }
}

/**
 * Starts a backend and resolves once its health endpoint answers 200. If the
 * process exits first, or start-up takes longer than `startTimeoutMs`, it is
 * killed and the error carries the end of its log.
 */
export async function startBackendProcess(
  options: BackendProcessOptions,
): Promise<BackendProcess> {
  const { name, port } = options;
  await assertPortFree(port);
  const baseUrl = `http://localhost:${port}`;

  // The harness's own config, passed last so that it wins.
  const config: ConfigObject = JSON.parse(JSON.stringify(options.config ?? {}));
  deepSet(config, ['backend', 'baseUrl'], baseUrl);
  deepSet(config, ['backend', 'listen', 'port'], port);
  const configDir = mkdtempSync(join(tmpdir(), `rr-${name}-`));
  const harnessConfig = join(configDir, 'harness-config.yaml');
  // JSON is YAML, and the config loader reads YAML.
  writeFileSync(harnessConfig, JSON.stringify(config, null, 2));

  const toPath = (p: string) => (isAbsolute(p) ? p : resolve(options.cwd, p));
  const args = [
    '--enable-source-maps',
    '--require',
    require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
    toPath(options.entry),
    ...[...(options.configPaths ?? []).map(toPath), harnessConfig].flatMap(
      p => ['--config', p],
    ),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Jest's and the CLI's own variables are not the backend's business.
  delete env.JEST_WORKER_ID;
  delete env.BACKSTAGE_CLI_CHANNEL;
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }

  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);

  const lines: string[] = [];
  const file = options.logFile
    ? createWriteStream(options.logFile, { flags: 'a' })
    : undefined;
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8').replace(ANSI, '');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      file?.write(`${line}\n`);
    }
    if (lines.length > LOG_LINES_KEPT) {
      lines.splice(0, lines.length - LOG_LINES_KEPT);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  let exitCode: number | string | undefined;
  const exited = new Promise<number | string>(done => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal ?? 'unknown';
      live.delete(child);
      if (partial) lines.push(partial);
      file?.end();
      rmSync(configDir, { recursive: true, force: true });
      done(exitCode);
    });
  });

  const logs = (maxLines = 200) => lines.slice(-maxLines).join('\n');
  const running = () => exitCode === undefined;

  async function kill(signal: NodeJS.Signals = 'SIGKILL') {
    if (!running()) return;
    child.kill(signal);
    await exited;
  }

  async function stop(timeoutMs = 15_000) {
    if (!running()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  const healthUrls = (options.healthPaths ?? DEFAULT_HEALTH_PATHS).map(
    path => `${baseUrl}${path}`,
  );
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const deadline = Date.now() + startTimeoutMs;
  let pending = [...healthUrls];
  while (pending.length) {
    // A plugin that fails to start leaves the process running but never
    // ready; the log says so at once.
    const failed = lines.find(l => l.includes(STARTUP_FAILED));
    if (!running() || failed) {
      await kill();
      throw new Error(
        `Backend ${name} ${
          failed ? 'failed to start' : `exited (${exitCode})`
        } before ${pending.join(' and ')} answered. Its log:\n${logs(80)}`,
      );
    }
    const answered = await Promise.all(
      pending.map(url =>
        fetch(url, { signal: AbortSignal.timeout(2000) }).then(
          res => res.status === 200,
          () => false, // not listening yet
        ),
      ),
    );
    pending = pending.filter((_, i) => !answered[i]);
    if (!pending.length) break;
    if (Date.now() > deadline) {
      await kill();
      throw new Error(
        `Backend ${name} did not answer ${pending.join(
          ' and ',
        )} within ${startTimeoutMs} ms. Its log:\n${logs(80)}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }

  return {
    name,
    baseUrl,
    port,
    pid: child.pid!,
    stop,
    kill,
    running,
    logs,
    exited,
  };
}

/**
 * Starts several backends at the same moment. If any fails, the others are
 * stopped and the error names every failure.
 */
export async function startTogether(
  starts: (() => Promise<BackendProcess>)[],
): Promise<BackendProcess[]> {
  const results = await Promise.allSettled(starts.map(start => start()));
  const failures = results.filter(
    (r): r is PromiseRejectedResult => r.status === 'rejected',
  );
  if (failures.length) {
    await Promise.all(
      results.map(r => (r.status === 'fulfilled' ? r.value.stop() : undefined)),
    );
    throw new Error(
      `${failures.length} of ${
        starts.length
      } backends failed to start:\n${failures
        .map(f => String(f.reason?.message ?? f.reason))
        .join('\n\n')}`,
    );
  }
  return results.map(r => (r as PromiseFulfilledResult<BackendProcess>).value);
}
