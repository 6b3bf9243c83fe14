import { Decision, ReadinessApiClient, sleep as realSleep } from '../client';
import { ApiUnavailableError, EXIT_ERROR, EXIT_NO, EXIT_OK } from '../errors';
import { formatDuration } from '../durations';
import type { Output } from '../output';

export interface GateCheckOptions {
  entity: string;
  release: string;
  wait: boolean;
  timeoutMs: number;
  intervalMs: number;
  json: boolean;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: realSleep };

/** GO and NO-GO are decisions; IN PROGRESS is not one yet. */
const isDecided = (decision: Decision) =>
  decision.verdict === 'GO' || decision.verdict === 'NO-GO';

/**
 * The verdict and score on one line, then each blocker on its own line; for
 * a GO that no longer holds, the server's sentence saying when it was
 * recorded and what lapsed (which names the blockers) instead.
 */
export function formatDecision(decision: Decision): string[] {
  const lines = [
    `${decision.verdict}: ${decision.entityRef} release ${decision.release}, score ${decision.score}`,
  ];
  if (decision.goHold && !decision.goHold.holds) {
    lines.push(decision.goHold.message);
    return lines;
  }
  for (const blocker of decision.blockers) {
    lines.push(`- ${blocker}`);
  }
  return lines;
}

function report(decision: Decision, options: GateCheckOptions, out: Output) {
  if (options.json) {
    out.stdout(JSON.stringify(decision, null, 2));
  } else {
    formatDecision(decision).forEach(line => out.stdout(line));
  }
  return decision.verdict === 'GO' ? EXIT_OK : EXIT_NO;
}

/**
 * `gate check`: asks for the decision once, or with `--wait` until it is GO
 * or NO-GO or the timeout passes. While waiting, a server that stays
 * unreachable through one request's retries does not end the wait; the next
 * poll tries again.
 */
export async function gateCheck(
  client: ReadinessApiClient,
  options: GateCheckOptions,
  out: Output,
  clock: Clock = realClock,
): Promise<number> {
  if (!options.wait) {
    return report(
      await client.getDecision(options.entity, options.release),
      options,
      out,
    );
  }

  const started = clock.now();
  const deadline = started + options.timeoutMs;
  let last: Decision | undefined;
  let lastError: ApiUnavailableError | undefined;
  for (;;) {
    try {
      last = await client.getDecision(options.entity, options.release);
      lastError = undefined;
      if (isDecided(last)) return report(last, options, out);
    } catch (error) {
      if (!(error instanceof ApiUnavailableError)) throw error;
      lastError = error;
      out.stderr(`warning: ${error.message}`);
    }

    const remaining = deadline - clock.now();
    if (remaining <= 0) break;
    const next = Math.min(options.intervalMs, remaining);
    if (last && !lastError) {
      out.stderr(
        `${last.verdict}, score ${last.score}, ${last.blockers.length} ${
          last.blockers.length === 1 ? 'blocker' : 'blockers'
        }; checking again in ${formatDuration(next)} (${formatDuration(
          remaining,
        )} left)`,
      );
    } else {
      out.stderr(`checking again in ${formatDuration(next)}`);
    }
    await clock.sleep(next);
  }

  const waited = formatDuration(clock.now() - started);
  if (!last) {
    out.stderr(`error: no answer from the server in ${waited}`);
    return EXIT_ERROR;
  }
  out.stderr(
    `No decision after ${waited}; the last answer${
      lastError ? ' received' : ''
    } was ${last.verdict}`,
  );
  return report(last, options, out);
}
