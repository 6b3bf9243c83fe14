import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import {
  CollectedEvidence,
  EvidenceCollectionRequest,
  EvidenceProvider,
} from '@release-readiness/plugin-node';
import { createHash } from 'node:crypto';
import picomatch from 'picomatch';

/** `owner/repo` of the entity's GitHub repository. @public */
export const GITHUB_SLUG_ANNOTATION = 'github.com/project-slug';
/** `group/project` of the entity's GitLab project. @public */
export const GITLAB_SLUG_ANNOTATION = 'gitlab.com/project-slug';

/**
 * One rule of `releaseReadiness.ciChecks.rules`.
 *
 * @public
 */
export interface CiCheckRule {
  checks: string[];
  evidenceType: string;
}

/**
 * How a check on the commit stands, whatever its source.
 *
 * @public
 */
export interface CheckState {
  name: string;
  state: 'ok' | 'failed' | 'pending';
  /** When it finished (ISO 8601), for a finished check. */
  at?: string;
  link?: string;
}

/** What GitHub and GitLab say of a commit's checks. */
interface CheckSource {
  checks(request: EvidenceCollectionRequest): Promise<
    | {
        source: 'github' | 'gitlab';
        commit: string;
        checks: CheckState[];
        link: string;
      }
    | undefined
  >;
}

const GITHUB_CONCLUSIONS: Record<string, CheckState['state']> = {
  success: 'ok',
  neutral: 'ok',
  skipped: 'ok',
  failure: 'failed',
  cancelled: 'failed',
  timed_out: 'failed',
  action_required: 'failed',
  startup_failure: 'failed',
  stale: 'failed',
};

const GITLAB_STATES: Record<string, CheckState['state']> = {
  success: 'ok',
  skipped: 'ok',
  manual: 'ok',
  failed: 'failed',
  canceled: 'failed',
};

async function getJson<T>(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  what: string,
): Promise<T> {
  const response = await fetch(url, {
    signal,
    headers: { Accept: 'application/json', ...headers },
  });
  if (!response.ok) {
    throw new Error(
      `${what} answered ${response.status} ${response.statusText}`,
    );
  }
  return (await response.json()) as T;
}

/** The commit of the release: the gate's, or none (then nothing is said). */
function commitOf(request: EvidenceCollectionRequest, slug: string): string {
  if (!request.commit) {
    throw new Error(
      `No commit is known for release ${request.release} of ${slug}: post evidence with --commit once, and the checks of that commit are read`,
    );
  }
  return request.commit;
}

class GithubChecks implements CheckSource {
  constructor(
    private readonly host: string,
    private readonly apiBaseUrl: string,
    private readonly credentials: GithubCredentialsProvider,
  ) {}

  async checks(request: EvidenceCollectionRequest) {
    const slug = request.entity.metadata.annotations?.[GITHUB_SLUG_ANNOTATION];
    if (!slug) return undefined;
    const commit = commitOf(request, slug);
    const { headers } = await this.credentials.getCredentials({
      url: `https://${this.host}/${slug}`,
    });
    const base = `${this.apiBaseUrl}/repos/${slug}/commits/${encodeURIComponent(
      commit,
    )}`;
    const [runs, statuses] = await Promise.all([
      getJson<{
        check_runs: Array<{
          name: string;
          status: string;
          conclusion: string | null;
          completed_at: string | null;
          html_url?: string;
        }>;
      }>(
        `${base}/check-runs?per_page=100`,
        headers ?? {},
        request.signal,
        'GitHub',
      ),
      getJson<
        Array<{
          context: string;
          state: string;
          updated_at: string;
          target_url?: string | null;
        }>
      >(
        `${base}/statuses?per_page=100`,
        headers ?? {},
        request.signal,
        'GitHub',
      ),
    ]);
    const checks: CheckState[] = runs.check_runs.map(run => ({
      name: run.name,
      state:
        run.status === 'completed'
          ? GITHUB_CONCLUSIONS[run.conclusion ?? ''] ?? 'failed'
          : 'pending',
      ...(run.completed_at ? { at: run.completed_at } : {}),
      ...(run.html_url ? { link: run.html_url } : {}),
    }));
    // Statuses come newest first: the first of each context is its state.
    const seen = new Set<string>();
    for (const status of statuses) {
      if (seen.has(status.context)) continue;
      seen.add(status.context);
      let state: CheckState['state'] = 'failed';
      if (status.state === 'success') state = 'ok';
      else if (status.state === 'pending') state = 'pending';
      checks.push({
        name: status.context,
        state,
        ...(state !== 'pending' ? { at: status.updated_at } : {}),
        ...(status.target_url ? { link: status.target_url } : {}),
      });
    }
    return {
      source: 'github' as const,
      commit,
      checks,
      link: `https://${this.host}/${slug}/commit/${commit}`,
    };
  }
}

class GitlabChecks implements CheckSource {
  constructor(
    private readonly apiBaseUrl: string,
    private readonly token: string | undefined,
  ) {}

