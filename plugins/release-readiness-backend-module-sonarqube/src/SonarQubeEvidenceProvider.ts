import { Config } from '@backstage/config';
import {
  CollectedEvidence,
  EvidenceCollectionRequest,
  EvidenceProvider,
} from '@release-readiness/plugin-node';

/**
 * The annotation of the community SonarQube plugin: `[instance/]projectKey`.
 *
 * @public
 */
export const SONARQUBE_PROJECT_KEY_ANNOTATION = 'sonarqube.org/project-key';

const DEFAULT_METRIC_KEYS = [
  'coverage',
  'bugs',
  'vulnerabilities',
  'code_smells',
  'security_hotspots',
  'duplicated_lines_density',
];

/**
 * What the provider needs of `releaseReadiness.sonarqube`.
 *
 * @public
 */
export interface SonarQubeSettings {
  baseUrl: string;
  token?: string;
  evidenceType: string;
  metricKeys: string[];
}

/**
 * Reads `releaseReadiness.sonarqube`; undefined when it is not configured.
 *
 * @public
 */
export function readSonarQubeSettings(
  config: Config,
): SonarQubeSettings | undefined {
  const section = config.getOptionalConfig('releaseReadiness.sonarqube');
  if (!section) return undefined;
  const baseUrl = section.getString('baseUrl').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new Error(
      `releaseReadiness.sonarqube.baseUrl must be an http(s) URL, got '${baseUrl}'`,
    );
  }
  const token = section.getOptionalString('token');
  return {
    baseUrl,
    ...(token ? { token } : {}),
    evidenceType:
      section.getOptionalString('evidenceType') ?? 'static-analysis',
    metricKeys:
      section.getOptionalStringArray('metricKeys') ?? DEFAULT_METRIC_KEYS,
  };
}

/** One analysis, as `api/project_analyses/search` lists it. */
interface Analysis {
  key: string;
  date: string;
  projectVersion?: string;
  revision?: string;
}

interface ProjectStatus {
  status: 'OK' | 'WARN' | 'ERROR' | 'NONE';
  conditions?: Array<{
    status: string;
    metricKey: string;
    actualValue?: string;
  }>;
}

/** A number when SonarQube's value is one, else the text. */
function valueOf(text: string): number | string {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}

/** ISO 8601 in UTC; SonarQube writes offsets such as `+0100`. */
function isoOf(date: string): string {
  const withColon = date.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const parsed = new Date(withColon);
  if (Number.isNaN(parsed.getTime())) {
    throw new Error(`SonarQube gave an analysis date that is no date: ${date}`);
  }
  return parsed.toISOString();
}

/**
 * Evidence from SonarQube: for an entity with the
 * `sonarqube.org/project-key` annotation, the analysis of the release's
 * commit (or, when the gate knows no commit, the newest analysis whose
 * project version is the release), its quality gate status and conditions
 * and the configured measures at that analysis, as one fact of the
 * configured type. Its run id is the analysis key, so an analysis is stored
 * once however often it is collected.
 *
 * @public
 */
export class SonarQubeEvidenceProvider implements EvidenceProvider {
  readonly id = 'sonarqube';
  readonly title = 'SonarQube';
  readonly types: string[];

  constructor(private readonly settings: SonarQubeSettings) {
    this.types = [settings.evidenceType];
  }

  /** "quality gate of the release's analysis". */
  describe(type: string): string | undefined {
    return type === this.settings.evidenceType
      ? "quality gate of the release's analysis"
      : undefined;
  }

  private async get<T>(
    path: string,
    query: Record<string, string>,
    signal: AbortSignal,
  ): Promise<T> {
    const url = `${this.settings.baseUrl}${path}?${new URLSearchParams(query)}`;
    const response = await fetch(url, {
      signal,
      headers: {
        Accept: 'application/json',
        ...(this.settings.token
          ? { Authorization: `Bearer ${this.settings.token}` }
          : {}),
      },
    });
    if (!response.ok) {
      throw new Error(
        `SonarQube answered ${response.status} ${response.statusText} to ${path}`,
      );
    }
    return (await response.json()) as T;
  }

  async collect(
    request: EvidenceCollectionRequest,
  ): Promise<CollectedEvidence[]> {
    const annotation =
      request.entity.metadata.annotations?.[SONARQUBE_PROJECT_KEY_ANNOTATION];
    if (!annotation || !request.types.includes(this.settings.evidenceType)) {
      return [];
    }
    // `instance/key`: this provider talks to one server, the configured one.
    const projectKey = annotation.slice(annotation.lastIndexOf('/') + 1);
    const { signal } = request;
    const { analyses } = await this.get<{ analyses: Analysis[] }>(
      '/api/project_analyses/search',
      { project: projectKey, ps: '100' },
      signal,
    );
    const analysis = request.commit
      ? analyses.find(a => a.revision === request.commit)
      : analyses.find(a => a.projectVersion === request.release);
    if (!analysis) {
      throw new Error(
        request.commit
          ? `SonarQube has no analysis of commit ${request.commit} in project ${projectKey}`
          : `SonarQube has no analysis of version ${request.release} in project ${projectKey}`,
      );
    }
    const [{ projectStatus }, history] = await Promise.all([
      this.get<{ projectStatus: ProjectStatus }>(
        '/api/qualitygates/project_status',
        { analysisId: analysis.key },
        signal,
      ),
      this.get<{
        measures: Array<{
          metric: string;
          history: Array<{ date: string; value?: string }>;
        }>;
      }>(
        '/api/measures/search_history',
        {
          component: projectKey,
          metrics: this.settings.metricKeys.join(','),
          from: analysis.date,
          to: analysis.date,
        },
        signal,
      ),
    ]);
    const metrics: Record<string, number | boolean | string> = {};
    for (const measure of history.measures ?? []) {
      const at = measure.history.find(
        h => h.value !== undefined && isoOf(h.date) === isoOf(analysis.date),
      );
      if (at?.value !== undefined) metrics[measure.metric] = valueOf(at.value);
    }
    for (const condition of projectStatus.conditions ?? []) {
      if (condition.actualValue !== undefined) {
        metrics[condition.metricKey] = valueOf(condition.actualValue);
      }
    }
    metrics.qualityGate = projectStatus.status;
    metrics.passed = projectStatus.status === 'OK';
    const statusOf: Record<
      ProjectStatus['status'],
      CollectedEvidence['status']
    > = { OK: 'passed', WARN: 'passed', ERROR: 'failed', NONE: 'unknown' };
    return [
      {
        type: this.settings.evidenceType,
        status: statusOf[projectStatus.status] ?? 'unknown',
        metrics,
        link: `${this.settings.baseUrl}/dashboard?id=${encodeURIComponent(
          projectKey,
        )}`,
        ...(analysis.revision ? { commit: analysis.revision } : {}),
        runId: `sonarqube:${analysis.key}`,
        observedAt: isoOf(analysis.date),
      },
    ];
  }
}
