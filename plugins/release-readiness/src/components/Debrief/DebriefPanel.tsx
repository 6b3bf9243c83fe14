import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  DebriefRequest,
  DebriefResponse,
  GateDebrief,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage, isConflict } from '../shared/errors';
import { formatTime } from '../shared/format';
import { PersonName } from '../shared/PersonName';
import { useReleaseReadinessTranslation } from '../../translation';
import { DebriefForm } from './DebriefForm';

/** The debrief as a request, with one follow-up's done flag changed. */
function withDone(
  debrief: GateDebrief,
  followUpId: string,
  done: boolean,
): DebriefRequest {
  return {
    wentWell: debrief.wentWell,
    wentWrong: debrief.wentWrong,
    toChange: debrief.toChange,
    followUps: debrief.followUps.map(f => ({
      id: f.id,
      action: f.action,
      owner: f.owner,
      dueDate: f.dueDate,
      done: f.id === followUpId ? done : f.done,
    })),
    version: debrief.version,
  };
}

function Answer(props: { title: string; text: string }) {
  const { t } = useReleaseReadinessTranslation();
  return (
    <Box mb={1}>
      <Typography variant="subtitle2" component="h4">
        {props.title}
      </Typography>
      <Typography
        variant="body2"
        style={{ whiteSpace: 'pre-wrap' }}
        color={props.text ? 'textPrimary' : 'textSecondary'}
      >
        {props.text || t('debrief.nothing')}
      </Typography>
    </Box>
  );
}

function DebriefView(props: {
  debrief: GateDebrief;
  canEdit: boolean;
  busy: boolean;
  onDone(followUpId: string, done: boolean): void;
}) {
  const { t } = useReleaseReadinessTranslation();
  const { debrief } = props;
  const todayUtc = new Date().toISOString().slice(0, 10);
  return (
    <>
      <Answer title={t('debrief.wentWell')} text={debrief.wentWell} />
      <Answer title={t('debrief.wentWrong')} text={debrief.wentWrong} />
      <Answer title={t('debrief.toChange')} text={debrief.toChange} />
      <Typography variant="subtitle2" component="h4">
        {t('debrief.followUps')}
      </Typography>
      {debrief.followUps.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {t('debrief.noFollowUps')}
        </Typography>
      ) : (
        <ul aria-label={t('debrief.followUps')}>
          {debrief.followUps.map(f => (
            <li key={f.id}>
              <Typography variant="body2" component="span">
                {f.action} — <PersonName entityRef={f.owner} /> —{' '}
                {t('debrief.due', { date: f.dueDate })}
                {f.done && <strong> · {t('debrief.done')}</strong>}
                {!f.done && f.dueDate < todayUtc && (
                  <strong> · {t('debrief.overdue')}</strong>
                )}
              </Typography>
              {props.canEdit && (
                <Button
                  size="small"
                  disabled={props.busy}
                  aria-label={
                    f.done
                      ? undefined
                      : t('debrief.markDoneAria', { action: f.action })
                  }
                  onClick={() => props.onDone(f.id, !f.done)}
                >
                  {f.done ? t('debrief.reopen') : t('debrief.markDone')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <Typography variant="caption" color="textSecondary" component="p">
        {t('debrief.recorded', {
          name: <PersonName entityRef={debrief.recordedBy} />,
          date: formatTime(debrief.recordedAt),
        })}
      </Typography>
    </>
  );
}

/**
 * A gate's blameless debrief: loaded from the backend, shown, and recorded
 * or edited by the gate owners once the gate is released, rolled back,
 * NO-GO or cancelled. Follow-ups are marked done in place.
 */
export function DebriefPanel(props: { gateId: string; canEdit: boolean }) {
  const { gateId, canEdit } = props;
  const api = useApi(releaseReadinessApiRef);
  const { t } = useReleaseReadinessTranslation();
  const [state, setState] = useState<DebriefResponse>();
  const [loadError, setLoadError] = useState<string>();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const load = useCallback(async () => {
    setLoadError(undefined);
    try {
      setState(await api.getDebrief(gateId));
    } catch (e) {
      setLoadError(errorMessage(e));
    }
  }, [api, gateId]);

  useEffect(() => {
    load();
  }, [load]);

  const save = async (request: DebriefRequest, after?: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      const debrief = await api.putDebrief(gateId, request);
      setState(current => ({ due: current?.due ?? true, debrief }));
      setEditing(false);
      after?.();
    } catch (e) {
      if (isConflict(e)) {
        setError(
          t('debrief.conflict', {
            message: errorMessage(e).replace(/\.$/, ''),
          }),
        );
        setEditing(false);
        await load();
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <Alert severity="error">{loadError}</Alert>;
  if (!state) {
    return <CircularProgress size={20} aria-label={t('debrief.loading')} />;
  }
  const { debrief, due } = state;
  if (editing) {
    return (
      <DebriefForm
        gateId={gateId}
        {...(debrief ? { debrief } : {})}
        busy={busy}
        {...(error ? { error } : {})}
        onSave={request => save(request)}
        onCancel={() => {
          setEditing(false);
          setError(undefined);
        }}
      />
    );
  }
  return (
    <div data-testid="debrief">
      {error && (
        <Box mb={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
      {debrief ? (
        <DebriefView
          debrief={debrief}
          canEdit={canEdit}
          busy={busy}
          onDone={(id, done) => save(withDone(debrief, id, done))}
        />
      ) : (
        <Typography variant="body2">
          {!due && t('debrief.notDue')}
          {due && (canEdit ? t('debrief.intro') : t('debrief.noneReadOnly'))}
        </Typography>
      )}
      {canEdit && due && (
        <Box mt={1}>
          <Button
            variant={debrief ? 'outlined' : 'contained'}
            color="primary"
            onClick={() => setEditing(true)}
          >
            {debrief ? t('debrief.edit') : t('debrief.record')}
          </Button>
        </Box>
      )}
    </div>
  );
}
