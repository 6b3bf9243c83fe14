import { FormEvent, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  DebriefFollowUpInput,
  DebriefRequest,
  GateDebrief,
} from '@release-readiness/plugin-common';
import { useReleaseReadinessTranslation } from '../../translation';

/** A follow-up row of the form, with a key that survives removals. */
interface Row extends DebriefFollowUpInput {
  key: string;
}

let nextKey = 0;
const newKey = () => `follow-up-${++nextKey}`;

/** Today in UTC, `YYYY-MM-DD`: the earliest due date of a new follow-up. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function rowsOf(debrief: GateDebrief | undefined): Row[] {
  return (debrief?.followUps ?? []).map(f => ({
    key: newKey(),
    id: f.id,
    action: f.action,
    owner: f.owner,
    dueDate: f.dueDate,
    done: f.done,
  }));
}

type Missing = { field: 'action' | 'owner' | 'dueDate'; row: number };

/** What the form says under a follow-up field left empty. */
const MISSING_MESSAGES = {
  action: 'debrief.actionMissing',
  owner: 'debrief.ownerMissing',
  dueDate: 'debrief.dueMissing',
} as const;

/**
 * The debrief's form: three answers about the process and the system, and
 * the follow-up actions, each with an owner and a due date. Says, before
 * anything is typed, that the debrief is blameless and has no field for a
 * person. Checks what the backend would refuse and puts the focus on it.
 */
export function DebriefForm(props: {
  gateId: string;
  debrief?: GateDebrief;
  busy: boolean;
  error?: string;
  onSave(request: DebriefRequest): void;
  onCancel(): void;
}) {
  const { t } = useReleaseReadinessTranslation();
  const { debrief, busy } = props;
  const [wentWell, setWentWell] = useState(debrief?.wentWell ?? '');
  const [wentWrong, setWentWrong] = useState(debrief?.wentWrong ?? '');
  const [toChange, setToChange] = useState(debrief?.toChange ?? '');
  const [rows, setRows] = useState<Row[]>(() => rowsOf(debrief));
  const [empty, setEmpty] = useState(false);
  const [missing, setMissing] = useState<Missing>();
  const form = useRef<HTMLFormElement>(null);
  const id = (field: string, key: string) =>
    `debrief-${props.gateId}-${field}-${key}`;

  const focus = (elementId: string) =>
    setTimeout(() => document.getElementById(elementId)?.focus(), 0);

  const setRow = (key: string, patch: Partial<Row>) => {
    setRows(current =>
      current.map(r => (r.key === key ? { ...r, ...patch } : r)),
    );
    setMissing(undefined);
  };

  const add = () => {
    const key = newKey();
    setRows(current => [
      ...current,
      { key, action: '', owner: '', dueDate: '' },
    ]);
    focus(id('action', key));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!wentWell.trim() && !wentWrong.trim() && !toChange.trim()) {
      setEmpty(true);
      focus(id('wentWrong', 'answer'));
      return;
    }
    for (const [row, r] of rows.entries()) {
      for (const field of ['action', 'owner', 'dueDate'] as const) {
        if (!r[field]?.trim()) {
          setMissing({ field, row });
          focus(id(field, r.key));
          return;
        }
      }
    }
    props.onSave({
      wentWell,
      wentWrong,
      toChange,
      followUps: rows.map(({ key, ...f }) => ({
        ...f,
        action: f.action.trim(),
        owner: f.owner.trim(),
      })),
      ...(debrief ? { version: debrief.version } : {}),
    });
  };

  const answer = (
    field: 'wentWell' | 'wentWrong' | 'toChange',
    value: string,
    set: (v: string) => void,
  ) => (
    <TextField
      id={id(field, 'answer')}
      label={t(`debrief.${field}`)}
      value={value}
      onChange={e => {
        set(e.target.value);
        setEmpty(false);
      }}
      error={empty}
      multiline
      minRows={2}
      fullWidth
      variant="outlined"
      margin="dense"
      disabled={busy}
      inputProps={{ maxLength: 4000 }}
    />
  );

  const helper = (field: Missing['field'], row: number) =>
    missing && missing.field === field && missing.row === row
      ? {
          error: true,
          helperText: t(MISSING_MESSAGES[field]),
        }
      : {};

  return (
    <form
      ref={form}
      onSubmit={submit}
      noValidate
      aria-label={t('debrief.title')}
    >
      <Typography variant="body2" paragraph>
        {t('debrief.intro')}
      </Typography>
      {answer('wentWell', wentWell, setWentWell)}
      {answer('wentWrong', wentWrong, setWentWrong)}
      {answer('toChange', toChange, setToChange)}
      {empty && (
        <Typography variant="body2" color="error" role="alert">
          {t('debrief.empty')}
        </Typography>
      )}
      <Typography variant="subtitle2" component="h4">
        {t('debrief.followUps')}
      </Typography>
      {rows.map((r, i) => (
        <Box
          key={r.key}
          component="fieldset"
          border={0}
          p={0}
          m={0}
          mt={1}
          aria-label={t('debrief.followUpNumber', { number: String(i + 1) })}
        >
          <TextField
            id={id('action', r.key)}
            label={t('debrief.action')}
            value={r.action}
            onChange={e => setRow(r.key, { action: e.target.value })}
            fullWidth
            variant="outlined"
            margin="dense"
            disabled={busy}
            {...helper('action', i)}
          />
          <TextField
            id={id('owner', r.key)}
            label={t('debrief.owner')}
            value={r.owner}
            onChange={e => setRow(r.key, { owner: e.target.value })}
            fullWidth
            variant="outlined"
            margin="dense"
            disabled={busy}
            {...helper('owner', i)}
          />
          <TextField
            id={id('dueDate', r.key)}
            label={t('debrief.dueDate')}
            type="date"
            value={r.dueDate}
            onChange={e => setRow(r.key, { dueDate: e.target.value })}
            variant="outlined"
            margin="dense"
            disabled={busy}
            InputLabelProps={{ shrink: true }}
            inputProps={r.id ? {} : { min: today() }}
            {...helper('dueDate', i)}
          />
          <Button
            disabled={busy}
            onClick={() => {
              setRows(current => current.filter(x => x.key !== r.key));
              focus(id('add', 'button'));
            }}
          >
            {t('debrief.removeFollowUp', { number: String(i + 1) })}
          </Button>
        </Box>
      ))}
      <Box mt={1}>
        <Button
          id={id('add', 'button')}
          variant="outlined"
          onClick={add}
          disabled={busy}
        >
          {t('debrief.addFollowUp')}
        </Button>
      </Box>
      {props.error && (
        <Box mt={1}>
          <Alert severity="error">{props.error}</Alert>
        </Box>
      )}
      <Box mt={2}>
        <Button
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy}
        >
          {t('debrief.save')}
        </Button>
        <Button onClick={props.onCancel} disabled={busy}>
          {t('debrief.cancel')}
        </Button>
      </Box>
    </form>
  );
}
