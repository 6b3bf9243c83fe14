import { MouseEvent, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import {
  ConditionId,
  ConditionResult,
  GateWithEvaluation,
  gateOutcome,
  goHold,
  Verdict,
} from '@release-readiness/plugin-common';
import { focusById } from '../shared/focus';
import { stateLabel } from '../shared/format';
import { conditionChipText, successText } from '../shared/accessibility';
import { TextWithNames } from '../shared/TextWithNames';

/** Where on the Readiness tab each condition is fixed. */
const FIX_LOCATIONS: Record<ConditionId, { href: string; label: string }> = {
  artifacts: { href: '#checklist', label: 'Go to the checklist' },
  automated: { href: '#checklist', label: 'Go to the checklist' },
  risk: { href: '#risk', label: 'Go to the risk assessment' },
  rollback: { href: '#risk', label: 'Go to the rollback plan' },
  communication: { href: '#risk', label: 'Go to the communication plan' },
  signoffs: { href: '#signoffs', label: 'Go to the sign-offs' },
  window: { href: '#window', label: 'Go to the release window' },
  rollup: { href: '#decision', label: 'Go to the decision' },
};

const useStyles = makeStyles(theme => ({
  verdict: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    fontWeight: theme.typography.fontWeightBold as number,
  },
  verdictIcon: {
    fontSize: '2.75rem',
  },
  GO: { color: theme.palette.success?.dark ?? '#1b5e20' },
  'NO-GO': { color: theme.palette.error.dark },
  'IN PROGRESS': { color: theme.palette.info?.dark ?? '#0d47a1' },
  score: {
    maxWidth: 360,
    marginTop: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  progress: {
    height: 8,
    borderRadius: 4,
    marginTop: theme.spacing(0.5),
  },
  chips: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    padding: 0,
    margin: 0,
  },
  chip: {
    '&:focus-visible': {
      outline: `3px solid ${theme.palette.primary.main}`,
      outlineOffset: 2,
    },
  },
  metIcon: { color: successText(theme) },
  unmetIcon: { color: theme.palette.error.main },
  blockers: {
    marginTop: theme.spacing(2),
  },
  blockerList: {
    margin: theme.spacing(0.5, 0, 1.5),
    paddingLeft: theme.spacing(3),
  },
}));

function VerdictIcon({
  verdict,
  className,
}: {
  verdict: Verdict;
  className: string;
}) {
  switch (verdict) {
    case 'GO':
      return <CheckCircleIcon className={className} aria-hidden />;
    case 'NO-GO':
      return <CancelIcon className={className} aria-hidden />;
    default:
      return <HourglassEmptyIcon className={className} aria-hidden />;
  }
}

/** Where a blocker is fixed: the item or role it names, else its condition's card. */
function fixTarget(
  blocker: { condition: ConditionId; itemId?: string; role?: string },
  fallback: { href: string; label: string },
  gate: GateWithEvaluation,
): { href: string; label: string } {
  const item = gate.items.find(i => i.id === blocker.itemId);
  if (item) {
    return { href: `#item-${item.id}`, label: `Go to "${item.title}"` };
  }
  const role = gate.evaluation.roles.find(r => r.role === blocker.role);
  if (role && blocker.condition === 'signoffs') {
    return {
      href: `#signoff-role-${role.role}`,
      label: `Go to the ${role.title} sign-off`,
    };
  }
  return FIX_LOCATIONS[blocker.condition] ?? fallback;
}

function blockerCount(n: number) {
  return `${n} blocker${n === 1 ? '' : 's'}`;
}

function ConditionChip(props: {
  condition: ConditionResult;
  expanded: boolean;
  onToggle: () => void;
  panelId: string;
}) {
  const { condition, expanded, onToggle, panelId } = props;
  const classes = useStyles();
  const count = condition.blockers.length;
  const icon = condition.met ? (
    <CheckCircleIcon className={classes.metIcon} aria-hidden />
  ) : (
    <ErrorOutlineIcon className={classes.unmetIcon} aria-hidden />
  );
  // The accessible name starts with the words shown (label in name).
  const { label, name } = conditionChipText(condition);

  if (condition.met || count === 0) {
    return (
      <Chip
        icon={icon}
        label={label}
        variant="outlined"
        aria-label={name}
        data-testid={`condition-${condition.id}`}
        data-met={condition.met}
      />
    );
  }
  return (
    <Chip
      component="button"
      clickable
      className={classes.chip}
      icon={icon}
      label={label}
      onClick={onToggle}
      aria-expanded={expanded}
      aria-controls={expanded ? panelId : undefined}
      aria-label={name}
      data-testid={`condition-${condition.id}`}
      data-met={condition.met}
    />
  );
}

/**
 * The head of the current gate: release, template, state, the verdict, the
 * health score and the conditions of a Go decision with their blockers.
 *
 * @public
 */
