/**
 * The staff area's client for the admin API (`/api/admin/*`). Plain TypeScript over the portal's `ApiClient` (no
 * SvelteKit imports), so unit tests run it against a local HTTP server. Downloads (JSON Lines, CSV) are streamed
 * through the web server by `streamFromApi`, so the browser never holds the session token.
 */
import {
  ApiClient,
  ApiRequestError,
  type PaymentProvider,
  type PaymentsPage,
  type PaymentStatus,
  type QueryValue,
} from './api-client';
import { provisioningStateValues, type components, type operations } from './api-types.gen';

const seg = encodeURIComponent;

// ---- shapes: generated from /api/openapi.json (api-types.gen.ts) where the API documents them ----

type Schemas = components['schemas'];

export type AdminUserSummary = Schemas['AdminUserSummaryDto'];
export type AdminUserDetail = Schemas['AdminUserDetailDto'];
export type AdminOrganizationSummary = Schemas['AdminOrganizationSummaryDto'];
export type AdminOrganizationDetail = Schemas['AdminOrganizationDetailDto'];
export type WalletCreditAnswer = Schemas['WalletCreditedResponseDto'];
/** A session as the user: its token replaces the staff member's own while it lasts. */
export type ImpersonationSession = Schemas['ImpersonationSessionResponseDto'];

export type AdminPlan = Schemas['PlanDto'];
export type PlanInput = Schemas['CreatePlanRequestDto'];
export type TaxRate = Schemas['TaxRateDto'];
export type TaxRateItem = Schemas['TaxRateItemDto'];
export type FirewallPolicyView = Schemas['FirewallPolicyDto'];
export type FirewallPolicyInput = Schemas['SetFirewallRequestDto'];
export type PlanChanges = Schemas['UpdatePlanRequestDto'];

export type EventActor = Schemas['ActorDto'];
export type AdminEvent = Schemas['EventLogItemDto'];
/** The event history's query, as the API documents it (numbers are sent as text either way). */
type EventQuery = NonNullable<operations['ListEventsHttpController_list']['parameters']['query']>;
export type EventFilter = Omit<EventQuery, 'after' | 'before' | 'direction' | 'limit'>;
export type EventPageRequest = Omit<EventQuery, 'limit'> & { limit?: number };
export type EventPage = Schemas['EventLogPageDto'];
export type StreamAudit = Schemas['StreamAuditDto'];
type StreamQuery = NonNullable<operations['GetStreamHttpController_get']['parameters']['query']>;
export type StreamAt = {
  [Key in keyof StreamQuery]?: number | string;
};
export type Correlation = Schemas['CorrelationPageDto'];

export type ReconciliationSummary = Schemas['ReconciliationSummaryDto'];
export type ReconciliationLine = Schemas['ReconciliationLineDto'];
/** A run as listed (no lines); the replay runs in the background, so summary and counts are those found so far. */
export type ReconciliationListItem = Schemas['ReconciliationListItemDto'];
export type ReconciliationList = Schemas['ReconciliationListDto'];
export type Reconciliation = Schemas['ReconciliationDetailDto'];
export type ReconciliationRun = Schemas['ReconciliationRequestedDto'];
export type StartReconciliationInput = Schemas['RunReconciliationRequestDto'];
export type ResolveLineInput = Schemas['ResolveReconciliationLineRequestDto'];

export type ProvisioningState = Schemas['ProvisioningState'];
/** The states the staff page filters by: the API's enum, from the generated document. */
export const PROVISIONING_STATES = provisioningStateValues;
export type ProvisioningItem = Schemas['ProvisioningWorkflowDto'];
export type MailOutbox = Schemas['MailOutboxDto'];
export type ProvisioningPage = Schemas['ProvisioningWorkflowsResponseDto'];
export type ProvisioningAction = 'retry' | 'abort' | 'terminate' | 'first-hour-refund';
export const PROVISIONING_ACTIONS: readonly ProvisioningAction[] = [
  'retry',
  'abort',
  'terminate',
  'first-hour-refund',
];

export type ProjectionStatus = Schemas['ProjectionViewDto'];

export interface PaymentFilter {
  paymentId?: string;
  organizationId?: string;
  status?: PaymentStatus;
  provider?: PaymentProvider;
}
export type RefundInput = Schemas['RefundPaymentRequestDto'];
export type RefundAnswer = Schemas['PaymentRefundedResponseDto'];

// ---- the client ----

