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
import { outcomeLabel, outcomeSentence, stateLabel } from '../shared/format';
import { conditionChipText, successText } from '../shared/accessibility';
import { TextWithNames } from '../shared/TextWithNames';
import {
  ReleaseReadinessT,
  useReleaseReadinessTranslation,
} from '../../translation';

/** A place on the Readiness tab where a blocker is fixed. */
type FixPlace =
  | 'checklist'
  | 'risk'
  | 'rollback'
  | 'communication'
  | 'signoffs'
  | 'window'
  | 'decision';

/** Where on the Readiness tab each condition is fixed. */
const FIX_LOCATIONS: Record<ConditionId, { href: string; place: FixPlace }> = {
  artifacts: { href: '#checklist', place: 'checklist' },
  automated: { href: '#checklist', place: 'checklist' },
  risk: { href: '#risk', place: 'risk' },
  rollback: { href: '#risk', place: 'rollback' },
  communication: { href: '#risk', place: 'communication' },
  signoffs: { href: '#signoffs', place: 'signoffs' },
  window: { href: '#window', place: 'window' },
  rollup: { href: '#decision', place: 'decision' },
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

/**
 * Where a blocker is fixed: the item or role it names, else its condition's
 * card; the link says "Go to" to those who may act and "See" to the others.
 */
function fixTarget(
  blocker: { condition: ConditionId; itemId?: string; role?: string },
  gate: GateWithEvaluation,
  canAct: boolean,
  t: ReleaseReadinessT,
): { href: string; label: string } {
  const verb = canAct ? 'goTo' : 'see';
  const item = gate.items.find(i => i.id === blocker.itemId);
  if (item) {
    return {
      href: `#item-${item.id}`,
      label: t(`gateHeader.${verb}.item`, { title: item.title }),
    };
  }
  const role = gate.evaluation.roles.find(r => r.role === blocker.role);
  if (role && blocker.condition === 'signoffs') {
    return {
      href: `#signoff-role-${role.role}`,
      label: t(`gateHeader.${verb}.role`, { role: role.title }),
    };
  }
  const { href, place } = FIX_LOCATIONS[blocker.condition] ?? {
    href: '#decision',
    place: 'decision',
  };
  return { href, label: t(`gateHeader.${verb}.${place}`) };
}

function ConditionChip(props: {
  condition: ConditionResult;
  expanded: boolean;
  onToggle: () => void;
  panelId: string;
}) {
  const { condition, expanded, onToggle, panelId } = props;
  const { t } = useReleaseReadinessTranslation();
  const classes = useStyles();
  const count = condition.blockers.length;
  const icon = condition.met ? (
    <CheckCircleIcon className={classes.metIcon} aria-hidden />
  ) : (
    <ErrorOutlineIcon className={classes.unmetIcon} aria-hidden />
  );
  // The accessible name starts with the words shown (label in name).
  const { label, name } = conditionChipText(condition, t);

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
  const { t } = useReleaseReadinessTranslation();
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
  const title = t('gateHeader.title', { release: gate.release });
  const subheader = t('gateHeader.subheader', {
    template: gate.templateName,
    version: String(gate.templateVersion),
    state: stateLabel(gate.state, t),
  });
  if (outcome.final) {
    return (
      <InfoCard title={title} subheader={subheader}>
        <Typography
          variant="h3"
          component="p"
          className={classes.verdict}
          data-testid="gate-verdict"
          data-final="true"
        >
          <span>{outcomeLabel(outcome, t)}</span>
        </Typography>
        <Typography variant="body2">
          {t('gateHeader.finalSentence', {
            sentence: outcomeSentence(outcome, gate.release, t),
          })}
        </Typography>
      </InfoCard>
    );
  }

  const verdictWord = (verdict: Verdict) => {
    if (verdict === 'GO') return t('verdictLabel.go');
    if (verdict === 'NO-GO') return t('verdictLabel.noGo');
    return t('verdictLabel.inProgress');
  };

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
    <InfoCard title={title} subheader={subheader}>
      <Typography
        variant="h3"
        component="p"
        className={`${classes.verdict} ${classes[shown]}`}
        data-testid="gate-verdict"
        data-holds={hold ? String(hold.holds) : undefined}
      >
        <VerdictIcon verdict={shown} className={classes.verdictIcon} />
        <span>
          {lapsed ? t('gateHeader.goLapsed') : verdictWord(evaluation.verdict)}
        </span>
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
        <Typography variant="body2">{t('gateHeader.ready')}</Typography>
      )}

      <Box className={classes.score}>
        <Typography variant="body1" id={`gate-${gate.id}-score`}>
          {t('gateHeader.score', { score: String(score) })}
        </Typography>
        <LinearProgress
          className={classes.progress}
          variant="determinate"
          value={score}
          aria-label={t('gateHeader.scoreLabel', { score: String(score) })}
        />
      </Box>

      <Typography variant="subtitle2" component="h3" gutterBottom>
        {t('gateHeader.conditions')}
      </Typography>
      <ul className={classes.chips} aria-label={t('gateHeader.conditions')}>
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
              {t('gateHeader.followOnly')}
            </Typography>
          )}
          {open.map(condition => {
            const headingId = `gate-${gate.id}-blockers-${condition.id}-title`;
            return (
              <section
                key={condition.id}
                id={`gate-${gate.id}-blockers-${condition.id}`}
                aria-labelledby={headingId}
              >
                <Typography variant="subtitle2" component="h4" id={headingId}>
                  {t('gateHeader.blockers', {
                    title: condition.title,
                    count: condition.blockers.length,
                  })}
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
                        href={fixTarget(blocker, gate, canAct, t).href}
                        variant="body2"
                        onClick={(event: MouseEvent) => {
                          const id = fixTarget(
                            blocker,
                            gate,
                            canAct,
                            t,
                          ).href.slice(1);
                          if (focusById(id)) event.preventDefault();
                        }}
                      >
                        {fixTarget(blocker, gate, canAct, t).label}
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