export function GateHeader(props: {
  gate: GateWithEvaluation;
  /**
   * Whether the viewer may change the gate; when not, blockers are told as
   * what the gate owners must do, not as orders to the viewer.
   */
  canAct?: boolean;
}) {
  const { gate, canAct = true } = props;
  const { evaluation } = gate;
  const classes = useStyles();
  const [expanded, setExpanded] = useState<ConditionId[]>([]);

  const toggle = (id: ConditionId) =>
    setExpanded(current =>
      current.includes(id) ? current.filter(c => c !== id) : [...current, id],
    );

  // A gate that is over is shown by its final state, never re-evaluated
  // against today's evidence (-common's gateOutcome).
  const outcome = gateOutcome({
    state: gate.state,
    verdict: evaluation.verdict,
    release: gate.release,
  });
  if (outcome.final) {
    return (
      <InfoCard
        title={`Release ${gate.release}`}
        subheader={`Template ${gate.templateName} v${
          gate.templateVersion
        } · State: ${stateLabel(gate.state)}`}
      >
        <Typography
          variant="h3"
          component="p"
          className={classes.verdict}
          data-testid="gate-verdict"
          data-final="true"
        >
          <span>{outcome.label}</span>
        </Typography>
        <Typography variant="body2">
          {outcome.sentence} Its decisions and audit trail are in the history.
        </Typography>
      </InfoCard>
    );
  }

  // A recorded GO shows as GO only while it still holds (-common's goHold).
  const hold = goHold(gate, evaluation);
  const lapsed = Boolean(hold && !hold.holds);
  const shown: Verdict = lapsed ? 'NO-GO' : evaluation.verdict;

  const score = Math.max(0, Math.min(100, Math.round(evaluation.score)));
  // A component has no components of its own: its always-met roll-up
  // condition says nothing and is not shown.
  const conditions = evaluation.conditions.filter(
    c =>
      !(
        c.id === 'rollup' &&
        c.met &&
        gate.entityRef.toLocaleLowerCase('en-US').startsWith('component:')
      ),
  );
  const open = conditions.filter(
    c => expanded.includes(c.id) && !c.met && c.blockers.length > 0,
  );

  return (
    <InfoCard
      title={`Release ${gate.release}`}
      subheader={`Template ${gate.templateName} v${
        gate.templateVersion
      } · State: ${stateLabel(gate.state)}`}
    >
      <Typography
        variant="h3"
        component="p"
        className={`${classes.verdict} ${classes[shown]}`}
        data-testid="gate-verdict"
        data-holds={hold ? String(hold.holds) : undefined}
      >
        <VerdictIcon verdict={shown} className={classes.verdictIcon} />
        <span>{lapsed ? 'GO no longer holds' : evaluation.verdict}</span>
      </Typography>
      {hold && (
        <Typography
          variant="body2"
          data-testid="go-hold"
          color={lapsed ? 'error' : 'textPrimary'}
        >
          <TextWithNames text={hold.message} />
        </Typography>
      )}
      {evaluation.ready && gate.state === 'in-progress' && (
        <Typography variant="body2">
          Every condition is met: a GO decision may be recorded.
        </Typography>
      )}

      <Box className={classes.score}>
        <Typography variant="body1" id={`gate-${gate.id}-score`}>
          Score {score} / 100
        </Typography>
        <LinearProgress
          className={classes.progress}
          variant="determinate"
          value={score}
          aria-label={`Health score ${score} out of 100`}
        />
      </Box>

      <Typography variant="subtitle2" component="h3" gutterBottom>
        Conditions for GO
      </Typography>
      <ul className={classes.chips} aria-label="Conditions for GO">
        {conditions.map(condition => (
          <li key={condition.id}>
            <ConditionChip
              condition={condition}
              expanded={expanded.includes(condition.id)}
              onToggle={() => toggle(condition.id)}
              panelId={`gate-${gate.id}-blockers-${condition.id}`}
            />
          </li>
        ))}
      </ul>

      {open.length > 0 && (
        <div className={classes.blockers}>
          {!canAct && (
            <Typography variant="body2" color="textSecondary" paragraph>
              What the gate owners still have to do before a GO (you can follow,
              not change, this gate):
            </Typography>
          )}
          {open.map(condition => {
            const fix = FIX_LOCATIONS[condition.id] ?? {
              href: '#decision',
              label: 'Go to the decision',
            };
            const headingId = `gate-${gate.id}-blockers-${condition.id}-title`;
            return (
              <section
                key={condition.id}
                id={`gate-${gate.id}-blockers-${condition.id}`}
                aria-labelledby={headingId}
              >
                <Typography variant="subtitle2" component="h4" id={headingId}>
                  {condition.title}: {blockerCount(condition.blockers.length)}
                </Typography>
                <ul className={classes.blockerList}>
                  {condition.blockers.map((blocker, index) => (
                    <li
                      key={`${blocker.itemId ?? blocker.role ?? ''}-${index}`}
                    >
                      <Typography variant="body2" component="span">
                        <TextWithNames text={blocker.message} />{' '}
                      </Typography>
                      <Link
                        href={fixTarget(blocker, fix, gate).href}
                        variant="body2"
                        onClick={(event: MouseEvent) => {
                          const id = fixTarget(blocker, fix, gate).href.slice(
                            1,
                          );
                          if (focusById(id)) event.preventDefault();
                        }}
                      >
                        {canAct
                          ? fixTarget(blocker, fix, gate).label
                          : fixTarget(blocker, fix, gate).label.replace(
                              /^Go to/,
                              'See',
                            )}
                      </Link>
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </div>
      )}
    </InfoCard>
  );
}