/** Lists may come bare or wrapped in `{ items }`; the pages always get an array. */
function itemsOf<T>(value: T[] | { items?: T[] } | null | undefined): T[] {
  if (Array.isArray(value)) return value;
  return value?.items ?? [];
}

function eventQuery(request: EventPageRequest | EventFilter): Record<string, QueryValue> {
  return { ...request } as Record<string, QueryValue>;
}

export class AdminApi {
  constructor(private readonly client: ApiClient) {}

  // tax rates
  async taxRates(): Promise<TaxRateItem[]> {
    return (await this.client.get<{ rates: TaxRateItem[] }>('/admin/tax-rates')).rates;
  }
  setTaxRates(rates: TaxRate[]): Promise<{ rates: TaxRate[]; position: string | null }> {
    return this.client.put('/admin/tax-rates', { rates });
  }

  // the default firewall policy (issue 15)
  firewallPolicy(): Promise<FirewallPolicyView> {
    return this.client.get('/admin/firewall-policy');
  }
  setFirewallPolicy(rules: FirewallPolicyInput): Promise<FirewallPolicyInput & { position: string | null }> {
    return this.client.put('/admin/firewall-policy', rules);
  }

  // directory
  async users(q: string, limit?: number): Promise<AdminUserSummary[]> {
    return itemsOf(await this.client.get<{ items: AdminUserSummary[] }>('/admin/users', { q, limit }));
  }
  user(userId: string): Promise<AdminUserDetail> {
    return this.client.get(`/admin/users/${seg(userId)}`);
  }
  async organizations(q: string, limit?: number): Promise<AdminOrganizationSummary[]> {
    return itemsOf(
      await this.client.get<{ items: AdminOrganizationSummary[] }>('/admin/organizations', { q, limit }),
    );
  }
  impersonate(userId: string, reason: string): Promise<ImpersonationSession> {
    return this.client.post(`/admin/users/${seg(userId)}/impersonate`, { reason });
  }
  organization(orgId: string): Promise<AdminOrganizationDetail> {
    return this.client.get(`/admin/organizations/${seg(orgId)}`);
  }

  /** A staff credit; the same idempotency key answers with the original credit instead of crediting twice. */
  creditWallet(
    orgId: string,
    input: { amount: string; reason: string },
    idempotencyKey: string,
  ): Promise<WalletCreditAnswer> {
    return this.client.post(`/admin/organizations/${seg(orgId)}/wallet/credits`, input, {
      'idempotency-key': idempotencyKey,
    });
  }

  // plans
  async plans(): Promise<AdminPlan[]> {
    return itemsOf(await this.client.get<AdminPlan[]>('/admin/plans'));
  }
  createPlan(input: PlanInput): Promise<AdminPlan & { position: string | null }> {
    return this.client.post('/admin/plans', input);
  }
  updatePlan(planId: string, changes: PlanChanges): Promise<AdminPlan & { position: string | null }> {
    return this.client.patch(`/admin/plans/${seg(planId)}`, changes);
  }
  /** Deactivated plans are no longer offered; existing servers keep their price. */
  setPlanActive(planId: string, active: boolean): Promise<AdminPlan & { position: string | null }> {
    return this.updatePlan(planId, { active });
  }

  // event history
  events(request: EventPageRequest): Promise<EventPage> {
    return this.client.get('/admin/events', eventQuery(request));
  }
  stream(streamId: string, at: StreamAt = {}): Promise<StreamAudit> {
    return this.client.get(`/admin/streams/${seg(streamId)}`, { ...at });
  }
  /** Every event recorded under one correlation id (one request and what it caused), oldest first. */
  correlation(correlationId: string, page: { after?: string; limit?: number } = {}): Promise<Correlation> {
    return this.client.get(`/admin/correlations/${seg(correlationId)}`, { ...page });
  }

  // billing reconciliation
  reconciliations(page: { before?: string; limit?: number } = {}): Promise<ReconciliationList> {
    return this.client.get('/admin/billing/reconciliations', { ...page });
  }
  reconciliation(id: string, kinds?: string[]): Promise<Reconciliation> {
    return this.client.get(`/admin/billing/reconciliations/${seg(id)}`, { kind: kinds?.join(',') });
  }
  /** Replays billing over [from, to) and stores the result (summary and discrepancy lines). */
  startReconciliation(input: StartReconciliationInput): Promise<ReconciliationRun> {
    return this.client.post('/admin/billing/reconciliations', input);
  }
  /** Corrects a line with a wallet adjustment (default: what the line says is off). */
  resolveLine(
    id: string,
    lineId: string,
    input: ResolveLineInput,
  ): Promise<{
    adjustmentAmount: string;
    debtRecorded: string;
    walletEventRef: string;
    balance: string;
    position: string | null;
  }> {
    return this.client.post(`/admin/billing/reconciliations/${seg(id)}/lines/${seg(lineId)}/resolve`, input);
  }

