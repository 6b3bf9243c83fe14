import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  Gate,
  GateDecision,
  ReleaseWindow,
  SignoffVote,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';
import { NotificationClaimStore, OverdueFollowUp } from '../database';
import {
  ExceptionRequestNotice,
  notifyExceptionRequested,
} from './exceptionRequests';
import { PeopleDirectory } from './people';
import { SignoffRequest } from './signoffRequests';

/**
 * The topics of the plugin's notifications, one per kind, so that a person
 * can mute a kind in Backstage's notification settings and keep the others.
 * They are the `topic` of each notification's payload and stable: settings
 * people saved refer to them (the backend README lists them). A sign-off
 * digest has the sign-off topic, so muting sign-offs mutes digests too.
 */
export const NOTIFICATION_TOPICS = {
  signoff: 'Sign-off needed',
  notReady: 'Not-ready votes',
  decision: 'Decisions',
  staleEvidence: 'Stale evidence',
  freeze: 'Freezes ahead',
  exceptionRequest: 'Exception requests',
  exceptionDecision: 'Exception decisions',
  followUpOverdue: 'Overdue follow-ups',
} as const;

/** The page listing the gates, where a digest sends its reader. */
export const PORTFOLIO_LINK = '/release-readiness';

type Topic = (typeof NOTIFICATION_TOPICS)[keyof typeof NOTIFICATION_TOPICS];

