import { useEffect, useRef, useState } from 'react';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import {
  FacetCount,
  PortfolioResponse,
} from '@release-readiness/plugin-common';
import { facetValueLabel } from './format';
import { FILTER_KEYS, FilterKey, ResolvedPortfolioQuery } from './query';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

const SEARCH_DELAY_MS = 400;

/** The options of a filter: its facet values, and the chosen one if absent. */
export function filterOptions(
  key: FilterKey,
  facets: FacetCount[],
  selected: string | undefined,
  t: ReleaseReadinessT,
): { value: string; label: string }[] {
  const options = facets.map(f => ({
    value: f.value,
    label: t('portfolioFilters.option', {
      value: facetValueLabel(key, f.value, t),
      n: String(f.count),
    }),
  }));
  if (selected && !facets.some(f => f.value === selected)) {
    options.unshift({
      value: selected,
      label: t('portfolioFilters.option', {
        value: facetValueLabel(key, selected, t),
        n: '0',
      }),
    });
  }
  return options;
}

/** Props of {@link PortfolioFilters}. */
export interface PortfolioFiltersProps {
  query: ResolvedPortfolioQuery;
  facets?: PortfolioResponse['facets'];
  onChange(key: FilterKey | 'q', value: string): void;
}

/** The portfolio's filters, with how many services each value has. */
export function PortfolioFilters(props: PortfolioFiltersProps) {
  const { t } = useReleaseReadinessTranslation();
  const { query, facets, onChange } = props;
  const [search, setSearch] = useState(query.q ?? '');
  const sent = useRef(query.q ?? '');

  // The URL is the truth: follow it when it changes under us (a shared link,
  // the back button), but not when it only echoes what was typed.
  useEffect(() => {
    const fromUrl = query.q ?? '';
    if (fromUrl !== sent.current) {
      sent.current = fromUrl;
      setSearch(fromUrl);
    }
  }, [query.q]);

  const submit = (text: string) => {
    if (text !== sent.current) {
      sent.current = text;
      onChange('q', text);
    }
  };

  useEffect(() => {
    const text = search.trim();
    if (text === sent.current) {
      return undefined;
    }
    const timer = setTimeout(() => {
      sent.current = text;
      onChange('q', text);
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, onChange]);

  return (
    <Grid container spacing={2} alignItems="flex-end">
      <Grid item xs={12} md={4} lg={2}>
        <TextField
          id="portfolio-search"
          label={t('portfolioFilters.search')}
          placeholder={t('portfolioFilters.searchPlaceholder')}
          type="search"
          fullWidth
          value={search}
          onChange={e => setSearch(e.target.value)}
          onKeyDown={e => {
            if (e.key === 'Enter') {
              submit(search.trim());
            }
          }}
        />
      </Grid>
      {FILTER_KEYS.map(key => (
        <Grid item xs={6} md={4} lg={2} key={key}>
          <TextField
            id={`portfolio-filter-${key}`}
            select
            fullWidth
            label={t(`portfolioFilters.labels.${key}`)}
            value={query[key] ?? ''}
            onChange={e => onChange(key, e.target.value)}
            SelectProps={{ native: true }}
            InputLabelProps={{ shrink: true }}
          >
            <option value="">{t('portfolioFilters.all')}</option>
            {filterOptions(key, facets?.[key] ?? [], query[key], t).map(o => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </TextField>
        </Grid>
      ))}
    </Grid>
  );
}
