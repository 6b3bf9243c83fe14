import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { InfoCard } from '@backstage/core-components';
import {
  BackstageUserIdentity,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import Alert from '@material-ui/lab/Alert';
import {
  GateWithEvaluation,
  ineligibleVoterMessage,
  isEligibleVoter,
  isGateEditable,
  RoleResult,
  SignoffRole,
  SignoffVote,
  voteNotCountingReason,
  voteWouldNotCount,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { focusSoon } from '../shared/focus';
import { errorMessage } from '../shared/errors';
import { formatTime, stateInSentence } from '../shared/format';
import { PersonName } from '../shared/PersonName';
import { TextWithNames } from '../shared/TextWithNames';
import { EligiblePeople } from './EligiblePeople';
import { useReleaseReadinessTranslation } from '../../translation';

/** Props of {@link Signoffs}. @public */
export interface SignoffsProps {
  gate: GateWithEvaluation;
  /** Refs of the entity's gate owners (users and groups). */
  gateOwners: string[];
  onChange(gate: GateWithEvaluation): void;
}

function VoteLine({
  vote,
  stale,
  notCounting,
}: {
  vote: SignoffVote;
  stale: boolean;
  /** Why this vote does not count, when it does not (and is not just stale). */
  notCounting?: string;
}) {
  const { t } = useReleaseReadinessTranslation();
  const verdict =
    vote.verdict === 'ready' ? t('signoffs.ready') : t('signoffs.notReady');
  return (
    <li>
      <Typography variant="body2" component="span">
        {t('signoffs.voted', {
          voter: (
            <strong>
              <PersonName entityRef={vote.voter} />
            </strong>
          ),
          verdict: <strong>{verdict}</strong>,
          at: <time dateTime={vote.at}>{formatTime(vote.at)}</time>,
        })}
        {stale && !vote.supersededAt && (
          <>
            {' '}
            <Box component="span" fontWeight="bold" color="warning.dark">
              {t('signoffs.stale')}
            </Box>
          </>
        )}
        {notCounting && !stale && (
          <>
            {' '}
            <Box
              component="span"
              fontWeight="bold"
              color="error.dark"
              data-testid="vote-not-counting"
            >
              {t('signoffs.notCounting', { reason: notCounting })}
            </Box>
          </>
        )}
        {vote.supersededAt && (
          <>
            {' '}
            {t('signoffs.superseded', {
              at: (
                <time dateTime={vote.supersededAt}>
                  {formatTime(vote.supersededAt)}
                </time>
              ),
            })}
          </>
        )}
      </Typography>
      {vote.comment && (
        <Typography variant="body2" color="textSecondary" component="p">
          {vote.verdict === 'not-ready'
            ? t('signoffs.whatIsMissing', { comment: vote.comment })
            : t('signoffs.comment', { comment: vote.comment })}
        </Typography>
      )}
    </li>
  );
}

function VoteForm({
  gate,
  role,
  myVote,
  wouldNotCount,
  onChange,
}: {
  gate: GateWithEvaluation;
  role: SignoffRole;
  myVote?: SignoffVote;
  /** Why the person's Ready vote would not count (-common's voteWouldNotCount). */
  wouldNotCount?: string;
  onChange(gate: GateWithEvaluation): void;
}) {
  const { t } = useReleaseReadinessTranslation();
  const api = useApi(releaseReadinessApiRef);
  const [comment, setComment] = useState('');
  const [missingComment, setMissingComment] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const fieldId = `signoff-comment-${role.id}`;
  const warningId = `signoff-warning-${role.id}`;
  const buttonId = (verdict: 'ready' | 'not-ready') =>
    `signoff-${role.id}-${verdict}`;

  const vote = async (verdict: 'ready' | 'not-ready') => {
    const text = comment.trim();
    if (verdict === 'not-ready' && !text) {
      setMissingComment(true);
      // Where the missing comment goes.
      focusSoon(fieldId);
      return;
    }
    setMissingComment(false);
    setError(undefined);
    setBusy(true);
    try {
      const updated = await api.vote(gate.id, {
        role: role.id,
        verdict,
        ...(text ? { comment: text } : {}),
      });
      setComment('');
      onChange(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      // The buttons were disabled while the vote was sent, which dropped
      // focus: it goes back to the button pressed.
      focusSoon(buttonId(verdict));
    }
  };

  return (
    <Box mt={1}>
      {myVote && (
        <Typography variant="body2" paragraph>
          {t('signoffs.yourVote', {
            verdict:
              myVote.verdict === 'ready'
                ? t('signoffs.ready')
                : t('signoffs.notReady'),
          })}
        </Typography>
      )}
      <TextField
        id={fieldId}
        label={t('signoffs.commentFor', { role: role.title })}
        helperText={
          missingComment
            ? t('signoffs.commentMissing')
            : t('signoffs.commentHelp')
        }
        error={missingComment}
        value={comment}
        onChange={e => {
          setComment(e.target.value);
          if (e.target.value.trim()) {
            setMissingComment(false);
          }
        }}
        multiline
        minRows={2}
        fullWidth
        variant="outlined"
        size="small"
        disabled={busy}
      />
      <Box mt={1} display="flex" style={{ gap: 8 }}>
        <Button
          id={buttonId('ready')}
          variant="contained"
          color="primary"
          disabled={busy}
          onClick={() => vote('ready')}
          aria-describedby={wouldNotCount ? warningId : undefined}
        >
          {wouldNotCount
            ? t('signoffs.readyWillNotCount')
            : t('signoffs.ready')}
        </Button>
        <Button
          id={buttonId('not-ready')}
          variant="outlined"
          disabled={busy}
          onClick={() => vote('not-ready')}
        >
          {t('signoffs.notReady')}
        </Button>
      </Box>
      {wouldNotCount && (
        <Box mt={1}>
          <Alert severity="warning" id={warningId}>
            {wouldNotCount}
          </Alert>
        </Box>
      )}
      {error && (
        <Box mt={1}>
          <Alert severity="error">{error}</Alert>
        </Box>
      )}
    </Box>
  );
}

function RoleSection({
  gate,
  role,
  result,
  identity,
  gateOwners,
  onChange,
}: {
  gate: GateWithEvaluation;
  role: SignoffRole;
  result?: RoleResult;
  identity?: BackstageUserIdentity;
  gateOwners: string[];
  onChange(gate: GateWithEvaluation): void;
}) {
  const { t } = useReleaseReadinessTranslation();
  const votes = gate.votes.filter(v => v.role === role.id);
  const live = votes.filter(v => !v.supersededAt);
  const superseded = votes.filter(v => v.supersededAt);
  const staleVoters = new Set(result?.staleVoters ?? []);
  const isStale = (vote: SignoffVote) =>
    staleVoters.has(vote.voter) ||
    vote.checklistRevision < gate.checklistRevision;
  const ready = result?.readyVoters.length ?? 0;
  const min = result?.min ?? role.min;
  const met = result?.met ?? ready >= min;
  const headingId = `signoff-role-${role.id}`;
  const open = isGateEditable(gate.state);
  const eligible = identity
    ? isEligibleVoter(role, identity, gateOwners)
    : false;
  const selfApproval = gate.signoffSelfApproval ?? true;
  const wouldNotCount =
    identity && eligible
      ? voteWouldNotCount(role, identity, gate, gateOwners, selfApproval)
      : undefined;
  const myVote = identity
    ? live.find(
        v =>
          v.voter.toLocaleLowerCase('en-US') ===
          identity.userEntityRef.toLocaleLowerCase('en-US'),
      )
    : undefined;

  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      mb={3}
      pb={2}
      borderBottom={1}
      borderColor="divider"
    >
      <Typography variant="h6" component="h3" id={headingId}>
        {role.title}
      </Typography>
      <EligiblePeople role={role} gateOwners={gateOwners} />
      <Typography variant="body2">
        {met
          ? t('signoffs.quorumMet', { ready: String(ready), min: String(min) })
          : t('signoffs.quorumNotMet', {
              ready: String(ready),
              min: String(min),
            })}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, min > 0 ? (ready / min) * 100 : 100)}
        aria-label={t('signoffs.quorumLabel', {
          role: role.title,
          ready: String(ready),
          min: String(min),
        })}
      />
      {live.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {t('signoffs.noVotes')}
        </Typography>
      ) : (
        <ul aria-label={t('signoffs.votesFor', { role: role.title })}>
          {live.map(vote => {
            const notCounting = voteNotCountingReason(
              vote,
              result,
              gate,
              selfApproval,
            );
            return (
              <VoteLine
                key={vote.id}
                vote={vote}
                stale={isStale(vote)}
                {...(notCounting ? { notCounting } : {})}
              />
            );
          })}
        </ul>
      )}
      {superseded.length > 0 && (
        <Accordion elevation={0} variant="outlined">
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-controls={`${headingId}-history`}
            id={`${headingId}-history-summary`}
          >
            <Typography variant="body2">
              {t('signoffs.history', { count: superseded.length })}
            </Typography>
          </AccordionSummary>
          <AccordionDetails id={`${headingId}-history`}>
            <ul aria-label={t('signoffs.supersededFor', { role: role.title })}>
              {superseded.map(vote => (
                <VoteLine key={vote.id} vote={vote} stale={false} />
              ))}
            </ul>
          </AccordionDetails>
        </Accordion>
      )}
      {open && identity && eligible && (
        <VoteForm
          gate={gate}
          role={role}
          myVote={myVote}
          {...(wouldNotCount ? { wouldNotCount } : {})}
          onChange={onChange}
        />
      )}
      {open && identity && !eligible && (
        <Typography variant="body2" color="textSecondary">
          <TextWithNames text={ineligibleVoterMessage(role, gateOwners)} />
        </Typography>
      )}
    </Box>
  );
}

