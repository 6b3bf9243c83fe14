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
      found.id = 'Give the item an id, e.g. "pci-review".';
    } else if (!KEBAB_CASE.test(id)) {
      found.id =
        'Use lower-case letters, digits and single dashes, e.g. "pci-review".';
    } else if (existingIds.includes(id)) {
      found.id = 'The checklist already has an item with this id.';
    }
    if (!title) {
      found.title = 'Give the item a title.';
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
          Add a service checklist item
        </DialogTitle>
        <DialogContent>
          {failure && <Alert severity="error">{failure}</Alert>}
          <DialogContentText>
            The item is added to this service's checklist. This gate keeps the
            checklist it opened with; the item applies from the next gate.
          </DialogContentText>
          <TextField
            id="add-checklist-item-field-id"
            label="Id"
            required
            fullWidth
            margin="dense"
            variant="outlined"
            value={form.id}
            onChange={e => setForm({ ...form, id: e.target.value })}
            error={!!errors.id}
            helperText={errors.id ?? 'Lower-case kebab-case, e.g. pci-review.'}
            disabled={busy}
          />
          <TextField
            id="add-checklist-item-field-title"
            label="Title"
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
            label="Category"
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
                {categoryLabel(category)}
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
            label="Required for GO"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={props.onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            Add item
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
