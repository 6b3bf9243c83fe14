import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  ApprovalRequest,
  AuditEntry,
  CalendarQuery,
  CalendarResponse,
  CaughtQuery,
  CaughtResponse,
  DebriefRequest,
  ItemInsightsQuery,
  ItemInsightsResponse,
  DebriefResponse,
  EvidenceSourcesResponse,
  GateDebrief,
  PortfolioLearning,
  PortfolioLearningQuery,
  ChecklistItemDefinition,
  DecisionRequest,
  EntityReadiness,
  EntityRollup,
  GateTemplate,
  GateWindowExceptions,
  GateWithEvaluation,
  ItemUpdate,
  MetricsQuery,
  MetricsResponse,
  OpenGateRequest,
  PlannedTimeRequest,
  ReleaseManifestRequest,
  FacilitatorRequest,
  PortfolioQuery,
  PortfolioResponse,
  ReleaseWindow,
  ReleaseWindowEdit,
  ReleaseWindowRetirement,
  ReleaseWindowWithHistory,
  ReleaseWindowWithNext,
  RiskUpdate,
  SystemRollup,
  VoteRequest,
  WindowExceptionAsk,
  WindowExceptionRejection,
  WindowExceptionRequest,
  WindowExceptionRequestRecord,
  WindowsQuery,
} from '@release-readiness/plugin-common';
import { ReleaseReadinessApi } from './ReleaseReadinessApi';

function entityPath(entity: CompoundEntityRef): string {
  return [entity.kind, entity.namespace, entity.name]
    .map(part => encodeURIComponent(part))
    .join('/');
}

/**
 * {@link ReleaseReadinessApi} over HTTP, with the signed-in user's token.
 *
 * @public
 */
