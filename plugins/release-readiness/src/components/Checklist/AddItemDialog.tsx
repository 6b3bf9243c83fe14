import { FormEvent, useState } from 'react';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import {
  CHECKLIST_CATEGORIES,
  ChecklistCategory,
  ChecklistItemDefinition,
} from '@release-readiness/plugin-common';
import { categoryLabel } from './format';
import { useReleaseReadinessTranslation } from '../../translation';

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

interface AddItemForm {
  id: string;
  title: string;
  category: ChecklistCategory;
  required: boolean;
}

const EMPTY: AddItemForm = {
  id: '',
  title: '',
  category: 'manual-validation',
  required: true,
};

/** Adds a service-specific item to the entity's checklist. */
export function AddItemDialog(props: {
  open: boolean;
  /** Ids already on the gate's checklist. */
  existingIds: string[];
  onCancel: () => void;
  /** Resolves when added; rejects with the error to show. */
  onSubmit: (item: ChecklistItemDefinition) => Promise<void>;
  errorMessage: (error: unknown) => string;
}) {
  const { t } = useReleaseReadinessTranslation();
  const { open, existingIds } = props;
  const [form, setForm] = useState<AddItemForm>(EMPTY);
  const [errors, setErrors] = useState<{ id?: string; title?: string }>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const id = form.id.trim();
    const title = form.title.trim();
    const found: { id?: string; title?: string } = {};
    if (!id) {
      found.id = t('addItemDialog.idRequired');
    } else if (!KEBAB_CASE.test(id)) {
      found.id = t('addItemDialog.idFormat');
    } else if (existingIds.includes(id)) {
      found.id = t('addItemDialog.idTaken');
    }
    if (!title) {
      found.title = t('addItemDialog.titleRequired');
    }
    setErrors(found);
    if (found.id || found.title) {
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      await props.onSubmit({
        id,
        title,
        category: form.category,
        required: form.required,
      });
      setForm(EMPTY);
    } catch (error) {
      setFailure(props.errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : props.onCancel}
      aria-labelledby="add-checklist-item-title"
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="add-checklist-item-title">
          {t('addItemDialog.title')}
        </DialogTitle>
        <DialogContent>
          {failure && <Alert severity="error">{failure}</Alert>}
          <DialogContentText>
            {t('addItemDialog.description')}
          </DialogContentText>
          <TextField
            id="add-checklist-item-field-id"
            label={t('addItemDialog.id')}
            required
            fullWidth
            margin="dense"
            variant="outlined"
            value={form.id}
            onChange={e => setForm({ ...form, id: e.target.value })}
            error={!!errors.id}
            helperText={errors.id ?? t('addItemDialog.idHelp')}
            disabled={busy}
          />
          <TextField
            id="add-checklist-item-field-title"
            label={t('addItemDialog.itemTitle')}
            required
            fullWidth
            margin="dense"
            variant="outlined"
            value={form.title}
            onChange={e => setForm({ ...form, title: e.target.value })}
            error={!!errors.title}
            helperText={errors.title}
            disabled={busy}
          />
          <TextField
            id="add-checklist-item-field-category"
            label={t('addItemDialog.category')}
            select
            fullWidth
            margin="dense"
            variant="outlined"
            SelectProps={{ native: true }}
            value={form.category}
            onChange={e =>
              setForm({
                ...form,
                category: e.target.value as ChecklistCategory,
              })
            }
            disabled={busy}
          >
            {CHECKLIST_CATEGORIES.map(category => (
              <option key={category} value={category}>
                {categoryLabel(category, t)}
              </option>
            ))}
          </TextField>
          <FormControlLabel
            control={
              <Checkbox
                checked={form.required}
                onChange={e => setForm({ ...form, required: e.target.checked })}
                color="primary"
                disabled={busy}
              />
            }
            label={t('addItemDialog.required')}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel} disabled={busy}>
            {t('addItemDialog.cancel')}
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            {t('addItemDialog.submit')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
