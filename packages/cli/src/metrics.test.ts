import { UsageError } from './errors';
import { parseMetrics, parseMetricValue } from './metrics';

describe('parseMetricValue', () => {
  it.each([
    ['93', 93],
    ['-4', -4],
    ['80.5', 80.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['0', 0],
    ['true', true],
    ['false', false],
  ])('reads %j as %j', (text, value) => {
    expect(parseMetricValue(text)).toBe(value);
  });

  it.each(['TRUE', 'yes', 'v1.2', '0x10', 'Infinity', 'NaN', '12ms', '1.2.3'])(
    'keeps %j as text',
    text => {
      expect(parseMetricValue(text)).toBe(text);
    },
  );
});

describe('parseMetrics', () => {
  it('turns key=value options into typed metrics', () => {
    expect(
      parseMetrics([
        'score=93',
        'passed=true',
        'flaky=false',
        'tool=sonar',
        'p95LatencyMs=212.5',
      ]),
    ).toEqual({
      score: 93,
      passed: true,
      flaky: false,
      tool: 'sonar',
      p95LatencyMs: 212.5,
    });
  });

  it('splits at the first "=" and trims around it', () => {
    expect(parseMetrics(['query = a=b ', ' total=812'])).toEqual({
      query: 'a=b',
      total: 812,
    });
  });

  it('returns no metrics for no options', () => {
    expect(parseMetrics([])).toEqual({});
  });

  it('keeps a key that looks like a prototype as an ordinary field', () => {
    const metrics = parseMetrics(['__proto__=1']);
    expect(Object.getPrototypeOf(metrics)).toBe(Object.prototype);
    expect(JSON.stringify(metrics)).toBe('{"__proto__":1}');
  });

  it.each([
    ['score', /--metric "score" must be key=value/],
    ['=93', /has no key/],
    ['score=', /--metric score has no value .*CI variable unset/],
    ['score=  ', /--metric score has no value/],
  ])('refuses %j', (entry, message) => {
    expect(() => parseMetrics([entry])).toThrow(UsageError);
    expect(() => parseMetrics([entry])).toThrow(message);
  });

  it('refuses the same key twice', () => {
    expect(() => parseMetrics(['score=1', 'score=2'])).toThrow(
      '--metric score is given more than once',
    );
  });
});
