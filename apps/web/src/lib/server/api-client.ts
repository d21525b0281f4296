/**
 * The web server's client for the Stratus API. Plain TypeScript (no SvelteKit imports) so that unit tests run it
 * against a local HTTP server; `$lib/server/api.ts` binds it to the request (session cookie, API_URL).
 */
import type { components } from './api-types.gen';

/** The API's error body: `{ error, message, details }`. */
export interface ApiErrorBody {
  error: string;
  message: string;
  details?: Record<string, unknown> | null;
}

/** A non-2xx answer from the API, or the API not answering at all (status 503, error `api_unreachable`). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /** The form field the API blamed (`details.field`, or a validation error's first field), if any. */
  get field(): string | null {
    const details = this.details ?? {};
    if (typeof details.field === 'string') return details.field;
    const fields = details.fields;
    if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
      const first = Object.keys(fields)[0];
      if (first) return first;
    }
    if (Array.isArray(fields) && fields.length > 0) {
      const first = fields[0] as { field?: unknown; property?: unknown };
      if (typeof first.field === 'string') return first.field;
      if (typeof first.property === 'string') return first.property;
    }
    return null;
  }

  /** Per-field messages: a validation error's `details.fields[].problems`, or the one field the API blamed. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    const fields = this.details?.fields;
    if (Array.isArray(fields)) {
      for (const entry of fields as Array<{ field?: unknown; problems?: unknown }>) {
        if (typeof entry.field !== 'string') continue;
        const problems = Array.isArray(entry.problems) ? entry.problems.map(String) : [];
        out[entry.field] = problems.length ? problems.join('; ') : this.message;
      }
    } else if (this.field) {
      out[this.field] = this.message;
    }
    return out;
  }
}

export interface ApiClientOptions {
  /** e.g. http://localhost:3001/api (no trailing slash needed). */
  baseUrl: string;
  /** The session JWT, sent as a bearer token; null for anonymous calls. */
  token?: string | null;
  /** Sent as X-Min-Position so a page loaded right after a command reads its own write. */
  minPosition?: string | null;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Forwarded to the API for its audit metadata. */
  forwardedFor?: string | null;
  userAgent?: string | null;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A command's answer carries the event-store position of its last write. */
export interface CommandAnswer {
  position?: string | null;
}

// ---- the API's shapes: generated from /api/openapi.json (api-types.gen.ts, `npm run openapi:types`) ----

type Schemas = components['schemas'];