/**
 * The sign-offs of a gate: per role the quorum, the votes and their history,
 * and a vote form for the eligible signed-in user.
 *
 * @public
 */
export function Signoffs(props: SignoffsProps) {
  const { t } = useReleaseReadinessTranslation();
  const { gate, gateOwners, onChange } = props;
  const identityApi = useApi(identityApiRef);
  const { value: identity, error: identityError } = useAsync(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );

  const roles: SignoffRole[] = gate.signoffRoles.length
    ? gate.signoffRoles
    : gate.evaluation.roles.map(r => ({
        id: r.role,
        title: r.title,
        min: r.min,
        eligible: {},
      }));
  const open = isGateEditable(gate.state);

  return (
    <div id="signoffs">
      <InfoCard title={t('signoffs.title')}>
        {!open && (
          <Alert severity="info">
            {t('signoffs.closed', { state: stateInSentence(gate.state, t) })}
          </Alert>
        )}
        {identityError && (
          <Alert severity="warning">
            {t('signoffs.identityError', { message: identityError.message })}
          </Alert>
        )}
        {roles.length === 0 && (
          <Typography variant="body2">{t('signoffs.noRoles')}</Typography>
        )}
        {roles.map(role => (
          <RoleSection
            key={role.id}
            gate={gate}
            role={role}
            result={gate.evaluation.roles.find(r => r.role === role.id)}
            identity={identity}
            gateOwners={gateOwners}
            onChange={onChange}
          />
        ))}
      </InfoCard>
    </div>
  );
}
