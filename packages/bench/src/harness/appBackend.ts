/*
 * The real app backend (packages/backend) as a process: the demo catalog in
 * examples/, the development-only demo sign-in (NODE_ENV=development), and a
 * scratch PostgreSQL database of the caller's.
 */
import { join } from 'node:path';
import { demoUserToken, request, waitUntil } from './api';
import {
  BackendProcess,
  ConfigObject,
  REPO_ROOT,
  startBackendProcess,
} from './backendProcess';
import { ScratchPostgres } from './postgres';

export const APP_BACKEND_DIR = join(REPO_ROOT, 'packages', 'backend');

export interface AppBackendOptions {
  name: string;
  port: number;
  database: ScratchPostgres;
  /** `backend.database.knexConfig`: pool sizes and timeouts. */
  knexConfig?: ConfigObject;
  /** `backend.database.plugin.<id>.knexConfig`, merged over `knexConfig`. */
  pluginKnexConfig?: Record<string, ConfigObject>;
  /** More config, merged over the rest (passed last). */
  config?: ConfigObject;
  env?: Record<string, string | undefined>;
  startTimeoutMs?: number;
  logFile?: string;
}

/** Starts packages/backend/src/index.ts with app-config.yaml and a scratch database. */
export function startAppBackend(
  options: AppBackendOptions,
): Promise<BackendProcess> {
  const { backend: extraBackend, ...extraConfig } = (options.config ?? {}) as {
    backend?: ConfigObject;
  } & ConfigObject;
  return startBackendProcess({
    name: options.name,
    entry: 'src/index.ts',
    cwd: APP_BACKEND_DIR,
    configPaths: [join(REPO_ROOT, 'app-config.yaml')],
    config: {
      ...extraConfig,
      backend: {
        ...(extraBackend ?? {}),
        database: options.database.backendDatabaseConfig({
          ...(options.knexConfig ? { knexConfig: options.knexConfig } : {}),
          ...(options.pluginKnexConfig
            ? { pluginKnexConfig: options.pluginKnexConfig }
            : {}),
        }),
      },
    },
    port: options.port,
    env: { NODE_ENV: 'development', ...(options.env ?? {}) },
    ...(options.startTimeoutMs
      ? { startTimeoutMs: options.startTimeoutMs }
      : {}),
    ...(options.logFile ? { logFile: options.logFile } : {}),
  });
}

/**
 * Waits until the backend's catalog has read examples/: the demo sign-in
 * knows `user` and the plugin can see `entityRef`.
 */
export async function waitForDemoCatalog(
  backend: BackendProcess,
  options: { user?: string; entityRef?: string; timeoutMs?: number } = {},
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const token = await demoUserToken(
    backend.baseUrl,
    options.user ?? 'priya-raman',
    timeoutMs,
  );
  const [kind, rest] = (
    options.entityRef ?? 'component:default/payment-gateway'
  ).split(':');
  const [namespace, name] = rest.split('/');
  await waitUntil(
    `${options.entityRef ?? 'payment-gateway'} in the catalog of ${
      backend.name
    }`,
    async () =>
      (
        await request(
          'GET',
          `${backend.baseUrl}/api/release-readiness/entities/${kind}/${namespace}/${name}`,
          { token, timeoutMs: 10_000 },
        )
      ).status === 200,
    timeoutMs,
    500,
  );
  return token;
}
