import { ReactNode } from 'react';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import NotInterestedIcon from '@material-ui/icons/NotInterested';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import UpdateIcon from '@material-ui/icons/Update';
import {
  AutomatedItemResult,
  EvidenceSource,
  GateItem,
  ItemStatus,
} from '@release-readiness/plugin-common';
import { formatTimeUtc } from '../shared/format';
import { PersonName } from '../shared/PersonName';
import { EvidenceHowTo } from './EvidenceHowTo';
import { ItemEvidenceSource } from './EvidenceSources';
import { useStyles } from './styles';
import { useReleaseReadinessTranslation } from '../../translation';

/** What a person shows: a status, or an automated item's outcome. */
type Shown = ItemStatus | AutomatedItemResult['outcome'];

/** The message key of each status's word. */
const SHOWN_LABELS = {
  pending: 'pending',
  passed: 'passed',
  failed: 'failed',
  waived: 'waived',
  'not-applicable': 'notApplicable',
  stale: 'stale',
  missing: 'missing',
} as const satisfies Record<Shown, string>;

/** The statuses a person may set on a manual item, in button order. */
const MANUAL_STATUSES: ItemStatus[] = [
  'passed',
  'failed',
  'not-applicable',
  'pending',
];

/** Ids of a row's parts: the row itself (blocker links) and its controls (focus after a save). */
export const rowIds = {
  row: (itemId: string) => `item-${itemId}`,
  status: (itemId: string, status: ItemStatus) =>
    `item-${itemId}-status-${status}`,
  note: (itemId: string) => `checklist-note-${itemId}`,
  saveNote: (itemId: string) => `item-${itemId}-save-note`,
  waiver: (itemId: string) => `item-${itemId}-waiver`,
};

function StatusIcon({ shown }: { shown: Shown }) {
  const classes = useStyles();
  const className = classes.statusIcon;
  switch (shown) {
    case 'passed':
      return <CheckCircleIcon className={className} aria-hidden />;
    case 'failed':
      return <CancelIcon className={className} aria-hidden />;
    case 'waived':
      return <NotInterestedIcon className={className} aria-hidden />;
    case 'stale':
      return <UpdateIcon className={className} aria-hidden />;
    case 'missing':
      return <HelpOutlineIcon className={className} aria-hidden />;
    case 'not-applicable':
      return <RemoveCircleOutlineIcon className={className} aria-hidden />;
    default:
      return <RadioButtonUncheckedIcon className={className} aria-hidden />;
  }
}

function StatusText({ shown }: { shown: Shown }) {
  const { t } = useReleaseReadinessTranslation();
  const classes = useStyles();
  let tone = classes.neutral;
  if (shown === 'passed') tone = classes.passed;
  else if (shown === 'failed') tone = classes.failed;
  else if (shown === 'stale' || shown === 'missing' || shown === 'waived')
    tone = classes.warn;
  return (
    <span className={`${classes.status} ${tone}`} data-status={shown}>
      <StatusIcon shown={shown} />
      {shown in SHOWN_LABELS
        ? t(`checklist.status.${SHOWN_LABELS[shown]}`)
        : shown}
    </span>
  );
}