export class ReleaseReadinessClient implements ReleaseReadinessApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getEntityReadiness(entity: CompoundEntityRef): Promise<EntityReadiness> {
    return this.request(`/entities/${entityPath(entity)}`);
  }

  getEntityRollup(
    entity: CompoundEntityRef,
    release?: string,
  ): Promise<EntityRollup> {
    const query = release ? `?release=${encodeURIComponent(release)}` : '';
    return this.request(`/entities/${entityPath(entity)}/rollup${query}`);
  }

  getGate(gateId: string): Promise<GateWithEvaluation> {
    return this.request(`/gates/${encodeURIComponent(gateId)}`);
  }

  openGate(
    entity: CompoundEntityRef,
    request: OpenGateRequest,
  ): Promise<GateWithEvaluation> {
    return this.send('POST', `/entities/${entityPath(entity)}/gates`, request);
  }

  async addServiceItem(
    entity: CompoundEntityRef,
    item: ChecklistItemDefinition,
  ): Promise<void> {
    await this.send('POST', `/entities/${entityPath(entity)}/items`, item);
  }

  updateItem(
    gateId: string,
    itemId: string,
    request: ItemUpdate,
  ): Promise<GateWithEvaluation> {
    return this.send(
      'PATCH',
      `/gates/${encodeURIComponent(gateId)}/items/${encodeURIComponent(
        itemId,
      )}`,
      request,
    );
  }

  vote(gateId: string, request: VoteRequest): Promise<GateWithEvaluation> {
    return this.send(
      'POST',
      `/gates/${encodeURIComponent(gateId)}/signoffs`,
      request,
    );
  }

  updateRisk(gateId: string, request: RiskUpdate): Promise<GateWithEvaluation> {
    return this.send(
      'PUT',
      `/gates/${encodeURIComponent(gateId)}/risk`,
      request,
    );
  }

  decide(
    gateId: string,
    request: DecisionRequest,
  ): Promise<GateWithEvaluation> {
    return this.send(
      'POST',
      `/gates/${encodeURIComponent(gateId)}/decision`,
      request,
    );
  }

  approveWindowException(
    gateId: string,
    request: WindowExceptionRequest,
  ): Promise<GateWithEvaluation> {
    return this.send(
      'POST',
      `/gates/${encodeURIComponent(gateId)}/window-exception`,
      request,
    );
  }

  approveTemplate(
    gateId: string,
    request: ApprovalRequest,
  ): Promise<GateWithEvaluation> {
    return this.send(
      'POST',
      `/gates/${encodeURIComponent(gateId)}/template-approval`,
      request,
    );
  }

  approveWaiver(
    gateId: string,
    itemId: string,
    request: ApprovalRequest,
  ): Promise<GateWithEvaluation> {
    return this.send(
      'POST',
      `/gates/${encodeURIComponent(gateId)}/items/${encodeURIComponent(
        itemId,
      )}/waiver-approval`,
      request,
    );
  }

  setPlannedTime(
    gateId: string,
    request: PlannedTimeRequest,
  ): Promise<GateWithEvaluation> {
    return this.send(
      'PATCH',
      `/gates/${encodeURIComponent(gateId)}/planned`,
      request,
    );
  }

  setFacilitator(
    gateId: string,
    request: FacilitatorRequest,
  ): Promise<GateWithEvaluation> {
    return this.send(
      'PUT',
      `/gates/${encodeURIComponent(gateId)}/facilitator`,
      request,
    );
  }

  getEvidenceSources(gateId: string): Promise<EvidenceSourcesResponse> {
    return this.request(
      `/gates/${encodeURIComponent(gateId)}/evidence/sources`,
    );
  }

  refreshEvidence(gateId: string): Promise<EvidenceSourcesResponse> {
    return this.send(
      'POST',
      `/gates/${encodeURIComponent(gateId)}/evidence/refresh`,
      {},
    );
  }

  getDebrief(gateId: string): Promise<DebriefResponse> {
    return this.request(`/gates/${encodeURIComponent(gateId)}/debrief`);
  }

  putDebrief(gateId: string, request: DebriefRequest): Promise<GateDebrief> {
    return this.send(
      'PUT',
      `/gates/${encodeURIComponent(gateId)}/debrief`,
      request,
    );
  }

  setReleaseManifest(
    gateId: string,
    request: ReleaseManifestRequest,
  ): Promise<GateWithEvaluation> {
    return this.send(
      'PUT',
      `/gates/${encodeURIComponent(gateId)}/manifest`,
      request,
    );
  }

  async getAudit(gateId: string): Promise<AuditEntry[]> {
    const { items } = await this.request<{ items: AuditEntry[] }>(
      `/gates/${encodeURIComponent(gateId)}/audit`,
    );
    return items;
  }

  async getDossierMarkdown(gateId: string): Promise<string> {
    const response = await this.fetch(
      `/gates/${encodeURIComponent(gateId)}/dossier?format=md`,
    );
    return response.text();
  }

  async getTemplateReviewMarkdown(templateName: string): Promise<string> {
    const response = await this.fetch(
      `/templates/${encodeURIComponent(templateName)}/review?format=md`,
    );
    return response.text();
  }

  async listTemplates(): Promise<GateTemplate[]> {
    const { items } = await this.request<{ items: GateTemplate[] }>(
      '/templates',
    );
    return items;
  }

  async listWindows(query?: WindowsQuery): Promise<ReleaseWindowWithNext[]> {
    const search = query?.entityRef
      ? `?${new URLSearchParams({ entityRef: query.entityRef })}`
      : '';
    const { items } = await this.request<{ items: ReleaseWindowWithNext[] }>(
      `/windows${search}`,
    );
    return items;
  }

  getWindow(windowId: string): Promise<ReleaseWindowWithHistory> {
    return this.request(`/windows/${encodeURIComponent(windowId)}`);
  }

  editWindow(
    windowId: string,
    edit: ReleaseWindowEdit,
  ): Promise<ReleaseWindow> {
    return this.send('PUT', `/windows/${encodeURIComponent(windowId)}`, edit);
  }

  retireWindow(
    windowId: string,
    retirement: ReleaseWindowRetirement,
  ): Promise<ReleaseWindow> {
    return this.send(
      'POST',
      `/windows/${encodeURIComponent(windowId)}/retire`,
      retirement,
    );
  }

  getWindowExceptions(gateId: string): Promise<GateWindowExceptions> {
    return this.request(
      `/gates/${encodeURIComponent(gateId)}/window-exceptions`,
    );
  }

  requestWindowException(
    gateId: string,
    ask: WindowExceptionAsk,
  ): Promise<{
    request: WindowExceptionRequestRecord;
    gate: GateWithEvaluation;
  }> {
    return this.send(
      'POST',
      `/gates/${encodeURIComponent(gateId)}/window-exception-requests`,
      ask,
    );
  }

  rejectWindowException(
    gateId: string,
    requestId: string,
    rejection: WindowExceptionRejection,
  ): Promise<{
    request: WindowExceptionRequestRecord;
    gate: GateWithEvaluation;
  }> {
    return this.send(
      'POST',
      `/gates/${encodeURIComponent(
        gateId,
      )}/window-exception-requests/${encodeURIComponent(requestId)}/reject`,
      rejection,
    );
  }

  getPortfolio(query: PortfolioQuery): Promise<PortfolioResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    return this.request(`/portfolio${search ? `?${search}` : ''}`);
  }

  getMetrics(query: MetricsQuery): Promise<MetricsResponse> {
    // URLSearchParams encodes the `+` of a time zone offset, which a query
    // string would otherwise read as a space.
    const params = new URLSearchParams();
    const keys = [
      'groupBy',
      'period',
      'owner',
      'system',
      'tier',
      'from',
      'to',
    ] as const;
    for (const key of keys) {
      const value = query[key];
      if (value) {
        params.set(key, value);
      }
    }
    if (query.limit !== undefined) {
      params.set('limit', String(query.limit));
    }
    const search = params.toString();
    return this.request(`/metrics${search ? `?${search}` : ''}`);
  }

  async getSystemRollups(): Promise<SystemRollup[]> {
    const { items } = await this.request<{ items: SystemRollup[] }>(
      '/portfolio/systems',
    );
    return items;
  }

  getCalendar(query: CalendarQuery = {}): Promise<CalendarResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    return this.request(`/portfolio/calendar${search ? `?${search}` : ''}`);
  }

  getCaughtReleases(query: CaughtQuery = {}): Promise<CaughtResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') {
        params.set(key, String(value));
      }
    }
    const search = params.toString();
    return this.request(`/portfolio/caught${search ? `?${search}` : ''}`);
  }

  getLearning(query: PortfolioLearningQuery = {}): Promise<PortfolioLearning> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value) params.set(key, String(value));
    }
    const search = params.toString();
    return this.request(`/portfolio/learning${search ? `?${search}` : ''}`);
  }

  getItemInsights(
    query: ItemInsightsQuery = {},
  ): Promise<ItemInsightsResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    const search = params.toString();
    return this.request(`/insights/items${search ? `?${search}` : ''}`);
  }

  private send<T>(method: string, path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('release-readiness');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.fetch(path, init)).json()) as T;
  }
}
