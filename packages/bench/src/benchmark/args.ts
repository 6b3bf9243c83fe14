/*
 * Reading `yarn bench`'s arguments: paths as the caller typed them, and the
 * size=value pairs of the --reuse flags.
 */
import { resolve } from 'node:path';

/**
 * A path as the person typed it: relative to where they ran `yarn bench`.
 * Yarn runs the script in packages/bench with INIT_CWD set to that folder
 * (`yarn workspace` sets it anew), so the root's `bench` script passes the
 * folder it was called from as BENCH_CALLER_CWD.
 */
export function fromCaller(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return path === undefined
    ? undefined
    : resolve(env.BENCH_CALLER_CWD || env.INIT_CWD || process.cwd(), path);
}

/**
 * `size=value` pairs of a flag (`--reuse-sqlite 100000=data.sqlite,…`), each
 * value read by `read`; a clear error for a pair without its size or value.
 */
export function sizePairs<T>(
  flag: string,
  text: string | undefined,
  read: (value: string) => T,
): Map<number, T> {
  const pairs = new Map<number, T>();
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    const size = Number(pair.slice(0, at));
    const value = pair.slice(at + 1);
    if (at < 0 || !Number.isInteger(size) || size < 10 || !value) {
      throw new Error(
        `--${flag}: ${pair} is not size=value (for example 100000=${
          flag === 'reuse-pg' ? 'rr_bench_data_100000' : 'data-100000.sqlite'
        })`,
      );
    }
    pairs.set(size, read(value));
  }
  return pairs;
}
