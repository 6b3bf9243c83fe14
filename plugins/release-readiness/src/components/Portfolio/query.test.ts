import { readMetricsQuery, readPortfolioQuery, withParam } from './query';

describe('portfolio query in the URL', () => {
  it('reads filters, sort and page with defaults', () => {
    expect(readPortfolioQuery(new URLSearchParams(''))).toEqual({
      sort: 'owner',
      order: 'asc',
      offset: 0,
      limit: 50,
    });
    expect(
      readPortfolioQuery(
        new URLSearchParams(
          'owner=group:default/payments&system=system:default/s&tier=2&state=none&verdict=NO-GO&q=+pay+&sort=score&order=desc&offset=100&limit=25',
        ),
      ),
    ).toEqual({
      owner: 'group:default/payments',
      system: 'system:default/s',
      tier: '2',
      state: 'none',
      verdict: 'NO-GO',
      q: 'pay',
      sort: 'score',
      order: 'desc',
      offset: 100,
      limit: 25,
    });
  });

  it('falls back to defaults on malformed values and caps the limit', () => {
    expect(
      readPortfolioQuery(
        new URLSearchParams('sort=drop&order=up&offset=-3&limit=5000'),
      ),
    ).toEqual({ sort: 'owner', order: 'asc', offset: 0, limit: 200 });
    expect(readPortfolioQuery(new URLSearchParams('limit=0')).limit).toBe(50);
  });

  it('reads the metrics grouping', () => {
    expect(readMetricsQuery(new URLSearchParams(''))).toEqual({
      groupBy: 'team',
      period: 'month',
    });
    expect(
      readMetricsQuery(new URLSearchParams('groupBy=system&period=quarter')),
    ).toEqual({ groupBy: 'system', period: 'quarter' });
    expect(readMetricsQuery(new URLSearchParams('groupBy=x'))).toEqual({
      groupBy: 'team',
      period: 'month',
    });
  });

  it('resets the page when anything but the page changes', () => {
    const params = new URLSearchParams('offset=50&tier=1');
    expect(withParam(params, 'owner', 'group:default/a').toString()).toBe(
      'tier=1&owner=group%3Adefault%2Fa',
    );
    expect(withParam(params, 'offset', 100).toString()).toBe(
      'offset=100&tier=1',
    );
    expect(withParam(params, 'tier', '').toString()).toBe('');
    expect(withParam(params, 'period', 'quarter').toString()).toBe(
      'offset=50&tier=1&period=quarter',
    );
    // Defaults stay out of the URL.
    expect(withParam(params, 'sort', 'owner').toString()).toBe('tier=1');
    expect(params.toString()).toBe('offset=50&tier=1');
  });
});