/** The Readiness tab of an entity, as a link inside Backstage. */
export function readinessLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${namespace}/${kind}/${name}/readiness`;
}

/** How long notification work may run before it is logged and let go. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Tells the people who must act, through Backstage's notifications: the
 * eligible voters of a role once a gate is ready for their sign-off (see
 * signoffRequests.ts), gate owners when a vote turns Not ready or a decision
 * is recorded, and owners of services planned inside a freeze that is about
 * to start. Each kind has its own topic (NOTIFICATION_TOPICS).
 *
 * A failure to notify is logged, never turned into a failure of the change
 * that caused it; and routes hand their notifications to {@link later}, so
 * that neither a slow notification service nor the catalog lookup of whom to
 * tell delays the answer to a change that has already been committed.
 */
export class ReadinessNotifier {
  private readonly pending = new Set<Promise<void>>();
  private readonly timeoutMs: number;

  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
    private readonly options: {
      timeoutMs?: number;
      /** Who is in a group (exception approvers are told person by person). */
      people?: PeopleDirectory;
      /** Claims that make a notification go out once across replicas. */
      claims?: NotificationClaimStore;
    } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * The hand-over point of the exception-request flow: call it once a gate
   * owner's request for an exception to a window has committed. In the
   * background, exactly the window's approvers (less the requester) are
   * told, once per request id (see notifyExceptionRequested).
   */
  exceptionRequestCommitted(
    window: Pick<ReleaseWindow, 'id' | 'name' | 'approvers'>,
    gate: Gate,
    request: ExceptionRequestNotice,
  ): void {
    const { people, claims } = this.options;
    if (!people || !claims) {
      this.logger.warn(
        `Cannot tell the approvers of exception request ${request.id}: no directory of people or claims`,
      );
      return;
    }
    this.later(`the exception request ${request.id}`, async () => {
      await notifyExceptionRequested({
        window,
        gate,
        request,
        people,
        claims,
        notifier: this,
      });
    });
  }

  /**
   * Runs notification work in the background, after the current request has
   * been answered. Work that fails is logged; work that outlasts the timeout
   * is logged and no longer waited for by {@link settled}.
   */
  later(what: string, work: () => Promise<void>): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timed-out'>(resolve => {
      timer = setTimeout(() => resolve('timed-out'), this.timeoutMs);
    });
    const run: Promise<void> = Promise.race([
      // A turn of the event loop later: the answer is written first, and
      // the work's reads are not the request's.
      new Promise<void>(resolve => setImmediate(resolve))
        .then(work)
        .then(() => 'done' as const),
      timedOut,
    ])
      .then(outcome => {
        if (outcome === 'timed-out') {
          this.logger.warn(
            `Notifications for ${what} did not finish within ${this.timeoutMs} ms`,
          );
        }
      })
      .catch(error => {
        this.logger.warn(`Could not notify for ${what}: ${error}`);
      })
      .finally(() => {
        clearTimeout(timer);
        this.pending.delete(run);
      });
    this.pending.add(run);
  }

  /** Resolves when the background work started so far has ended. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }

  private async send(
    entityRefs: string[],
    payload: {
      title: string;
      description: string;
      link: string;
      severity?: 'critical' | 'high' | 'normal' | 'low';
      scope: string;
      topic: Topic;
    },
    exclude?: string | string[],
  ) {
    const recipients = [...new Set(entityRefs)];
    if (!recipients.length) return;
    try {
      await this.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: recipients,
          ...(exclude?.length ? { excludeEntityRef: exclude } : {}),
        },
        payload: { severity: 'normal', ...payload },
      });
    } catch (error) {
      this.logger.warn(
        `Could not send notification "${payload.title}": ${error}`,
      );
    }
  }

  /**
   * A role's sign-off is due: these of its eligible voters hear it (the
   * caller claims it once per gate and role, and chooses the people: see
   * SignoffRequestSender).
   */
  async signoffNeeded(
    gate: Gate,
    request: Pick<SignoffRequest, 'role' | 'title'>,
    users: string[],
  ) {
    await this.send(users, {
      title: `Sign-off needed: ${gate.entityRef} ${gate.release}`,
      description: `Release ${gate.release} of ${gate.entityRef} is ready for the ${request.title} sign-off: its checklist, evidence and risk assessment are complete.`,
      link: readinessLink(gate.entityRef),
      scope: `gate:${gate.id}:signoff:${request.role}`,
      topic: NOTIFICATION_TOPICS.signoff,
    });
  }

  /**
   * The sign-offs a person was asked for beyond their share of single
   * requests, in one notification listing the gates.
   */
  async signoffDigest(
    user: string,
    digestId: string,
    entries: { gate: Gate; roleTitle: string }[],
  ) {
    const lines = entries.map(
      e => `${e.gate.entityRef} ${e.gate.release} (${e.roleTitle})`,
    );
    const single = entries.length === 1 ? entries[0].gate : undefined;
    await this.send([user], {
      title: `Sign-offs needed: ${entries.length} release${
        entries.length === 1 ? '' : 's'
      }`,
      description: `Ready for your sign-off: ${lines.join('; ')}.`,
      link: single ? readinessLink(single.entityRef) : PORTFOLIO_LINK,
      scope: `signoff-digest:${digestId}`,
      topic: NOTIFICATION_TOPICS.signoff,
    });
  }

  /**
   * A gate owner asked for an exception to a window: the window's approvers
   * hear it, the requester does not. Called through
   * notifyExceptionRequested (exceptionRequests.ts), which sends it once.
   */
  async exceptionRequested(
    window: Pick<ReleaseWindow, 'id' | 'name' | 'approvers'>,
    gate: Gate,
    request: { id: string; requestedBy: string; reason: string },
    approverUsers: string[],
  ) {
    await this.send(
      approverUsers,
      {
        title: `Exception requested: ${window.name}`,
        description: `${request.requestedBy} asks for an exception to ${window.name} for release ${gate.release} of ${gate.entityRef}: ${request.reason}`,
        link: readinessLink(gate.entityRef),
        severity: 'high',
        scope: `window:${window.id}:exception-request:${request.id}`,
        topic: NOTIFICATION_TOPICS.exceptionRequest,
      },
      request.requestedBy,
    );
  }

  /**
   * The hand-over point when an exception request was decided: rejected, or
   * approved by the last approver it waited for. In the background, the
   * person who asked hears it, once per request across replicas (claim
   * `exception-decision:<id>`); a request still open tells nobody.
   */
  exceptionDecisionCommitted(
    window: Pick<ReleaseWindow, 'id' | 'name'>,
    gate: Gate,
    request: WindowExceptionRequestRecord,
  ): void {
    const { claims } = this.options;
    if (request.state !== 'approved' && request.state !== 'rejected') return;
    if (!claims) {
      this.logger.warn(
        `Cannot tell the requester of exception request ${request.id} the decision: no claims`,
      );
      return;
    }
    this.later(`the decision on exception request ${request.id}`, async () => {
      const key = `exception-decision:${request.id}`;
      if (!(await claims.claimNotification({ key }))) return;
      await this.exceptionDecided(window, gate, request);
    });
  }

  /** An exception request was decided: the person who asked hears how. */
  async exceptionDecided(
    window: Pick<ReleaseWindow, 'id' | 'name'>,
    gate: Gate,
    request: WindowExceptionRequestRecord,
  ) {
    const approved = request.state === 'approved';
    const by = request.decidedBy ?? 'an approver';
    const why = request.decisionReason ? `: ${request.decisionReason}` : '';
    const release = `release ${gate.release} of ${gate.entityRef}`;
    await this.send([request.requestedBy], {
      title: `Exception ${approved ? 'approved' : 'rejected'}: ${window.name}`,
      description: approved
        ? `${by} approved the exception to ${window.name} for ${release}${why}. The window no longer blocks the gate.`
        : `${by} rejected the exception to ${window.name} for ${release}${why}. The window still blocks the gate: move the planned time or ask again.`,
      link: readinessLink(gate.entityRef),
      severity: approved ? 'normal' : 'high',
      scope: `window:${window.id}:exception-decision:${request.id}`,
      topic: NOTIFICATION_TOPICS.exceptionDecision,
    });
  }

  /** Someone voted Not ready: the gate owners hear why. */
  async voteNotReady(gate: Gate, vote: SignoffVote, ownerRefs: string[]) {
    await this.send(
      ownerRefs,
      {
        title: `Not ready: ${gate.entityRef} ${gate.release}`,
        description: `${vote.voter} voted Not ready for ${vote.role}${
          vote.comment ? `: ${vote.comment}` : ''
        }`,
        link: readinessLink(gate.entityRef),
        severity: 'high',
        scope: `gate:${gate.id}:vote:${vote.id}`,
        topic: NOTIFICATION_TOPICS.notReady,
      },
      vote.voter,
    );
  }

  /** A decision was recorded: the gate owners hear it. */
  async decisionRecorded(
    gate: Gate,
    decision: GateDecision,
    ownerRefs: string[],
  ) {
    await this.send(
      ownerRefs,
      {
        title: `${decision.verdict === 'go' ? 'GO' : 'NO-GO'}: ${
          gate.entityRef
        } ${gate.release}`,
        description: `${
          decision.by
        } recorded ${decision.verdict.toUpperCase()}: ${decision.reason}`,
        link: readinessLink(gate.entityRef),
        severity: decision.verdict === 'go' ? 'normal' : 'high',
        scope: `gate:${gate.id}:decision:${decision.id}`,
        topic: NOTIFICATION_TOPICS.decision,
      },
      decision.by,
    );
  }

  /** Evidence an open gate relied on is too old now. */
  async evidenceStale(
    gate: Gate,
    itemId: string,
    detail: string,
    ownerRefs: string[],
  ) {
    await this.send(ownerRefs, {
      title: `Evidence went stale: ${gate.entityRef} ${gate.release}`,
      description: `${itemId}: ${detail}`,
      link: readinessLink(gate.entityRef),
      scope: `gate:${gate.id}:stale:${itemId}`,
      topic: NOTIFICATION_TOPICS.staleEvidence,
    });
  }

  /** A freeze starts soon and a gate is planned inside it. */
  async freezeStarting(
    window: ReleaseWindow,
    start: Date,
    gate: Gate,
    ownerRefs: string[],
  ) {
    await this.send(ownerRefs, {
      title: `Freeze ahead: ${window.name}`,
      description: `${window.name} starts ${start.toISOString()}; release ${
        gate.release
      } of ${gate.entityRef} is planned inside it. Move it, or ask ${
        window.approvers.join(', ') || 'the window owners'
      } for an exception.`,
      link: readinessLink(gate.entityRef),
      severity: 'high',
      scope: `window:${window.id}:${start.toISOString()}:${gate.id}`,
      topic: NOTIFICATION_TOPICS.freeze,
    });
  }

  /** A follow-up action of a debrief is past its due date and not done. */
  async followUpOverdue(followUp: OverdueFollowUp) {
    await this.send([followUp.owner], {
      title: `Follow-up overdue: ${followUp.entityRef} ${followUp.release}`,
      description: `"${followUp.action}" was due ${followUp.dueDate}. Mark it done in the debrief on the Readiness tab, or give it a new due date.`,
      link: readinessLink(followUp.entityRef),
      scope: `follow-up:${followUp.id}:${followUp.dueDate}`,
      topic: NOTIFICATION_TOPICS.followUpOverdue,
    });
  }
}
