import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { EvidenceSource } from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { useReleaseReadinessTranslation } from '../../translation';
import { errorMessage } from '../shared/errors';
import { formatTimeUtc } from '../shared/format';

/**
 * The backend's evidence providers that feed a gate's items (issue 19),
 * loaded with the gate and again after a refresh. An error leaves the list
 * empty: the checklist works without it.
 */
export function useEvidenceSources(gateId: string, version: number) {
  const api = useApi(releaseReadinessApiRef);
  const [sources, setSources] = useState<EvidenceSource[]>([]);
  useEffect(() => {
    let current = true;
    // A client without the call (an older API implementation) is no error.
    Promise.resolve()
      .then(() => api.getEvidenceSources(gateId))
      .then(answer => {
        // No providers, as before: no update (and no render) at all.
        if (current) {
          setSources(before =>
            before.length === 0 && answer.sources.length === 0
              ? before
              : answer.sources,
          );
        }
      })
      // Unknown sources stay an empty list: nothing is shown.
      .catch(() => undefined);
    return () => {
      current = false;
    };
    // Again when the gate changes: a refresh moves its version.
  }, [api, gateId, version]);
  return { sources, setSources };
}

/** The sources that produce an evidence type. */
export function sourcesOf(sources: EvidenceSource[], evidenceType: string) {
  return sources.filter(s => s.types.includes(evidenceType));
}

/**
 * Above the checklist: where evidence comes from besides the pipelines,
 * each provider's last attempt, and for people who may change the gate a
 * "Refresh evidence" button that asks the providers now.
 */
export function EvidenceSources(props: {
  gateId: string;
  sources: EvidenceSource[];
  canRefresh: boolean;
  onRefreshed: (sources: EvidenceSource[]) => void;
}) {
  const { gateId, sources, canRefresh, onRefreshed } = props;
  const { t } = useReleaseReadinessTranslation();
  const api = useApi(releaseReadinessApiRef);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();

  const refresh = useCallback(async () => {
    setBusy(true);
    setResult(undefined);
    try {
      const answer = await api.refreshEvidence(gateId);
      setResult({ ok: true, text: t('evidenceSources.refreshed') });
      onRefreshed(answer.sources);
    } catch (error) {
      setResult({ ok: false, text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }, [api, gateId, onRefreshed, t]);

  if (!sources.length) return null;
  return (
    <Box mb={2} data-testid="evidence-sources">
      <Typography variant="subtitle2" component="h3">
        {t('evidenceSources.title')}
      </Typography>
      <ul style={{ margin: 0, paddingLeft: 20 }}>
        {sources.map(source => {
          const attempt = source.lastAttempt;
          let state: string = t('evidenceSources.never');
          if (attempt?.ok) {
            state = t('evidenceSources.collectedAt', {
              at: formatTimeUtc(attempt.at),
            });
          } else if (attempt) {
            state = t('evidenceSources.failedAt', {
              at: formatTimeUtc(attempt.at),
              message: attempt.message ?? '',
            });
          }
          return (
            <li key={source.provider}>
              <Typography
                variant="body2"
                color={attempt && !attempt.ok ? 'error' : 'textPrimary'}
              >
                {t('evidenceSources.source', {
                  title: source.title,
                  types: source.types.join(', '),
                })}
                {' · '}
                {state}
              </Typography>
            </li>
          );
        })}
      </ul>
      {canRefresh && (
        <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
          <Button
            size="small"
            variant="outlined"
            onClick={refresh}
            disabled={busy}
          >
            {busy
              ? t('evidenceSources.refreshing')
              : t('evidenceSources.refresh')}
          </Button>
          {result && (
            <Alert severity={result.ok ? 'success' : 'error'} role="status">
              {result.text}
            </Alert>
          )}
        </Box>
      )}
    </Box>
  );
}

/**
 * What one provider says on an automated item of its type: where the item's
 * facts come from ("Collected from Tech Insights, check groupOwnerCheck"),
 * its newest fact (when observed, the commit, a link to the source), or,
 * after a failed attempt, the dated "could not collect".
 */
export function ItemEvidenceSource(props: {
  source: EvidenceSource;
  itemId: string;
  evidenceType: string;
}) {
  const { t } = useReleaseReadinessTranslation();
  const { source, itemId, evidenceType } = props;
  const attempt = source.lastAttempt;
  if (attempt && !attempt.ok) {
    return (
      <Typography
        variant="body2"
        color="error"
        data-testid={`evidence-source-failed-${itemId}`}
      >
        {t('evidenceSources.itemFailed', {
          title: source.title,
          at: formatTimeUtc(attempt.at),
          message: attempt.message ?? '',
        })}
      </Typography>
    );
  }
  const reads = source.reads?.[evidenceType];
  const latest = source.latest?.[evidenceType];
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid={`evidence-source-${itemId}`}
    >
      {reads
        ? t('evidenceSources.itemFromReads', { title: source.title, reads })
        : t('evidenceSources.itemFrom', { title: source.title })}
      {latest && (
        <>
          {' '}
          {latest.commit
            ? t('evidenceSources.latestOfCommit', {
                at: formatTimeUtc(latest.observedAt),
                commit: latest.commit.slice(0, 12),
              })
            : t('evidenceSources.latest', {
                at: formatTimeUtc(latest.observedAt),
              })}
          {latest.link && (
            <>
              {' '}
              <Link href={latest.link} target="_blank" rel="noopener">
                {t('evidenceSources.openIn', { title: source.title })}
              </Link>
            </>
          )}
        </>
      )}
    </Typography>
  );
}