  // provisioning
  async provisioning(
    filter: { state?: ProvisioningState | null; pageToken?: string | null } = {},
  ): Promise<ProvisioningPage> {
    const answer = await this.client.get<ProvisioningPage | ProvisioningItem[]>('/admin/provisioning', {
      state: filter.state ?? undefined,
      pageToken: filter.pageToken ?? undefined,
    });
    return Array.isArray(answer)
      ? { items: answer, nextPageToken: null }
      : { ...answer, items: itemsOf(answer) };
  }
  /** Retry takes an optional reason; abort and terminate require one. */
  provisioningAction(
    vpsId: string,
    action: ProvisioningAction,
    reason?: string,
  ): Promise<{ position?: string | null } & Record<string, unknown>> {
    return this.client.post(`/admin/provisioning/${seg(vpsId)}/${action}`, reason ? { reason } : {});
  }

  // payments
  /** Every organization's payments, newest first, filtered. */
  payments(
    filter: PaymentFilter = {},
    page: { cursor?: string | null; limit?: number } = {},
  ): Promise<PaymentsPage> {
    return this.client.get('/admin/payments', {
      ...filter,
      cursor: page.cursor ?? undefined,
      limit: page.limit,
    });
  }
  /** Refunds through the provider, then debits the wallet; the same key never refunds twice. */
  refundPayment(paymentId: string, input: RefundInput, idempotencyKey: string): Promise<RefundAnswer> {
    return this.client.post(`/admin/payments/${seg(paymentId)}/refunds`, input, {
      'idempotency-key': idempotencyKey,
    });
  }

  // projections
  mailOutbox(): Promise<MailOutbox> {
    return this.client.get('/admin/mail');
  }

  async projections(): Promise<ProjectionStatus[]> {
    const answer = await this.client.get<{ projections?: ProjectionStatus[]; items?: ProjectionStatus[] }>(
      '/admin/projections',
    );
    return answer.projections ?? itemsOf(answer);
  }
  /** Replays the projection into a shadow table and swaps it in; the old rows keep answering meanwhile. */
  rebuildProjection(
    name: string,
    reason?: string,
  ): Promise<{ rebuildId: string; projection: string; status: string }> {
    return this.client.post(`/admin/projections/${seg(name)}/rebuild`, reason ? { reason } : {});
  }
}

// ---- downloads ----

export interface StreamFromApiOptions {
  baseUrl: string;
  token: string | null;
  /** Path under the API base, e.g. `/admin/events/export`. */
  path: string;
  /** Passed through as-is (repeated keys kept). */
  search?: URLSearchParams;
  fetch?: typeof fetch;
}

const PASSED_HEADERS = ['content-type', 'content-disposition', 'cache-control'];

/**
 * GETs a download from the API with the session's bearer token and answers with its body as a stream (never
 * buffered), so a large export flows straight to the browser. An API error becomes ApiRequestError, as elsewhere.
 */
export async function streamFromApi(options: StreamFromApiOptions): Promise<Response> {
  const search = options.search?.toString();
  const url = `${options.baseUrl.replace(/\/+$/, '')}${options.path}${search ? `?${search}` : ''}`;
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers });
  } catch (error) {
    throw new ApiRequestError(
      503,
      'api_unreachable',
      `The API could not be reached (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!response.ok) {
    const text = await response.text();
    let body: { error?: unknown; message?: unknown; details?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    throw new ApiRequestError(
      response.status,
      typeof body.error === 'string' ? body.error : `http_${response.status}`,
      typeof body.message === 'string' ? body.message : `The API answered ${response.status}`,
      body.details && typeof body.details === 'object' ? (body.details as Record<string, unknown>) : null,
    );
  }
  const out = new Headers();
  for (const name of PASSED_HEADERS) {
    const value = response.headers.get(name);
    if (value) out.set(name, value);
  }
  out.set('cache-control', 'no-store');
  return new Response(response.body, { status: 200, headers: out });
}