  async checks(request: EvidenceCollectionRequest) {
    const slug = request.entity.metadata.annotations?.[GITLAB_SLUG_ANNOTATION];
    if (!slug) return undefined;
    const commit = commitOf(request, slug);
    const headers: Record<string, string> = this.token
      ? { 'PRIVATE-TOKEN': this.token }
      : {};
    const project = `${this.apiBaseUrl}/projects/${encodeURIComponent(slug)}`;
    const pipelines = await getJson<Array<{ id: number; web_url: string }>>(
      `${project}/pipelines?sha=${encodeURIComponent(
        commit,
      )}&order_by=id&sort=desc&per_page=1`,
      headers,
      request.signal,
      'GitLab',
    );
    const [pipeline] = pipelines;
    if (!pipeline) {
      return { source: 'gitlab' as const, commit, checks: [], link: '' };
    }
    const jobs = await getJson<
      Array<{
        name: string;
        status: string;
        finished_at: string | null;
        web_url?: string;
        allow_failure?: boolean;
      }>
    >(
      `${project}/pipelines/${pipeline.id}/jobs?per_page=100&include_retried=false`,
      headers,
      request.signal,
      'GitLab',
    );
    return {
      source: 'gitlab' as const,
      commit,
      checks: jobs.map(job => {
        let state = GITLAB_STATES[job.status] ?? 'pending';
        // A job allowed to fail does not fail the pipeline, nor the item.
        if (state === 'failed' && job.allow_failure) state = 'ok';
        return {
          name: job.name,
          state,
          ...(job.finished_at ? { at: job.finished_at } : {}),
          ...(job.web_url ? { link: job.web_url } : {}),
        };
      }),
      link: pipeline.web_url,
    };
  }
}

/**
 * The fact of one rule over a commit's checks: undefined while a matching
 * check has not finished, or when none matches (nothing to say yet).
 * Failed when any matching check failed; its run id changes whenever a
 * matching check's outcome does (a re-run is a new fact), and stays the
 * same otherwise, so collecting again stores nothing new.
 *
 * @public
 */
export function factOf(
  rule: CiCheckRule,
  found: { source: string; commit: string; checks: CheckState[]; link: string },
): CollectedEvidence | undefined {
  const match = picomatch(rule.checks);
  const checks = found.checks
    .filter(c => match(c.name))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (!checks.length || checks.some(c => c.state === 'pending')) {
    return undefined;
  }
  const failed = checks.filter(c => c.state === 'failed');
  // Observed when the last of them finished (a skipped job has no time).
  const observedAt = checks
    .flatMap(c => (c.at ? [new Date(c.at).toISOString()] : []))
    .sort()
    .at(-1);
  if (!observedAt) return undefined;
  const digest = createHash('sha256')
    .update(JSON.stringify(checks.map(c => [c.name, c.state, c.at])))
    .digest('hex')
    .slice(0, 16);
  return {
    type: rule.evidenceType,
    status: failed.length ? 'failed' : 'passed',
    metrics: {
      passed: failed.length === 0,
      checks: checks.length,
      failed: failed.length,
      ...(failed.length
        ? {
            failedChecks: failed
              .map(c => c.name)
              .join(', ')
              .slice(0, 1000),
          }
        : {}),
    },
    ...(found.link
      ? { link: (failed[0]?.link ?? found.link).slice(0, 2000) }
      : {}),
    commit: found.commit,
    runId: `${found.source}:${found.commit}:${rule.evidenceType}:${digest}`,
    observedAt,
  };
}

/**
 * Evidence from the CI checks on a release's commit: for each rule of
 * `releaseReadiness.ciChecks.rules`, the checks whose names match its
 * patterns become one fact of its evidence type, from GitHub (check runs and
 * commit statuses) or GitLab (the jobs of the commit's newest pipeline).
 *
 * @public
 */
export class CiChecksEvidenceProvider implements EvidenceProvider {
  readonly id = 'ci-checks';
  readonly title = 'CI checks';
  readonly types: string[];

  private constructor(
    private readonly rules: CiCheckRule[],
    private readonly sources: CheckSource[],
  ) {
    this.types = [...new Set(rules.map(r => r.evidenceType))];
  }

  /** "checks named unit-*, integration on the release's commit". */
  describe(type: string): string | undefined {
    const names = this.rules
      .filter(r => r.evidenceType === type)
      .flatMap(r => r.checks);
    return names.length
      ? `checks named ${names.join(', ')} on the release's commit`
      : undefined;
  }

  /** From `releaseReadiness.ciChecks` and `integrations`; undefined without the former. */
  static fromConfig(
    config: Config,
    options: { githubCredentials?: GithubCredentialsProvider } = {},
  ): CiChecksEvidenceProvider | undefined {
    const section = config.getOptionalConfig('releaseReadiness.ciChecks');
    if (!section) return undefined;
    const rules = section.getConfigArray('rules').map(rule => ({
      checks: rule.getStringArray('checks'),
      evidenceType: rule.getString('evidenceType'),
    }));
    if (!rules.length) {
      throw new Error(
        'releaseReadiness.ciChecks.rules must name at least one rule',
      );
    }
    const integrations = ScmIntegrations.fromConfig(config);
    const githubHost = section.getOptionalString('githubHost') ?? 'github.com';
    const gitlabHost = section.getOptionalString('gitlabHost') ?? 'gitlab.com';
    const github = integrations.github.byHost(githubHost);
    const gitlab = integrations.gitlab.byHost(gitlabHost);
    const sources: CheckSource[] = [
      new GithubChecks(
        githubHost,
        github?.config.apiBaseUrl ?? 'https://api.github.com',
        options.githubCredentials ??
          DefaultGithubCredentialsProvider.fromIntegrations(integrations),
      ),
      new GitlabChecks(
        gitlab?.config.apiBaseUrl ?? `https://${gitlabHost}/api/v4`,
        gitlab?.config.token,
      ),
    ];
    return new CiChecksEvidenceProvider(rules, sources);
  }

  async collect(
    request: EvidenceCollectionRequest,
  ): Promise<CollectedEvidence[]> {
    const rules = this.rules.filter(r =>
      request.types.includes(r.evidenceType),
    );
    if (!rules.length) return [];
    const facts: CollectedEvidence[] = [];
    for (const source of this.sources) {
      const found = await source.checks(request);
      if (!found) continue;
      for (const rule of rules) {
        const fact = factOf(rule, found);
        if (fact) facts.push(fact);
      }
    }
    return facts;
  }
}
