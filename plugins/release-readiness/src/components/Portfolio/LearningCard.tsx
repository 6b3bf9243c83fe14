import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { PortfolioLearning } from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { useReleaseReadinessTranslation } from '../../translation';
import { PersonName } from '../shared/PersonName';

/** Debriefed of ended, as a whole percentage; undefined when none ended. */
export function completionRate(
  team: PortfolioLearning['teams'][number],
): number | undefined {
  return team.endedGates
    ? Math.round((team.debriefed / team.endedGates) * 100)
    : undefined;
}

/** The heroes as a short text for a team channel (short names). */
export function heroesText(
  t: ReturnType<typeof useReleaseReadinessTranslation>['t'],
  learning: PortfolioLearning,
): string {
  const names = learning.heroes
    .map(h => `${h.person.replace(/^user:[^/]+\//, '')} (${h.catches})`)
    .join(', ');
  return t('learning.shareText', { from: learning.from.slice(0, 10), names });
}

function Heroes({ learning }: { learning: PortfolioLearning }) {
  const { t } = useReleaseReadinessTranslation();
  const [copied, setCopied] = useState(false);
  return (
    <>
      <Typography variant="subtitle2" component="h3">
        {t('learning.heroes')}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {t('learning.heroesExplanation')}
      </Typography>
      {learning.heroes.length === 0 ? (
        <Typography variant="body2">{t('learning.noHeroes')}</Typography>
      ) : (
        <>
          <ul aria-label={t('learning.heroes')}>
            {learning.heroes.map(h => (
              <li key={h.person}>
                <Typography variant="body2">
                  <PersonName entityRef={h.person} />{' '}
                  {t('learning.caught', { count: h.catches })}
                </Typography>
              </li>
            ))}
          </ul>
          <Button
            size="small"
            variant="outlined"
            onClick={async () => {
              await navigator.clipboard?.writeText(heroesText(t, learning));
              setCopied(true);
            }}
          >
            {t('learning.copy')}
          </Button>
          {copied && (
            <Typography variant="body2" role="status">
              {t('learning.copied')}
            </Typography>
          )}
        </>
      )}
    </>
  );
}

/**
 * How the teams learn from their releases this quarter: per team, debrief
 * completion and the follow-up actions still open; per person, the gates
 * they facilitated. Under the portfolio's team filter.
 */
export function LearningCard(props: { owner?: string }) {
  const api = useApi(releaseReadinessApiRef);
  const { t } = useReleaseReadinessTranslation();
  const learning = useAsync(
    () => api.getLearning(props.owner ? { owner: props.owner } : {}),
    [api, props.owner],
  );
  if (learning.error) return <ResponseErrorPanel error={learning.error} />;
  const value = learning.value;
  return (
    <InfoCard
      title={t('learning.title')}
      {...(value
        ? {
            subheader: t('learning.period', {
              from: value.from.slice(0, 10),
            }),
          }
        : {})}
    >
      {!value ? (
        <CircularProgress size={20} aria-label={t('learning.title')} />
      ) : (
        <>
          <Typography variant="body2" color="textSecondary" paragraph>
            {t('learning.explanation')}
          </Typography>
          {value.teams.length === 0 ? (
            <Typography variant="body2">{t('learning.noTeams')}</Typography>
          ) : (
            <Table size="small" aria-label={t('learning.title')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('learning.team')}</TableCell>
                  <TableCell align="right">
                    {t('learning.endedGates')}
                  </TableCell>
                  <TableCell align="right">{t('learning.debriefed')}</TableCell>
                  <TableCell align="right">
                    {t('learning.completion')}
                  </TableCell>
                  <TableCell align="right">
                    {t('learning.openFollowUps')}
                  </TableCell>
                  <TableCell align="right">
                    {t('learning.overdueFollowUps')}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {value.teams.map(team => {
                  const rate = completionRate(team);
                  return (
                    <TableRow key={team.owner}>
                      <TableCell>
                        {team.owner ? (
                          <PersonName entityRef={team.owner} />
                        ) : (
                          t('learning.notApplicable')
                        )}
                      </TableCell>
                      <TableCell align="right">{team.endedGates}</TableCell>
                      <TableCell align="right">{team.debriefed}</TableCell>
                      <TableCell align="right">
                        {rate === undefined
                          ? t('learning.notApplicable')
                          : `${rate} %`}
                      </TableCell>
                      <TableCell align="right">{team.openFollowUps}</TableCell>
                      <TableCell align="right">
                        {team.overdueFollowUps}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
          <Typography variant="subtitle2" component="h3">
            {t('learning.facilitators')}
          </Typography>
          {value.facilitators.length === 0 ? (
            <Typography variant="body2">
              {t('learning.noFacilitators')}
            </Typography>
          ) : (
            <ul aria-label={t('learning.facilitators')}>
              {value.facilitators.map(f => (
                <li key={f.person}>
                  <Typography variant="body2">
                    <PersonName entityRef={f.person} />{' '}
                    {t('learning.facilitated', { count: f.gates })}
                  </Typography>
                </li>
              ))}
            </ul>
          )}
          <Heroes learning={value} />
        </>
      )}
    </InfoCard>
  );
}