export type UserView = Schemas['UserDto'];
export type PlatformRole = UserView['platformRole'];
export type MembershipView = Schemas['MyMembershipDto'];
export type MeView = Schemas['MeResponseDto'];
export type MailPreferences = Schemas['MailPreferencesDto'];
export type SessionAnswer = Schemas['LoginResponseDto'];
/** The password was right and 2FA is on: the sign-in continues with a code (completeMfaLogin). */
export type MfaRequired = Schemas['MfaRequiredResponseDto'];
export type TwoFactorSetup = Schemas['TwoFactorSetupResponseDto'];
export type TwoFactorEnabled = Schemas['EnableTwoFactorResponseDto'];
/** The second factor of a sign-in: a code from the authenticator app, or a recovery code. */
export type TwoFactorProof = { code: string } | { recoveryCode: string };
export type OfferedPlan = Schemas['OfferedPlanDto'];
export type Region = Schemas['RegionDto'];
export type Image = Schemas['ImageDto'];
export type VpsSummary = Schemas['VpsSummaryDto'];
export type VpsStatus = VpsSummary['status'];
/** Every status, in the order the pages list them. */
export const VPS_STATUSES = [
  'provisioning',
  'stuck',
  'active',
  'failed',
  'suspended',
  'deleting',
  'deleted',
] as const satisfies readonly VpsStatus[];
export type VpsDetail = Schemas['VpsDetailDto'];
export type VpsOperation = Schemas['VpsOperationDto'];
export type VpsOperationAccepted = Schemas['VpsOperationAcceptedDto'];
// ---- backups and firewall (issue 15) ----
export type VpsBackups = Schemas['VpsBackupsDto'];
export type VpsBackup = Schemas['VpsBackupDto'];
export type VpsFirewall = Schemas['VpsFirewallDto'];
export type FirewallRules = Schemas['SetFirewallRequestDto'];
export type FirewallPolicy = Schemas['FirewallPolicyDto'];
export type SshKey = Schemas['SshKeyDto'];
export type VpsCharge = Schemas['VpsChargeDto'];
export type VpsBilling = Schemas['VpsBillingDto'];
export type Wallet = Schemas['WalletResponseDto'];
export type WalletTransaction = Schemas['WalletTransactionDto'];
export type WalletTransactionsPage = Schemas['WalletTransactionsResponseDto'];
export type WalletSpend = Schemas['WalletSpendResponseDto'];
export type VpsTransfer = Schemas['VpsTransferDto'];
export type OrganizationTransfer = Schemas['OrganizationTransferDto'];
export type MyOrganization = Schemas['MyOrganizationDto'];
export type MyOrganizationsPage = Schemas['MyOrganizationsResponseDto'];
export type Member = Schemas['MemberDto'];
export type PendingInvitation = Schemas['PendingInvitationDto'];
export type InvitationCreated = Schemas['InvitationCreatedResponseDto'];
export type InvitationForYou = Schemas['InvitationForYouDto'];
export type InvitationAnswered = Schemas['InvitationAnsweredResponseDto'];
/** A role of an organization as it lists them: the seven predefined ones, then its own. */
export type OrganizationRoleView = Schemas['ListedRoleDto'];
export type RoleChanged = Schemas['RoleChangedResponseDto'];
export type LiveTicket = Schemas['LiveTicketResponseDto'];
export type Payment = Schemas['PaymentDto'];
export type PaymentListItem = Schemas['PaymentListItemDto'];
export type PaymentsPage = Schemas['PaymentsPageResponseDto'];
export type PaymentCreated = Schemas['PaymentCreatedResponseDto'];
export type PaymentProvider = Payment['provider'];
export type PaymentStatus = Payment['status'];
/** The providers a customer chooses between, as the API names them. */
export const PAYMENT_PROVIDERS = ['paypal', 'stripe'] as const satisfies readonly PaymentProvider[];
export type Invoice = Schemas['InvoiceDto'];
export type InvoicesPage = Schemas['InvoicesPageResponseDto'];
export type BillingProfileAnswer = Schemas['BillingProfileResponseDto'];
export type BillingProfileInput = Schemas['UpdateBillingProfileRequestDto'];
export type AccountSession = Schemas['SessionDto'];
export type SessionsRevoked = Schemas['SessionsRevokedResponseDto'];
export type ApiKey = Schemas['ApiKeyDto'];
export type ApiKeysPage = Schemas['ApiKeysPageDto'];
/** A new key: its full value (`key`) is in this answer only. */
export type CreatedApiKey = Schemas['CreatedApiKeyResponseDto'];
export type CreateApiKeyInput = Schemas['CreateApiKeyRequestDto'];

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).error === 'string' &&
    typeof (value as ApiErrorBody).message === 'string'
  );
}

const seg = encodeURIComponent;

