import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import {
  CHECKLIST_CATEGORIES,
  ChecklistItemDefinition,
  GateItem,
  GateWithEvaluation,
  isGateEditable,
  ItemStatus,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { AddItemDialog } from './AddItemDialog';
import {
  EvidenceSources,
  sourcesOf,
  useEvidenceSources,
} from './EvidenceSources';
import { ChecklistRow, rowIds } from './ChecklistRow';
import { errorMessage, isConflict } from '../shared/errors';
import { focusSoon } from '../shared/focus';
import { toLocalInput } from '../shared/format';
import { categoryLabel } from './format';
import { useStyles } from './styles';
import { useReleaseReadinessTranslation } from '../../translation';
import { WaiveDialog, WaiverDraft } from './WaiveDialog';

interface Draft {
  /** The note as typed; undefined until the person types. */
  note?: string;
  waiver: WaiverDraft;
}

type Message = { severity: 'error' | 'warning'; text: string };

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
  const { t } = useReleaseReadinessTranslation();
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
  const { sources, setSources } = useEvidenceSources(gate.id, gate.version);

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

  /**
   * Saves an item; afterwards focus goes back to `focusId`, the control
   * that asked for the save (it was disabled meanwhile, which drops focus).
   */
  const save = async (
    item: GateItem,
    request: {
      status: ItemStatus;
      waiver?: { justification: string; expiresAt: string };
    },
    focusId: string,
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
            text: t('checklist.conflict', { title: item.title }),
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
      focusSoon(focusId);
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
    setAdded(t('checklist.added', { title: item.title }));
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
      <InfoCard title={t('checklist.title')}>
        {!canEdit && (
          <Typography variant="body2" color="textSecondary">
            {t('checklist.ownersOnly')}
          </Typography>
        )}
        {canEdit && !editable && (
          <Typography variant="body2" color="textSecondary">
            {t('checklist.closed', { state: gate.state })}
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
        <EvidenceSources
          gateId={gate.id}
          sources={sources}
          canRefresh={editable}
          onRefreshed={refreshed => {
            setSources(refreshed);
            // The facts collected move the evaluation: reload the gate.
            onConflict();
          }}
        />
        {gate.items.length === 0 && (
          <Typography variant="body2">{t('checklist.empty')}</Typography>
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
                {categoryLabel(category, t)}
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
                      gate={gate}
                      sources={
                        item.automated
                          ? sourcesOf(sources, item.automated.evidenceType)
                          : []
                      }
                      onSetStatus={status =>
                        save(
                          item,
                          { status },
                          item.automated
                            ? rowIds.waiver(item.id)
                            : rowIds.status(item.id, status),
                        )
                      }
                      onSaveNote={() =>
                        save(
                          item,
                          {
                            status: item.status,
                            ...(item.status === 'waived' && item.waiver
                              ? {
                                  waiver: {
                                    justification: item.waiver.justification,
                                    expiresAt: item.waiver.expiresAt,
                                  },
                                }
                              : {}),
                          },
                          // "Save note" goes once saved: back to the note.
                          rowIds.note(item.id),
                        )
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
              {t('checklist.addItem')}
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
          onCancel={() => {
            setWaiving(undefined);
            focusSoon(rowIds.waiver(waivingItem.id));
          }}
          onSubmit={waiver =>
            save(
              waivingItem,
              {
                status: 'waived',
                waiver: {
                  justification: waiver.justification.trim(),
                  expiresAt: new Date(waiver.expiresAt).toISOString(),
                },
              },
              rowIds.waiver(waivingItem.id),
            )
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
