import { useState } from 'react';
import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import {
  ItemInsight,
  ItemOutcome,
  ItemOutcomeStats,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage } from '../shared/errors';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

/** How many items one page of the card shows. */
export const INSIGHTS_PAGE_SIZE = 10;

const OUTCOME_KEYS = {
  passed: 'insights.outcomePassed',
  waived: 'insights.outcomeWaived',
  'not-applicable': 'insights.outcomeNotApplicable',
  'failed-then-fixed': 'insights.outcomeFailedThenFixed',
} as const satisfies Record<ItemOutcome, string>;

/** The outcome the item's chart compares: its finding's, else its most common departure. */
export function chartOutcome(item: ItemInsight): ItemOutcomeStats | undefined {
  if (item.findingOutcome) {
    return item.outcomes.find(o => o.outcome === item.findingOutcome);
  }
  return [...item.outcomes]
    .filter(o => o.outcome !== 'passed')
    .sort((a, b) => b.releases - a.releases)[0];
}

/** The finding in a few words. */
export function findingLabel(t: ReleaseReadinessT, item: ItemInsight): string {
  switch (item.finding) {
    case 'riskier':
      return t('insights.findingRiskier', {
        outcome: t(OUTCOME_KEYS[item.findingOutcome ?? 'waived']),
      });
    case 'no-difference':
      return t('insights.findingNoDifference');
    case 'retire-candidate':
      return t('insights.findingRetire');
    default:
      return t('insights.findingNotEnough');
  }
}

const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '–' : `${Math.round(rate * 100)} %`;

/** The gap between the chart outcome's rate and the rest, for sorting. */
const gapOf = (item: ItemInsight) => {
  const o = chartOutcome(item);
  return o?.rate !== null && o?.otherwise.rate !== null && o
    ? o.rate! - o.otherwise.rate!
    : -1;
};

function RateBars({ item }: { item: ItemInsight }) {
  const { t } = useReleaseReadinessTranslation();
  const o = chartOutcome(item);
  if (!o) return <>–</>;
  const outcome = t(OUTCOME_KEYS[o.outcome]);
  const bar = (rate: number | null, color: string, text: string) => (
    <Box display="flex" alignItems="center" style={{ gap: 4 }}>
      <Box
        width={`${Math.max(2, Math.round((rate ?? 0) * 100))}px`}
        height={8}
        bgcolor={color}
        aria-hidden
      />
      <Typography variant="caption">{text}</Typography>
    </Box>
  );
  return (
    <div
      role="img"
      aria-label={t('insights.chartLabel', {
        outcome,
        rate: percent(o.rate),
        otherwise: percent(o.otherwise.rate),
      })}
    >
      {bar(
        o.rate,
        '#b71c1c',
        t('insights.barWith', { outcome, rate: percent(o.rate) }),
      )}
      {bar(
        o.otherwise.rate,
        '#546e7a',
        t('insights.barOtherwise', { rate: percent(o.otherwise.rate) }),
      )}
    </div>
  );
}

type SortKey = 'finding' | 'releases' | 'gap';

/**
 * The quarterly review of one template: downloads its Markdown record with
 * the proposed patch (`GET /templates/:name/review?format=md`).
 */
