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
import {
  gateOutcome,
  PortfolioResponse,
  PortfolioRow,
  PortfolioSort,
} from '@release-readiness/plugin-common';
import { formatTime, stateLabel } from '../shared/format';
import { OutcomeCell } from '../VerdictLabel';
import { gateLevelLabel, shortRef } from './format';
import { PAGE_SIZES, ResolvedPortfolioQuery } from './query';
import { ServiceLink } from './ServiceLink';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

/** The columns; each one's header is the message `portfolioTable.columns.<key>`. */
const COLUMNS: {
  key:
    | 'service'
    | 'system'
    | 'gateLevel'
    | 'release'
    | 'state'
    | 'outcome'
    | 'score'
    | 'blockers'
    | 'planned';
  sort?: PortfolioSort;
  numeric?: boolean;
}[] = [
  { key: 'service', sort: 'title' },
  { key: 'system', sort: 'system' },
  { key: 'gateLevel', sort: 'tier' },
  { key: 'release' },
  { key: 'state', sort: 'state' },
  { key: 'outcome' },
  { key: 'score', sort: 'score', numeric: true },
  { key: 'blockers', numeric: true },
  { key: 'planned', sort: 'plannedAt' },
];

const NO_OWNER = '';

/** The rows of a page grouped by owner, in the order the teams first appear. */
export function groupByTeam(
  rows: PortfolioRow[],
): { ownerRef: string; rows: PortfolioRow[] }[] {
  const groups = new Map<string, PortfolioRow[]>();
  for (const row of rows) {
    const owner = row.ownerRef ?? NO_OWNER;
    groups.set(owner, [...(groups.get(owner) ?? []), row]);
  }
  return [...groups].map(([ownerRef, groupRows]) => ({
    ownerRef,
    rows: groupRows,
  }));
}

function teamSummary(
  team: PortfolioResponse['teams'][number] | undefined,
  t: ReleaseReadinessT,
) {
  if (!team) {
    return '';
  }
  const closed = [
    team.released
      ? t('portfolioTable.summary.released', { n: String(team.released) })
      : '',
    team.rolledBack
      ? t('portfolioTable.summary.rolledBack', { n: String(team.rolledBack) })
      : '',
  ].filter(Boolean);
  return [
    t('portfolioTable.summary.services', { count: team.entities }),
    t('portfolioTable.summary.go', { n: String(team.go) }),
    t('portfolioTable.summary.noGo', { n: String(team.noGo) }),
    t('portfolioTable.summary.inProgress', { n: String(team.inProgress) }),
    ...closed,
    t('portfolioTable.summary.noGate', { n: String(team.noGate) }),
  ].join(t('portfolioTable.summary.separator'));
}

/**
 * One service: its current gate's outcome (a gate that is over shows its
 * final state, without a score or blockers) and a link to the page that
 * shows it.
 */
function ServiceRow({ row }: { row: PortfolioRow }) {
  const { t } = useReleaseReadinessTranslation();
  const gate = row.currentGate;
  const outcome = gate ? gateOutcome(gate) : undefined;
  const evaluated = Boolean(outcome?.showsEvaluation);
  return (
    <TableRow hover>
      <TableCell>
        <ServiceLink entityRef={row.entityRef} title={row.title} />
      </TableCell>
      <TableCell>{shortRef(row.systemRef)}</TableCell>
      <TableCell style={{ whiteSpace: 'nowrap' }}>
        {gateLevelLabel(row.tier, t)}
      </TableCell>
      <TableCell>{gate?.release ?? ''}</TableCell>
      <TableCell>{stateLabel(gate?.state, t)}</TableCell>
      <TableCell>{outcome ? <OutcomeCell outcome={outcome} /> : ''}</TableCell>
      <TableCell align="right">{evaluated ? gate!.score : ''}</TableCell>
      <TableCell align="right">{evaluated ? gate!.blockers : ''}</TableCell>
      <TableCell>{formatTime(gate?.plannedAt)}</TableCell>
    </TableRow>
  );
}

/** Props of {@link PortfolioTable}. */
export interface PortfolioTableProps {
  portfolio: PortfolioResponse;
  query: ResolvedPortfolioQuery;
  onSort(sort: PortfolioSort, order: 'asc' | 'desc'): void;
  onPage(offset: number): void;
  onPageSize(limit: number): void;
}

