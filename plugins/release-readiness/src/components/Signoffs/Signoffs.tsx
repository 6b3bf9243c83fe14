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
  return (
    <li>
      <Typography variant="body2" component="span">
        <strong>
          <PersonName entityRef={vote.voter} />
        </strong>{' '}
        voted{' '}
        <strong>{vote.verdict === 'ready' ? 'Ready' : 'Not ready'}</strong> on{' '}
        <time dateTime={vote.at}>{formatTime(vote.at)}</time>
        {stale && !vote.supersededAt && (
          <>
            {' '}
            <Box component="span" fontWeight="bold" color="warning.dark">
              (stale — re-confirm: a required checklist item changed after this
              vote)
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
              ({notCounting})
            </Box>
          </>
        )}
        {vote.supersededAt && (
          <>
            {' '}
            (superseded{' '}
            <time dateTime={vote.supersededAt}>
              {formatTime(vote.supersededAt)}
            </time>
            )
          </>
        )}
      </Typography>
      {vote.comment && (
        <Typography variant="body2" color="textSecondary" component="p">
          {vote.verdict === 'not-ready' ? 'What is missing: ' : 'Comment: '}
          {vote.comment}
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
          Your vote: {myVote.verdict === 'ready' ? 'Ready' : 'Not ready'}. A new
          vote replaces it.
        </Typography>
      )}
      <TextField
        id={fieldId}
        label={`Comment for ${role.title}`}
        helperText={
          missingComment
            ? 'A Not-ready vote needs a comment: say what is missing.'
            : 'Required for Not ready; optional for Ready.'
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
          {wouldNotCount ? 'Ready (will not count)' : 'Ready'}
        </Button>
        <Button
          id={buttonId('not-ready')}
          variant="outlined"
          disabled={busy}
          onClick={() => vote('not-ready')}
        >
          Not ready
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
        {ready} of {min} Ready · {met ? 'quorum met' : 'quorum not met'}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.min(100, min > 0 ? (ready / min) * 100 : 100)}
        aria-label={`${role.title} quorum: ${ready} of ${min} Ready`}
      />
      {live.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No votes yet.
        </Typography>
      ) : (
        <ul aria-label={`Votes for ${role.title}`}>
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
              History: {superseded.length} superseded vote
              {superseded.length === 1 ? '' : 's'}
            </Typography>
          </AccordionSummary>
          <AccordionDetails id={`${headingId}-history`}>
            <ul aria-label={`Superseded votes for ${role.title}`}>
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
      <InfoCard title="Sign-offs">
        {!open && (
          <Alert severity="info">
            Voting is closed: the gate is {stateInSentence(gate.state)}.
          </Alert>
        )}
        {identityError && (
          <Alert severity="warning">
            Could not tell who you are, so you cannot vote:{' '}
            {identityError.message}
          </Alert>
        )}
        {roles.length === 0 && (
          <Typography variant="body2">
            The template of this gate needs no sign-offs.
          </Typography>
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