function TemplateReview({ templates }: { templates: string[] }) {
  const api = useApi(releaseReadinessApiRef);
  const { t } = useReleaseReadinessTranslation();
  const [chosen, setChosen] = useState(templates[0] ?? '');
  const [state, setState] = useState<{ done?: string; error?: string }>({});
  const [busy, setBusy] = useState(false);
  const template = templates.includes(chosen) ? chosen : templates[0];
  if (!template) return null;
  const download = async () => {
    setBusy(true);
    setState({});
    try {
      const markdown = await api.getTemplateReviewMarkdown(template);
      const file = `template-review-${template}.md`;
      if (typeof URL.createObjectURL === 'function') {
        const url = URL.createObjectURL(
          new Blob([markdown], { type: 'text/markdown' }),
        );
        const link = document.createElement('a');
        link.href = url;
        link.download = file;
        document.body.appendChild(link);
        link.click();
        link.remove();
        URL.revokeObjectURL(url);
      }
      setState({ done: file });
    } catch (e) {
      setState({ error: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box mt={2}>
      <Typography variant="subtitle2" component="h3">
        {t('insights.review')}
      </Typography>
      <Typography variant="body2" color="textSecondary" paragraph>
        {t('insights.reviewExplanation')}
      </Typography>
      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
        <TextField
          id="template-review-template"
          select
          label={t('insights.reviewTemplate')}
          value={template}
          onChange={e => setChosen(e.target.value)}
          SelectProps={{ native: true }}
          InputLabelProps={{ shrink: true }}
        >
          {templates.map(name => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </TextField>
        <Button
          variant="outlined"
          color="primary"
          disabled={busy}
          onClick={download}
        >
          {t('insights.reviewDownload')}
        </Button>
      </Box>
      {state.done && (
        <Typography variant="body2" role="status">
          {t('insights.reviewDone', { file: state.done })}
        </Typography>
      )}
      {state.error && <Alert severity="error">{state.error}</Alert>}
    </Box>
  );
}

/**
 * Which checklist items go with incidents after release (`GET
 * /insights/items`), riskier first: the table of a page, sortable on the
 * page, with a small chart of the two rates per item, and how to read it.
 */
export function InsightsCard(props: { owner?: string }) {
  const api = useApi(releaseReadinessApiRef);
  const { t } = useReleaseReadinessTranslation();
  const [page, setPage] = useState({ owner: props.owner, offset: 0 });
  const offset = page.owner === props.owner ? page.offset : 0;
  const [sort, setSort] = useState<SortKey>('finding');
  const insights = useAsync(
    () =>
      api.getItemInsights({
        ...(props.owner ? { owner: props.owner } : {}),
        offset,
        limit: INSIGHTS_PAGE_SIZE,
      }),
    [api, props.owner, offset],
  );
  if (insights.error) return <ResponseErrorPanel error={insights.error} />;
  const value = insights.value;
  const items = value ? [...value.items] : [];
  if (sort === 'releases') items.sort((a, b) => b.releases - a.releases);
  if (sort === 'gap') items.sort((a, b) => gapOf(b) - gapOf(a));
  const header = (key: SortKey, label: string) => (
    <TableSortLabel
      active={sort === key}
      direction="desc"
      onClick={() => setSort(key)}
      aria-label={t('insights.sortBy', { column: label })}
    >
      {label}
    </TableSortLabel>
  );
  return (
    <InfoCard
      title={t('insights.title')}
      {...(value
        ? {
            subheader: t('insights.period', {
              from: value.from.slice(0, 10),
              to: value.to.slice(0, 10),
            }),
          }
        : {})}
    >
      {!value ? (
        <Typography variant="body2">{t('insights.loading')}</Typography>
      ) : (
        <>
          <Typography variant="body2" paragraph>
            {t('insights.explanation', {
              windowDays: String(value.windowDays),
            })}
          </Typography>
          <Typography variant="body2" color="textSecondary" paragraph>
            {t('insights.caveat', { minSample: String(value.minSample) })}
          </Typography>
          {value.totalItems === 0 ? (
            <Typography variant="body2">{t('insights.none')}</Typography>
          ) : (
            <>
              <Table size="small" aria-label={t('insights.title')}>
                <TableHead>
                  <TableRow>
                    <TableCell>{t('insights.item')}</TableCell>
                    <TableCell align="right">
                      {header('releases', t('insights.releases'))}
                    </TableCell>
                    <TableCell>
                      {header('finding', t('insights.finding'))}
                    </TableCell>
                    <TableCell>{header('gap', t('insights.chart'))}</TableCell>
                    <TableCell>{t('insights.reading')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {items.map(item => (
                    <TableRow key={`${item.template}/${item.itemId}`}>
                      <TableCell>
                        <Typography variant="body2">{item.title}</Typography>
                        <Typography variant="caption" color="textSecondary">
                          {item.template} · {item.itemId}
                        </Typography>
                      </TableCell>
                      <TableCell align="right">{item.releases}</TableCell>
                      <TableCell>
                        {item.finding === 'riskier' ? (
                          <strong>{findingLabel(t, item)}</strong>
                        ) : (
                          findingLabel(t, item)
                        )}
                      </TableCell>
                      <TableCell>
                        <RateBars item={item} />
                      </TableCell>
                      <TableCell>
                        <Typography variant="body2">{item.reading}</Typography>
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <Box display="flex" alignItems="center" mt={1} style={{ gap: 8 }}>
                <Button
                  size="small"
                  disabled={offset === 0}
                  onClick={() =>
                    setPage({
                      owner: props.owner,
                      offset: Math.max(0, offset - INSIGHTS_PAGE_SIZE),
                    })
                  }
                >
                  {t('insights.previous')}
                </Button>
                <Typography variant="caption">
                  {t('insights.pageOf', {
                    first: String(offset + 1),
                    last: String(offset + value.items.length),
                    total: String(value.totalItems),
                  })}
                </Typography>
                <Button
                  size="small"
                  disabled={offset + value.items.length >= value.totalItems}
                  onClick={() =>
                    setPage({
                      owner: props.owner,
                      offset: offset + INSIGHTS_PAGE_SIZE,
                    })
                  }
                >
                  {t('insights.next')}
                </Button>
              </Box>
              <TemplateReview
                templates={[...new Set(value.items.map(i => i.template))]}
              />
            </>
          )}
        </>
      )}
    </InfoCard>
  );
}