/** One item of the checklist: its state, evidence, note, waiver and controls. */
export function ChecklistRow(props: {
  item: GateItem;
  result?: AutomatedItemResult;
  editable: boolean;
  busy: boolean;
  note: string;
  message?: ReactNode;
  /** The gate's entity ref and release, for the evidence command. */
  gate?: { entityRef: string; release: string };
  /** The evidence providers that produce this automated item's type. */
  sources?: EvidenceSource[];
  onNoteChange: (note: string) => void;
  onSetStatus: (status: ItemStatus) => void;
  onSaveNote: () => void;
  onWaive: () => void;
}) {
  const { t } = useReleaseReadinessTranslation();
  const { item, result, editable, busy, note, message, gate } = props;
  const classes = useStyles();
  const titleId = `checklist-item-${item.id}`;
  const automated = !!item.automated;
  const shown: Shown = automated && result ? result.outcome : item.status;
  const noteChanged = note !== (item.note ?? '');
  const waiverExpired =
    item.waiver && new Date(item.waiver.expiresAt).getTime() <= Date.now();
  // A waived automated item's result repeats the waiver: it is said once,
  // in the waiver line below.
  const resultDetail =
    result && !(result.outcome === 'waived' && item.waiver)
      ? result.detail
      : undefined;
  const waitingForEvidence =
    automated &&
    (!result || ['missing', 'stale', 'failed'].includes(result.outcome));

  return (
    <li
      className={classes.row}
      aria-labelledby={titleId}
      id={rowIds.row(item.id)}
      tabIndex={-1}
    >
      <div className={classes.titleLine}>
        <Typography variant="body1" component="span" id={titleId}>
          <strong>{item.title}</strong>
        </Typography>
        {!item.required && (
          <Typography variant="caption" color="textSecondary">
            {t('checklist.optional')}
          </Typography>
        )}
        {automated && (
          <Typography variant="caption" color="textSecondary">
            {t('checklist.automated')}
          </Typography>
        )}
        <StatusText shown={shown} />
      </div>
      {item.description && (
        <Typography variant="body2" color="textSecondary">
          {item.description}
        </Typography>
      )}
      {automated && result && (resultDetail || result.observedAt) && (
        <Typography variant="body2">
          {resultDetail}
          {result.observedAt && (
            <>
              {resultDetail
                ? t('checklist.evidenceObservedAfter')
                : t('checklist.evidenceObserved')}
              <time dateTime={result.observedAt}>
                {formatTimeUtc(result.observedAt)}
              </time>
            </>
          )}
          {result.receivedAt && (
            <>
              {result.observedAt
                ? t('checklist.evidenceReceivedAfter')
                : t('checklist.evidenceReceived')}
              <time dateTime={result.receivedAt}>
                {formatTimeUtc(result.receivedAt)}
              </time>
            </>
          )}
        </Typography>
      )}
      {automated && !result && (
        <Typography variant="body2" color="textSecondary">
          {t('checklist.waitingForEvidence', {
            evidenceType: item.automated!.evidenceType,
            rule: item.automated!.rule,
          })}
        </Typography>
      )}
      {automated &&
        (props.sources ?? []).map(source => (
          <ItemEvidenceSource
            key={source.provider}
            source={source}
            itemId={item.id}
            evidenceType={item.automated!.evidenceType}
          />
        ))}
      {editable &&
        automated &&
        gate &&
        waitingForEvidence &&
        item.status !== 'waived' && (
          <EvidenceHowTo
            itemId={item.id}
            entityRef={gate.entityRef}
            release={gate.release}
            evidenceType={item.automated!.evidenceType}
            rule={item.automated!.rule}
          />
        )}
      {item.updatedBy && (
        <Typography variant="body2" color="textSecondary">
          {item.updatedAt
            ? t('checklist.updatedByOn', {
                by: <PersonName entityRef={item.updatedBy} />,
                at: (
                  <time dateTime={item.updatedAt}>
                    {formatTimeUtc(item.updatedAt)}
                  </time>
                ),
              })
            : t('checklist.updatedBy', {
                by: <PersonName entityRef={item.updatedBy} />,
              })}
        </Typography>
      )}
      {item.note && !(editable && !automated) && (
        <Typography variant="body2">
          {t('checklist.noteShown', { note: item.note })}
        </Typography>
      )}
      {item.waiver && (
        <Typography variant="body2" data-testid={`waiver-${item.id}`}>
          {t(
            waiverExpired
              ? 'checklist.waiverExpired'
              : 'checklist.waiverExpires',
            {
              by: <PersonName entityRef={item.waiver.by} />,
              at: (
                <time dateTime={item.waiver.at}>
                  {formatTimeUtc(item.waiver.at)}
                </time>
              ),
              expiresAt: (
                <time dateTime={item.waiver.expiresAt}>
                  {formatTimeUtc(item.waiver.expiresAt)}
                </time>
              ),
              justification: item.waiver.justification,
            },
          )}
        </Typography>
      )}

      {editable && (
        <div className={classes.controls}>
          {!automated && (
            <>
              <ButtonGroup
                size="small"
                aria-label={t('checklist.statusOf', { title: item.title })}
                disabled={busy}
              >
                {MANUAL_STATUSES.map(status => (
                  <Button
                    key={status}
                    id={rowIds.status(item.id, status)}
                    aria-pressed={item.status === status}
                    variant={item.status === status ? 'contained' : 'outlined'}
                    color={item.status === status ? 'primary' : 'default'}
                    onClick={() => props.onSetStatus(status)}
                  >
                    {t(`checklist.status.${SHOWN_LABELS[status]}`)}
                  </Button>
                ))}
              </ButtonGroup>
              <TextField
                className={classes.note}
                size="small"
                variant="outlined"
                id={rowIds.note(item.id)}
                label={t('checklist.note')}
                inputProps={{
                  'aria-label': t('checklist.noteOn', { title: item.title }),
                }}
                value={note}
                onChange={e => props.onNoteChange(e.target.value)}
                disabled={busy}
              />
              {noteChanged && (
                <Button
                  id={rowIds.saveNote(item.id)}
                  size="small"
                  variant="outlined"
                  color="primary"
                  onClick={props.onSaveNote}
                  disabled={busy}
                >
                  {t('checklist.saveNote')}
                </Button>
              )}
            </>
          )}
          {item.status === 'waived' && automated ? (
            <Button
              id={rowIds.waiver(item.id)}
              size="small"
              variant="outlined"
              onClick={() => props.onSetStatus('pending')}
              disabled={busy}
            >
              {t('checklist.clearWaiver')}
            </Button>
          ) : (
            <Button
              id={rowIds.waiver(item.id)}
              size="small"
              variant="outlined"
              onClick={props.onWaive}
              disabled={busy}
              aria-haspopup="dialog"
            >
              {t('checklist.waive')}
            </Button>
          )}
        </div>
      )}
      {message}
    </li>
  );
}