/** A page of the portfolio, one section per team, paged by the server. */
export function PortfolioTable(props: PortfolioTableProps) {
  const { t } = useReleaseReadinessTranslation();
  const { portfolio, query, onSort, onPage, onPageSize } = props;
  const teams = new Map(portfolio.teams.map(team => [team.ownerRef, team]));
  const groups = groupByTeam(portfolio.items);
  const first = portfolio.totalItems === 0 ? 0 : portfolio.offset + 1;
  const last = portfolio.offset + portfolio.items.length;
  const hasPrevious = portfolio.offset > 0;
  const hasNext = last < portfolio.totalItems;

  return (
    <>
      <Box overflow="auto">
        <Table size="small" aria-label={t('portfolioTable.label')}>
          <TableHead>
            <TableRow>
              {COLUMNS.map(column => (
                <TableCell
                  key={column.key}
                  align={column.numeric ? 'right' : 'left'}
                  // Headers break between words only, never inside one.
                  style={{ whiteSpace: 'nowrap' }}
                  sortDirection={
                    column.sort && query.sort === column.sort
                      ? query.order
                      : false
                  }
                >
                  {column.sort ? (
                    <TableSortLabel
                      active={query.sort === column.sort}
                      direction={
                        query.sort === column.sort ? query.order : 'asc'
                      }
                      onClick={() =>
                        onSort(
                          column.sort!,
                          query.sort === column.sort && query.order === 'asc'
                            ? 'desc'
                            : 'asc',
                        )
                      }
                    >
                      {t(`portfolioTable.columns.${column.key}`)}
                    </TableSortLabel>
                  ) : (
                    t(`portfolioTable.columns.${column.key}`)
                  )}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          {groups.length === 0 ? (
            <TableBody>
              <TableRow>
                <TableCell colSpan={COLUMNS.length}>
                  {t('portfolioTable.noMatch')}
                </TableCell>
              </TableRow>
            </TableBody>
          ) : (
            groups.map(group => {
              const name = group.ownerRef
                ? shortRef(group.ownerRef)
                : t('portfolioTable.noOwner');
              return (
                <TableBody
                  key={group.ownerRef || 'none'}
                  aria-label={t('portfolioTable.team', { name })}
                >
                  <TableRow>
                    <TableCell
                      component="th"
                      scope="rowgroup"
                      colSpan={COLUMNS.length}
                      style={{ background: 'rgba(0, 0, 0, 0.04)' }}
                    >
                      <Typography variant="subtitle2" component="span">
                        {name}
                      </Typography>{' '}
                      <Typography
                        variant="caption"
                        component="span"
                        color="textPrimary"
                      >
                        {teamSummary(teams.get(group.ownerRef), t)}
                      </Typography>
                    </TableCell>
                  </TableRow>
                  {group.rows.map(row => (
                    <ServiceRow key={row.entityRef} row={row} />
                  ))}
                </TableBody>
              );
            })
          )}
        </Table>
      </Box>
      <Box
        display="flex"
        alignItems="center"
        justifyContent="flex-end"
        flexWrap="wrap"
        mt={1}
        style={{ gap: 16 }}
      >
        <TextField
          id="portfolio-page-size"
          select
          label={t('portfolioTable.rowsPerPage')}
          value={query.limit}
          onChange={e => onPageSize(Number(e.target.value))}
          SelectProps={{ native: true }}
          // A native select does not tell the label it has a value: without
          // shrink, the label lies over the number.
          InputLabelProps={{ shrink: true }}
          style={{ minWidth: 120 }}
        >
          {[...new Set([...PAGE_SIZES, query.limit])]
            .sort((a, b) => a - b)
            .map(size => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
        </TextField>
        <Typography variant="body2" role="status">
          {t('portfolioTable.range', {
            first: String(first),
            last: String(last),
            count: portfolio.totalItems,
          })}
        </Typography>
        <Button
          variant="outlined"
          size="small"
          disabled={!hasPrevious}
          onClick={() => onPage(Math.max(0, portfolio.offset - query.limit))}
        >
          {t('portfolioTable.previous')}
        </Button>
        <Button
          variant="outlined"
          size="small"
          disabled={!hasNext}
          onClick={() => onPage(portfolio.offset + query.limit)}
        >
          {t('portfolioTable.next')}
        </Button>
      </Box>
    </>
  );
}
