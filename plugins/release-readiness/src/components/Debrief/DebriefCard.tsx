import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { Gate, isDebriefDue } from '@release-readiness/plugin-common';
import { useReleaseReadinessTranslation } from '../../translation';
import { DebriefPanel } from './DebriefPanel';

/**
 * The current gate's debrief, as a card of the Readiness tab once the gate
 * is released, rolled back or NO-GO (a cancelled gate's is in the history).
 */
export function DebriefCard(props: { gate: Gate; canEdit: boolean }) {
  const { t } = useReleaseReadinessTranslation();
  if (!isDebriefDue(props.gate.state)) return null;
  return (
    <div id="debrief">
      <InfoCard title={t('debrief.title')}>
        <DebriefPanel
          key={`${props.gate.id}`}
          gateId={props.gate.id}
          canEdit={props.canEdit}
        />
      </InfoCard>
    </div>
  );
}

/** An earlier gate's debrief, in a dialog opened from the history. */
export function DebriefDialogButton(props: { gate: Gate; canEdit: boolean }) {
  const { t } = useReleaseReadinessTranslation();
  const [open, setOpen] = useState(false);
  if (!isDebriefDue(props.gate.state)) return null;
  const title = t('debrief.dialogTitle', { release: props.gate.release });
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={title}>
        {t('debrief.open')}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby={`debrief-title-${props.gate.id}`}
        fullWidth
        maxWidth="md"
      >
        <DialogTitle id={`debrief-title-${props.gate.id}`}>{title}</DialogTitle>
        <DialogContent>
          <DebriefPanel gateId={props.gate.id} canEdit={props.canEdit} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{t('debrief.close')}</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
