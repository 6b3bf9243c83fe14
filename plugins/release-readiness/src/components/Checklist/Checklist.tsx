import { ReactNode, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import NotInterestedIcon from '@material-ui/icons/NotInterested';
import RadioButtonUncheckedIcon from '@material-ui/icons/RadioButtonUnchecked';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import UpdateIcon from '@material-ui/icons/Update';
import Alert from '@material-ui/lab/Alert';
import {
  AutomatedItemResult,
  CHECKLIST_CATEGORIES,
  ChecklistItemDefinition,
  GateItem,
  GateWithEvaluation,
  isGateEditable,
  ItemStatus,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { AddItemDialog } from './AddItemDialog';
import { errorMessage, isConflict } from '../shared/errors';
import { formatTimeUtc, toLocalInput } from '../shared/format';
import { categoryLabel, shortRef } from './format';
import { WaiveDialog, WaiverDraft } from './WaiveDialog';
import { warningText } from '../shared/accessibility';

/** What a person shows: a status, or an automated item's outcome. */
type Shown = ItemStatus | AutomatedItemResult['outcome'];

const SHOWN_LABELS: Record<Shown, string> = {
  pending: 'Pending',
  passed: 'Passed',
  failed: 'Failed',
  waived: 'Waived',
  'not-applicable': 'N/A',
  stale: 'Stale',
  missing: 'Missing',
};

/** The statuses a person may set on a manual item, in button order. */
const MANUAL_STATUSES: ItemStatus[] = [
  'passed',
  'failed',
  'not-applicable',
  'pending',
];

const useStyles = makeStyles(theme => ({
  root: {
    '& .Mui-focusVisible, & button:focus-visible, & input:focus-visible': {
      outline: `3px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  category: {
    marginTop: theme.spacing(2),
  },
  list: {
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  row: {
    padding: theme.spacing(1.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  titleLine: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    gap: theme.spacing(1),
  },
  status: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    fontWeight: theme.typography.fontWeightMedium as number,
  },
  statusIcon: { fontSize: '1.2rem' },
  passed: { color: theme.palette.success?.main ?? '#2e7d32' },
  failed: { color: theme.palette.error.main },
  warn: { color: warningText(theme) },
  neutral: { color: theme.palette.text.secondary },
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginTop: theme.spacing(1),
  },
  note: {
    minWidth: 240,
    flexGrow: 1,
  },
  alert: {
    marginTop: theme.spacing(1),
  },
}));

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
  const classes = useStyles();
  let tone = classes.neutral;
  if (shown === 'passed') tone = classes.passed;
  else if (shown === 'failed') tone = classes.failed;
  else if (shown === 'stale' || shown === 'missing' || shown === 'waived')
    tone = classes.warn;
  return (
    <span className={`${classes.status} ${tone}`} data-status={shown}>
      <StatusIcon shown={shown} />
      {SHOWN_LABELS[shown] ?? shown}
    </span>
  );
}

interface Draft {
  /** The note as typed; undefined until the person types. */
  note?: string;
  waiver: WaiverDraft;
}

type Message = { severity: 'error' | 'warning'; text: string };

function ChecklistRow(props: {
  item: GateItem;
  result?: AutomatedItemResult;
  editable: boolean;
  busy: boolean;
  note: string;
  message?: ReactNode;
  onNoteChange: (note: string) => void;
  onSetStatus: (status: ItemStatus) => void;
  onSaveNote: () => void;
  onWaive: () => void;
}) {
  const { item, result, editable, busy, note, message } = props;
  const classes = useStyles();
  const titleId = `checklist-item-${item.id}`;
  const automated = !!item.automated;
  const shown: Shown = automated && result ? result.outcome : item.status;
  const noteChanged = note !== (item.note ?? '');
  const waiverExpired =
    item.waiver && new Date(item.waiver.expiresAt).getTime() <= Date.now();

  return (
    <li className={classes.row} aria-labelledby={titleId}>
      <div className={classes.titleLine}>
        <Typography variant="body1" component="span" id={titleId}>
          <strong>{item.title}</strong>
        </Typography>
        {!item.required && (
          <Typography variant="caption" color="textSecondary">
            optional
          </Typography>
        )}
        {automated && (
          <Typography variant="caption" color="textSecondary">
            automated
          </Typography>
        )}
        <StatusText shown={shown} />
      </div>
      {item.description && (
        <Typography variant="body2" color="textSecondary">
          {item.description}
        </Typography>
      )}
      {automated && result && (
        <Typography variant="body2">
          {result.detail}
          {result.observedAt && (
            <>
              {' · evidence observed '}
              <time dateTime={result.observedAt}>
                {formatTimeUtc(result.observedAt)}
              </time>
            </>
          )}
          {result.receivedAt && (
            <>
              {result.observedAt ? ', received ' : ' · evidence received '}
              <time dateTime={result.receivedAt}>
                {formatTimeUtc(result.receivedAt)}
              </time>
            </>
          )}
        </Typography>
      )}
      {automated && !result && (
        <Typography variant="body2" color="textSecondary">
          Waiting for {item.automated!.evidenceType} evidence (
          {item.automated!.rule}).
        </Typography>
      )}
      {item.updatedBy && (
        <Typography variant="body2" color="textSecondary">
          Updated by {shortRef(item.updatedBy)}
          {item.updatedAt && (
            <>
              {' on '}
              <time dateTime={item.updatedAt}>
                {formatTimeUtc(item.updatedAt)}
              </time>
            </>
          )}
        </Typography>
      )}
      {item.note && !(editable && !automated) && (
        <Typography variant="body2">Note: {item.note}</Typography>
      )}
      {item.waiver && (
        <Typography variant="body2">
          Waived by {shortRef(item.waiver.by)} on{' '}
          <time dateTime={item.waiver.at}>{formatTimeUtc(item.waiver.at)}</time>
          , {waiverExpired ? 'expired' : 'expires'}{' '}
          <time dateTime={item.waiver.expiresAt}>
            {formatTimeUtc(item.waiver.expiresAt)}
          </time>
          : {item.waiver.justification}
        </Typography>
      )}

      {editable && (
        <div className={classes.controls}>
          {!automated && (
            <>
              <ButtonGroup
                size="small"
                aria-label={`Status of ${item.title}`}
                disabled={busy}
              >
                {MANUAL_STATUSES.map(status => (
                  <Button
                    key={status}
                    aria-pressed={item.status === status}
                    variant={item.status === status ? 'contained' : 'outlined'}
                    color={item.status === status ? 'primary' : 'default'}
                    onClick={() => props.onSetStatus(status)}
                  >
                    {SHOWN_LABELS[status]}
                  </Button>
                ))}
              </ButtonGroup>
              <TextField
                className={classes.note}
                size="small"
                variant="outlined"
                id={`checklist-note-${item.id}`}
                label="Note"
                inputProps={{ 'aria-label': `Note on ${item.title}` }}
                value={note}
                onChange={e => props.onNoteChange(e.target.value)}
                disabled={busy}
              />
              {noteChanged && (
                <Button
                  size="small"
                  variant="outlined"
                  color="primary"
                  onClick={props.onSaveNote}
                  disabled={busy}
                >
                  Save note
                </Button>
              )}
            </>
          )}
          {item.status === 'waived' && automated ? (
            <Button
              size="small"
              variant="outlined"
              onClick={() => props.onSetStatus('pending')}
              disabled={busy}
            >
              Clear waiver
            </Button>
          ) : (
            <Button
              size="small"
              variant="outlined"
              onClick={props.onWaive}
              disabled={busy}
              aria-haspopup="dialog"
            >
              Waive…
            </Button>
          )}
        </div>
      )}
      {message}
    </li>
  );
}

/**
 * The checklist of a gate, grouped by category: each item's status, evidence,
 * note and waiver, and for the gate's owners the controls to mark it.
 *
 * @public
 */
export function Checklist(props: {
  gate: GateWithEvaluation;
  canEdit: boolean;
  onChange: (gate: GateWithEvaluation) => void;
  onConflict: () => void;
  /** The gate's entity; when given, gate owners may add service items. */
  entityRef?: { kind: string; namespace: string; name: string };
}) {
  const { gate, canEdit, onChange, onConflict, entityRef } = props;
  const api = useApi(releaseReadinessApiRef);
  const classes = useStyles();

  // Everything typed is keyed by item id, so it survives a reloaded gate.
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [messages, setMessages] = useState<Record<string, Message>>({});
  const [busyItem, setBusyItem] = useState<string>();
  const [waiving, setWaiving] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string>();

  const editable = canEdit && isGateEditable(gate.state);

  const draftOf = (item: GateItem): Draft =>
    drafts[item.id] ?? {
      waiver: {
        justification: item.waiver?.justification ?? '',
        expiresAt: toLocalInput(item.waiver?.expiresAt),
      },
    };
  const noteOf = (item: GateItem) => drafts[item.id]?.note ?? item.note ?? '';
  const setDraft = (item: GateItem, change: Partial<Draft>) =>
    setDrafts(current => ({
      ...current,
      [item.id]: { ...(current[item.id] ?? draftOf(item)), ...change },
    }));

  const save = async (
    item: GateItem,
    request: {
      status: ItemStatus;
      waiver?: { justification: string; expiresAt: string };
    },
  ) => {
    setBusyItem(item.id);
    setMessages(({ [item.id]: _, ...rest }) => rest);
    const note = item.automated ? item.note : noteOf(item).trim();
    try {
      const updated = await api.updateItem(gate.id, item.id, {
        status: request.status,
        ...(note ? { note } : {}),
        ...(request.waiver ? { waiver: request.waiver } : {}),
        version: item.version,
      });
      setDrafts(({ [item.id]: _, ...rest }) => rest);
      setWaiving(current => (current === item.id ? undefined : current));
      onChange(updated);
    } catch (error) {
      if (isConflict(error)) {
        setMessages(current => ({
          ...current,
          [item.id]: {
            severity: 'warning',
            text: `Someone else changed "${item.title}" first. The checklist was reloaded; your input is still here — check it and save again.`,
          },
        }));
        onConflict();
      } else {
        setMessages(current => ({
          ...current,
          [item.id]: { severity: 'error', text: errorMessage(error) },
        }));
      }
    } finally {
      setBusyItem(undefined);
    }
  };

  const alertFor = (itemId: string) => {
    const message = messages[itemId];
    if (!message) {
      return undefined;
    }
    return (
      <Alert
        severity={message.severity}
        className={classes.alert}
        onClose={() => setMessages(({ [itemId]: _, ...rest }) => rest)}
      >
        {message.text}
      </Alert>
    );
  };

  const addItem = async (item: ChecklistItemDefinition) => {
    await api.addServiceItem(entityRef!, item);
    setAdding(false);
    setAdded(
      `Added "${item.title}" to the service checklist; it applies from the next gate.`,
    );
  };

  const known = new Set<string>(CHECKLIST_CATEGORIES);
  const categories = [
    ...CHECKLIST_CATEGORIES,
    ...Array.from(
      new Set(gate.items.map(i => i.category).filter(c => !known.has(c))),
    ),
  ].filter(category => gate.items.some(i => i.category === category));
  const results = new Map(
    gate.evaluation.automated.map(result => [result.itemId, result]),
  );
  const waivingItem = gate.items.find(i => i.id === waiving);

  return (
    <div id="checklist" className={classes.root}>
      <InfoCard title="Checklist">
        {!canEdit && (
          <Typography variant="body2" color="textSecondary">
            Only the gate owners can mark this checklist.
          </Typography>
        )}
        {canEdit && !editable && (
          <Typography variant="body2" color="textSecondary">
            This gate is {gate.state}; its checklist can no longer be changed.
          </Typography>
        )}
        {added && (
          <Alert
            severity="success"
            className={classes.alert}
            onClose={() => setAdded(undefined)}
          >
            {added}
          </Alert>
        )}
        {gate.items.length === 0 && (
          <Typography variant="body2">
            This gate has no checklist items.
          </Typography>
        )}
        {categories.map(category => {
          const headingId = `checklist-category-${category}`;
          return (
            <section
              key={category}
              className={classes.category}
              aria-labelledby={headingId}
            >
              <Typography variant="h6" component="h3" id={headingId}>
                {categoryLabel(category)}
              </Typography>
              <ul className={classes.list}>
                {gate.items
                  .filter(item => item.category === category)
                  .map(item => (
                    <ChecklistRow
                      key={item.id}
                      item={item}
                      result={results.get(item.id)}
                      editable={editable}
                      busy={busyItem === item.id}
                      note={noteOf(item)}
                      message={
                        waiving === item.id ? undefined : alertFor(item.id)
                      }
                      onNoteChange={note => setDraft(item, { note })}
                      onSetStatus={status => save(item, { status })}
                      onSaveNote={() =>
                        save(item, {
                          status: item.status,
                          ...(item.status === 'waived' && item.waiver
                            ? {
                                waiver: {
                                  justification: item.waiver.justification,
                                  expiresAt: item.waiver.expiresAt,
                                },
                              }
                            : {}),
                        })
                      }
                      onWaive={() => setWaiving(item.id)}
                    />
                  ))}
              </ul>
            </section>
          );
        })}
        {canEdit && entityRef && (
          <Box mt={2}>
            <Button
              variant="outlined"
              color="primary"
              startIcon={<AddIcon aria-hidden />}
              onClick={() => {
                setAdded(undefined);
                setAdding(true);
              }}
              aria-haspopup="dialog"
            >
              Add item
            </Button>
          </Box>
        )}
      </InfoCard>

      {waivingItem && (
        <WaiveDialog
          item={waivingItem}
          open
          draft={draftOf(waivingItem).waiver}
          busy={busyItem === waivingItem.id}
          message={alertFor(waivingItem.id)}
          onDraftChange={waiver => setDraft(waivingItem, { waiver })}
          onCancel={() => setWaiving(undefined)}
          onSubmit={waiver =>
            save(waivingItem, {
              status: 'waived',
              waiver: {
                justification: waiver.justification.trim(),
                expiresAt: new Date(waiver.expiresAt).toISOString(),
              },
            })
          }
        />
      )}
      {entityRef && (
        <AddItemDialog
          open={adding}
          existingIds={gate.items.map(i => i.id)}
          onCancel={() => setAdding(false)}
          onSubmit={addItem}
          errorMessage={errorMessage}
        />
      )}
    </div>
  );
}