export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
  }

  get authenticated(): boolean {
    return Boolean(this.options.token);
  }

  /** A client for the same API with another session token (e.g. right after login). */
  withToken(token: string | null): ApiClient {
    return new ApiClient({ ...this.options, token });
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (this.options.minPosition && method === 'GET') headers['x-min-position'] = this.options.minPosition;
    if (this.options.forwardedFor) headers['x-forwarded-for'] = this.options.forwardedFor;
    if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const url = `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}${queryString(options.query)}`;
    let response: Response;
    try {
      response = await this.fetchFn(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new ApiRequestError(
        503,
        'api_unreachable',
        `The API could not be reached (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) {
      if (isErrorBody(parsed)) {
        throw new ApiRequestError(response.status, parsed.error, parsed.message, parsed.details ?? null);
      }
      throw new ApiRequestError(
        response.status,
        `http_${response.status}`,
        typeof parsed === 'string' && parsed ? parsed.slice(0, 200) : `The API answered ${response.status}`,
      );
    }
    return parsed as T;
  }

  get<T>(path: string, query?: Record<string, QueryValue>): Promise<T> {
    return this.request<T>('GET', path, { query });
  }
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return this.request<T>('POST', path, { body: body ?? {}, headers });
  }
  patch<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body: body ?? {} });
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body: body ?? {} });
  }

  // ---- auth and session ----
  login(email: string, password: string): Promise<SessionAnswer | MfaRequired> {
    return this.post('/auth/login', { email, password });
  }
  completeMfaLogin(mfaToken: string, proof: TwoFactorProof): Promise<SessionAnswer> {
    return this.post('/auth/login/mfa', { mfaToken, ...proof });
  }
  setupTwoFactor(): Promise<TwoFactorSetup> {
    return this.post('/me/2fa/setup', {});
  }
  enableTwoFactor(code: string): Promise<TwoFactorEnabled> {
    return this.post('/me/2fa/enable', { code });
  }
  disableTwoFactor(password: string, code: string): Promise<CommandAnswer> {
    return this.post('/me/2fa/disable', { password, code });
  }
  register(input: {
    email: string;
    password: string;
    name: string;
  }): Promise<SessionAnswer & { organization: { id: string; name: string; role: string } } & CommandAnswer> {
    return this.post('/auth/register', input);
  }
  /** Ends this client's session on the API (its token is refused afterwards). */
  logout(): Promise<void> {
    return this.post('/auth/logout');
  }
  me(): Promise<MeView> {
    return this.get('/me');
  }

  // ---- account ----
  verifyEmail(token: string): Promise<CommandAnswer> {
    return this.post('/auth/email-verification', { token });
  }
  resendEmailVerification(): Promise<CommandAnswer> {
    return this.post('/auth/email-verification/resend');
  }
  requestPasswordReset(email: string): Promise<void> {
    return this.post('/auth/password-reset', { email });
  }
  resetPassword(token: string, password: string): Promise<CommandAnswer> {
    return this.post('/auth/password-reset/confirm', { token, password });
  }
  changePassword(currentPassword: string, newPassword: string): Promise<CommandAnswer> {
    return this.post('/me/password', { currentPassword, newPassword });
  }
  sessions(): Promise<{ sessions: AccountSession[] }> {
    return this.get('/me/sessions');
  }
  revokeSession(sessionId: string): Promise<SessionsRevoked> {
    return this.delete(`/me/sessions/${encodeURIComponent(sessionId)}`);
  }
  revokeOtherSessions(): Promise<SessionsRevoked> {
    return this.delete('/me/sessions');
  }
  selectActiveOrganization(
    organizationId: string,
  ): Promise<{ activeOrganizationId: string } & CommandAnswer> {
    return this.post('/me/active-organization', { organizationId });
  }
  mailPreferences(): Promise<MailPreferences> {
    return this.get('/me/mail-preferences');
  }
  /** `optedOut`: the optional mails the user does not want; every other one is sent. */
  updateMailPreferences(optedOut: string[]): Promise<MailPreferences & CommandAnswer> {
    return this.put('/me/mail-preferences', { optedOut });
  }
  /** Newest first, cursor-paged; revoked and expired keys included. */
  apiKeys(page: { limit?: number; cursor?: string | null } = {}): Promise<ApiKeysPage> {
    return this.get('/me/api-keys', { limit: page.limit, cursor: page.cursor ?? undefined });
  }
  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    return this.post('/me/api-keys', input);
  }
  revokeApiKey(keyId: string): Promise<CommandAnswer> {
    return this.delete(`/me/api-keys/${seg(keyId)}`);
  }
  /** Ends this client's impersonation session (staff acting as the user). */
  stopImpersonation(): Promise<SessionsRevoked> {
    return this.post('/me/impersonation/stop');
  }
  liveTicket(): Promise<LiveTicket> {
    return this.post('/live/tickets', {});
  }

  // ---- organizations ----
  /** In the order they were joined, cursor-paged. */
  organizations(page: { limit?: number; cursor?: string | null } = {}): Promise<MyOrganizationsPage> {
    return this.get('/organizations', { limit: page.limit, cursor: page.cursor ?? undefined });
  }
  createOrganization(name: string): Promise<{ organizationId: string; name: string } & CommandAnswer> {
    return this.post('/organizations', { name });
  }
  members(orgId: string): Promise<{ items: Member[] }> {
    return this.get(`/organizations/${seg(orgId)}/members`);
  }
  changeMemberRole(orgId: string, userId: string, role: string): Promise<CommandAnswer> {
    return this.patch(`/organizations/${seg(orgId)}/members/${seg(userId)}`, { role });
  }
  removeMember(orgId: string, userId: string): Promise<CommandAnswer> {
    return this.delete(`/organizations/${seg(orgId)}/members/${seg(userId)}`);
  }
  /** Pending, unexpired invitations (members_manage). */
  invitations(orgId: string): Promise<{ items: PendingInvitation[] }> {
    return this.get(`/organizations/${seg(orgId)}/invitations`);
  }
  /** Mails `email` a link to join with `role` (a predefined role's name or a custom role's id). */
  invite(orgId: string, email: string, role: string): Promise<InvitationCreated> {
    return this.post(`/organizations/${seg(orgId)}/invitations`, { email, role });
  }
  revokeInvitation(orgId: string, invitationId: string): Promise<CommandAnswer> {
    return this.delete(`/organizations/${seg(orgId)}/invitations/${seg(invitationId)}`);
  }
  /** The invitation a mailed link names, for the signed-in user it was sent to. */
  invitation(token: string): Promise<InvitationForYou> {
    return this.get(`/invitations/${seg(token)}`);
  }
  acceptInvitation(token: string): Promise<InvitationAnswered> {
    return this.post(`/invitations/${seg(token)}/accept`, {});
  }
  declineInvitation(token: string): Promise<InvitationAnswered> {
    return this.post(`/invitations/${seg(token)}/decline`, {});
  }
  roles(orgId: string): Promise<{ items: OrganizationRoleView[] }> {
    return this.get(`/organizations/${seg(orgId)}/roles`);
  }
  createRole(orgId: string, name: string, permissions: string[]): Promise<RoleChanged> {
    return this.post(`/organizations/${seg(orgId)}/roles`, { name, permissions });
  }
  updateRole(
    orgId: string,
    roleId: string,
    change: { name?: string; permissions?: string[] },
  ): Promise<RoleChanged> {
    return this.patch(`/organizations/${seg(orgId)}/roles/${seg(roleId)}`, change);
  }
  deleteRole(orgId: string, roleId: string): Promise<RoleChanged> {
    return this.delete(`/organizations/${seg(orgId)}/roles/${seg(roleId)}`);
  }

  // ---- wallet ----
  wallet(orgId: string): Promise<Wallet> {
    return this.get(`/organizations/${seg(orgId)}/wallet`);
  }
  /** Newest first; `types` keeps only those entry types, `since` only entries at or after that instant. */
  walletTransactions(
    orgId: string,
    page: { limit?: number; cursor?: string | null; types?: readonly string[]; since?: Date } = {},
  ): Promise<WalletTransactionsPage> {
    return this.get(`/organizations/${seg(orgId)}/wallet/transactions`, {
      limit: page.limit,
      cursor: page.cursor ?? undefined,
      type: page.types?.join(','),
      since: page.since?.toISOString(),
    });
  }
  /** Spend (charges minus refunds) since an instant at most 93 days ago: the total and per UTC hour. */
  walletSpend(orgId: string, since: Date): Promise<WalletSpend> {
    return this.get(`/organizations/${seg(orgId)}/wallet/spend`, { since: since.toISOString() });
  }

  // ---- network transfer ----
  /** The server's transfer of the current month: bytes (exact decimal strings), its quota, each day. */
  serverTransfer(orgId: string, vpsId: string): Promise<VpsTransfer> {
    return this.get(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/transfer`);
  }
  /** The organization's pooled transfer of the current month: usage, allowance, overage and its price. */
  organizationTransfer(orgId: string): Promise<OrganizationTransfer> {
    return this.get(`/organizations/${seg(orgId)}/transfer`);
  }

  // ---- payments ----
  /** Newest first, cursor-paged. */
  payments(orgId: string, page: { limit?: number; cursor?: string | null } = {}): Promise<PaymentsPage> {
    return this.get(`/organizations/${seg(orgId)}/payments`, {
      limit: page.limit,
      cursor: page.cursor ?? undefined,
    });
  }
  payment(orgId: string, paymentId: string): Promise<Payment> {
    return this.get(`/organizations/${seg(orgId)}/payments/${seg(paymentId)}`);
  }
  /** The same key answers with the same payment (and its approval page) instead of starting another. */
  createPayment(
    orgId: string,
    idempotencyKey: string,
    input: { provider: PaymentProvider; amount: string },
  ): Promise<PaymentCreated> {
    return this.post(`/organizations/${seg(orgId)}/payments`, input, { 'idempotency-key': idempotencyKey });
  }
  /** Completes an approved payment; any number of calls credit the wallet once. */
  capturePayment(orgId: string, paymentId: string): Promise<Payment> {
    return this.post(`/organizations/${seg(orgId)}/payments/${seg(paymentId)}/capture`);
  }

  // ---- catalog ----
  plans(): Promise<OfferedPlan[]> {
    return this.get('/vps/plans');
  }
  regions(): Promise<Region[]> {
    return this.get('/vps/regions');
  }
  images(): Promise<Image[]> {
    return this.get('/vps/images');
  }

  // ---- servers ----
  servers(orgId: string, status?: VpsStatus | null): Promise<VpsSummary[]> {
    return this.get(`/organizations/${seg(orgId)}/vps`, { status: status ?? undefined });
  }
  server(orgId: string, vpsId: string): Promise<VpsDetail> {
    return this.get(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}`);
  }
  /** The server's billing with one page of its charges, newest first (the total covers them all). */
  serverBilling(
    orgId: string,
    vpsId: string,
    page: { limit?: number; cursor?: string | null } = {},
  ): Promise<VpsBilling> {
    return this.get(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/billing`, {
      limit: page.limit,
      cursor: page.cursor ?? undefined,
    });
  }
  createServer(
    orgId: string,
    idempotencyKey: string,
    input: {
      label: string;
      planId: string;
      region: string;
      image: string;
      rootPassword: string;
      sshKeyIds?: string[];
      backups?: boolean;
    },
  ): Promise<
    { id: string; status: 'provisioning'; hourlyPrice: string; monthlyPrice: string } & CommandAnswer
  > {
    return this.post(`/organizations/${seg(orgId)}/vps`, input, { 'idempotency-key': idempotencyKey });
  }
  powerAction(orgId: string, vpsId: string, action: 'boot' | 'shutdown' | 'reboot'): Promise<CommandAnswer> {
    return this.post(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/actions`, { action });
  }
  deleteServer(orgId: string, vpsId: string): Promise<CommandAnswer> {
    return this.delete(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}`);
  }
  renameServer(orgId: string, vpsId: string, label: string): Promise<VpsOperationAccepted> {
    return this.patch(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}`, { label });
  }
  setReverseDns(
    orgId: string,
    vpsId: string,
    ipv4: string,
    hostname: string | null,
  ): Promise<VpsOperationAccepted> {
    return this.put(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/reverse-dns`, { ipv4, hostname });
  }

  // ---- rebuild, resize, backups (issue 15) ----
  rebuildServer(
    orgId: string,
    vpsId: string,
    input: { image: string; rootPassword?: string; sshKeyIds: string[] },
  ): Promise<VpsOperationAccepted> {
    return this.post(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/rebuild`, input);
  }
  resizeServer(orgId: string, vpsId: string, planId: string): Promise<VpsOperationAccepted> {
    return this.post(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/resize`, { planId });
  }
  setServerBackups(orgId: string, vpsId: string, enabled: boolean): Promise<VpsOperationAccepted> {
    const path = `/organizations/${seg(orgId)}/vps/${seg(vpsId)}/backups`;
    return enabled ? this.post(path) : this.delete(path);
  }

  // ---- backups and firewall (issue 15) ----
  serverBackups(orgId: string, vpsId: string): Promise<VpsBackups> {
    return this.get(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/backups`);
  }
  takeSnapshot(orgId: string, vpsId: string, label: string): Promise<VpsOperationAccepted> {
    return this.post(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/snapshots`, { label });
  }
  restoreBackup(orgId: string, vpsId: string, backupId: string): Promise<VpsOperationAccepted> {
    return this.post(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/backups/${seg(backupId)}/restore`, {
      confirm: true,
    });
  }
  serverFirewall(orgId: string, vpsId: string): Promise<VpsFirewall> {
    return this.get(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/firewall`);
  }
  setServerFirewall(orgId: string, vpsId: string, rules: FirewallRules): Promise<VpsOperationAccepted> {
    return this.put(`/organizations/${seg(orgId)}/vps/${seg(vpsId)}/firewall`, rules);
  }

  // ---- SSH keys ----
  sshKeys(orgId: string): Promise<{ items: SshKey[] }> {
    return this.get(`/organizations/${seg(orgId)}/ssh-keys`);
  }
  addSshKey(orgId: string, name: string, publicKey: string): Promise<{ key: SshKey } & CommandAnswer> {
    return this.post(`/organizations/${seg(orgId)}/ssh-keys`, { name, publicKey });
  }
  deleteSshKey(orgId: string, keyId: string): Promise<CommandAnswer> {
    return this.delete(`/organizations/${seg(orgId)}/ssh-keys/${seg(keyId)}`);
  }

  // ---- invoices ----
  /** Invoices and credit notes, newest first. */
  invoices(orgId: string, page: { limit?: number; cursor?: string | null } = {}): Promise<InvoicesPage> {
    return this.get(`/organizations/${seg(orgId)}/invoices`, {
      limit: page.limit,
      cursor: page.cursor ?? undefined,
    });
  }
  billingProfile(orgId: string): Promise<BillingProfileAnswer> {
    return this.get(`/organizations/${seg(orgId)}/billing-profile`);
  }
  updateBillingProfile(orgId: string, input: BillingProfileInput): Promise<CommandAnswer> {
    return this.put(`/organizations/${seg(orgId)}/billing-profile`, input);
  }
}
