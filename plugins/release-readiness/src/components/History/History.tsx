import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  AuditEntry,
  Gate,
  GateDecision,
  GateWithEvaluation,
  Incident,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { DebriefDialogButton } from '../Debrief';
import { errorMessage } from '../shared/errors';
import { formatTime } from '../shared/format';
import { TextWithNames } from '../shared/TextWithNames';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

/** Props of {@link History}. @public */
export interface HistoryProps {
  gate: GateWithEvaluation | null;
  earlierGates: Gate[];
  /** Whether the viewer may record the debriefs of earlier gates. */
  canEdit?: boolean;
}

function lastDecision(gate: Gate): GateDecision | undefined {
  return [...gate.decisions].sort((a, b) => a.at.localeCompare(b.at)).pop();
}

/** Opened → first GO decision, in hours below two days, else in days. */
export function leadTime(gate: Gate, t: ReleaseReadinessT): string | undefined {
  const go = [...gate.decisions]
    .filter(d => d.verdict === 'go')
    .sort((a, b) => a.at.localeCompare(b.at))[0];
  if (!go) {
    return undefined;
  }
  const ms = new Date(go.at).getTime() - new Date(gate.openedAt).getTime();
  if (!Number.isFinite(ms) || ms < 0) {
    return undefined;
  }
  const hours = ms / 3_600_000;
  if (hours < 48) {
    const rounded = Math.round(hours * 10) / 10;
    return t('history.hours', { count: rounded });
  }
  const days = Math.round((hours / 24) * 10) / 10;
  return t('history.days', { days: String(days) });
}

function IncidentList({ incidents }: { incidents: Incident[] }) {
  const { t } = useReleaseReadinessTranslation();
  return (
    <ul aria-label={t('history.incidents')}>
      {incidents.map(incident => (
        <li key={incident.id}>
          <Typography variant="body2">
            <strong>{incident.severity.toUpperCase()}</strong>{' '}
            {incident.link ? (
              <a href={incident.link} target="_blank" rel="noopener noreferrer">
                {incident.title}
              </a>
            ) : (
              incident.title
            )}{' '}
            —{' '}
            <time dateTime={incident.occurredAt}>
              {formatTime(incident.occurredAt)}
            </time>
            {incident.source && (
              <>
                {' '}
                {t('history.incidentFromSource', {
                  source: incident.source.title,
                  externalId: incident.source.externalId,
                })}
              </>
            )}
            {incident.ungated && <> {t('history.ungated')}</>}
          </Typography>
        </li>
      ))}
    </ul>
  );
}

function AuditTrail({ gateId }: { gateId: string }) {
  const { t } = useReleaseReadinessTranslation();
  const api = useApi(releaseReadinessApiRef);
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();

  const load = async () => {
    setLoading(true);
    setError(undefined);
    try {
      setEntries(await api.getAudit(gateId));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };

  if (!entries) {
    return (
      <>
        <Button variant="outlined" onClick={load} disabled={loading}>
          {t('history.showAuditTrail')}
        </Button>
        {loading && (
          <CircularProgress
            size={20}
            aria-label={t('history.loadingAuditTrail')}
          />
        )}
        {error && (
          <Box mt={1}>
            <Alert severity="error">{error}</Alert>
          </Box>
        )}
      </>
    );
  }
  if (entries.length === 0) {
    return (
      <Typography variant="body2">{t('history.auditTrailEmpty')}</Typography>
    );
  }
  return (
    <ol aria-label={t('history.auditTrail')}>
      {entries.map(entry => (
        <li key={entry.id}>
          <Typography variant="body2">
            <time dateTime={entry.at}>{formatTime(entry.at)}</time> ·{' '}
            <TextWithNames text={entry.actor} /> · {entry.action}
          </Typography>
        </li>
      ))}
    </ol>
  );
}

function DossierButton({ gate }: { gate: GateWithEvaluation }) {
  const { t } = useReleaseReadinessTranslation();
  const api = useApi(releaseReadinessApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const markdown = await api.getDossierMarkdown(gate.id);
      const blob = new Blob([markdown], { type: 'text/markdown' });
      const name = gate.entityRef.replace(/[^a-z0-9.-]+/gi, '-');
      if (typeof URL.createObjectURL === 'function') {
        const url = URL.createObjectURL(blob);
        const link = document.createElement('a');
        link.href = url;
        link.download = `dossier-${name}-${gate.release}.md`;
        document.body.appendChild(link);
        link.click();
        link.remove();
        URL.revokeObjectURL(url);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        variant="contained"
        color="primary"
        onClick={download}
        disabled={busy}
      >
        {t('history.downloadDossier')}
      </Button>
      {error && (
        <Box mt={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
    </>
  );
}

/**
 * The history of an entity's releases: earlier gates, the current gate's
 * incidents, its audit trail and its dossier.
 *
 * @public
 */
export function History(props: HistoryProps) {
  const { t } = useReleaseReadinessTranslation();
  const { gate, earlierGates } = props;

  return (
    <div id="history">
      <InfoCard title={t('history.title')}>
        {gate && (
          <Box mb={3}>
            <Typography variant="h6" component="h3">
              {t('history.release', { release: gate.release })}
            </Typography>
            <Box mt={1} mb={2}>
              <DossierButton gate={gate} />
            </Box>
            <Typography variant="subtitle2" component="h4">
              {t('history.incidents')}
            </Typography>
            {gate.incidents.length ? (
              <IncidentList incidents={gate.incidents} />
            ) : (
              <Typography variant="body2" color="textSecondary">
                {t('history.noIncidents')}
              </Typography>
            )}
            <Box mt={2}>
              <Typography variant="subtitle2" component="h4">
                {t('history.auditTrail')}
              </Typography>
              <AuditTrail key={gate.id} gateId={gate.id} />
            </Box>
          </Box>
        )}
        <Typography variant="h6" component="h3">
          {t('history.earlierReleases')}
        </Typography>
        {earlierGates.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            {t('history.noEarlierReleases')}
          </Typography>
        ) : (
          <Table size="small" aria-label={t('history.earlierReleases')}>
            <TableHead>
              <TableRow>
                <TableCell>{t('history.columnRelease')}</TableCell>
                <TableCell>{t('history.columnState')}</TableCell>
                <TableCell>{t('history.columnDecision')}</TableCell>
                <TableCell>{t('history.columnLeadTime')}</TableCell>
                <TableCell>{t('history.columnIncidents')}</TableCell>
                <TableCell>{t('debrief.title')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {earlierGates.map(earlier => {
                const decision = lastDecision(earlier);
                const incidents = (earlier as Partial<GateWithEvaluation>)
                  .incidents;
                return (
                  <TableRow key={earlier.id}>
                    <TableCell>{earlier.release}</TableCell>
                    <TableCell>{earlier.state}</TableCell>
                    <TableCell>
                      {decision
                        ? t('history.decision', {
                            verdict:
                              decision.verdict === 'go'
                                ? t('verdictLabel.go')
                                : t('verdictLabel.noGo'),
                            reason: decision.reason,
                          })
                        : t('history.noDecision')}
                    </TableCell>
                    <TableCell>
                      {leadTime(earlier, t) ?? t('shared.noValue')}
                    </TableCell>
                    <TableCell>
                      {incidents ? incidents.length : t('shared.noValue')}
                    </TableCell>
                    <TableCell>
                      <DebriefDialogButton
                        gate={earlier}
                        canEdit={Boolean(props.canEdit)}
                      />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </InfoCard>
    </div>
  );
}
