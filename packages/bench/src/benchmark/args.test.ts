import { fromCaller, sizePairs } from './args';

describe('fromCaller', () => {
  it('resolves a relative path against the folder yarn bench was run from', () => {
    // What yarn gives the script: INIT_CWD is the workspace's own folder.
    const env = {
      BENCH_CALLER_CWD: '/repo',
      INIT_CWD: '/repo/packages/bench',
    };
    expect(fromCaller('artifacts/bench/data.sqlite', env)).toBe(
      '/repo/artifacts/bench/data.sqlite',
    );
    expect(fromCaller('/abs/data.sqlite', env)).toBe('/abs/data.sqlite');
    expect(fromCaller(undefined, env)).toBeUndefined();
    // Run in the workspace itself, without the root's script.
    expect(fromCaller('x.sqlite', { INIT_CWD: '/repo/packages/bench' })).toBe(
      '/repo/packages/bench/x.sqlite',
    );
  });
});

describe('sizePairs', () => {
  it('reads size=value pairs', () => {
    expect(
      sizePairs('reuse-pg', '100000=rr_bench_data_100000,1000=db_1', v => v),
    ).toEqual(
      new Map([
        [100000, 'rr_bench_data_100000'],
        [1000, 'db_1'],
      ]),
    );
    expect(sizePairs('reuse-pg', undefined, v => v)).toEqual(new Map());
  });

  it.each(['100000', '=db', '100000=', 'big=db', '5=db'])(
    'refuses %s, naming the flag and the form',
    pair => {
      expect(() => sizePairs('reuse-pg', pair, v => v)).toThrow(
        `--reuse-pg: ${pair} is not size=value (for example 100000=rr_bench_data_100000)`,
      );
    },
  );
});
