import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { API_CONFIG, type ApiConfig } from '../../../shared/config/api-config';
import { ProjectionNotifications } from '../../../shared/read-models/projection-notifications.service';

/** What a page can reload: its servers, its money, its people. */
export const LIVE_TOPICS = ['vps', 'wallet', 'organizations'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

/** Which topic a projection's NOTIFY (its name) may have changed. */
export const PROJECTION_TOPICS: Readonly<Record<string, LiveTopic>> = {
  'vps-servers': 'vps',
  wallets: 'wallet',
  'wallet-transactions': 'wallet',
  memberships: 'organizations',
  organizations: 'organizations',
  invitations: 'organizations',
  'organization-roles': 'organizations',
};

/**
 * A fingerprint of each watched organization's rows per topic; when it changes after a projection batch, that
 * organization's topic changed. Only organizations someone is watching are read, and only theirs are reported.
 */
const FINGERPRINTS: Readonly<Record<LiveTopic, string>> = {
  vps: `select organization_id as org,
            md5(string_agg(id || ':' || status || ':' || coalesce(provisioning_stage, '') || ':' ||
                provisioning_attempt || ':' || coalesce(ipv4, '') || ':' || coalesce(last_power_action_at::text, '') ||
                ':' || coalesce(billed_until::text, '') || ':' || updated_at::text, ',' order by id)) as fp
       from vps_servers where organization_id = any($1::text[]) group by organization_id`,
  wallet: `select w.organization_id as org,
              w.balance::text || ':' || w.transaction_count || ':' || w.updated_at::text || ':' ||
              (select count(*) from wallet_transactions t where t.organization_id = w.organization_id) as fp
         from wallets w where w.organization_id = any($1::text[])`,
  // Members, the name, the invitations' states and the custom roles: what the members page shows.
  organizations: `select m.organization_id as org,
                     md5(string_agg(m.user_id || ':' || m.role, ',' order by m.user_id) || ':' ||
                         coalesce((select o.name from organizations o where o.id = m.organization_id), '') || ':' ||
                         coalesce((select string_agg(i.id || ':' || i.status, ',' order by i.id) from invitations i
                                    where i.organization_id = m.organization_id), '') || ':' ||
                         coalesce((select string_agg(r.role_id || ':' || r.name || ':' || r.permissions::text, ','
                                                     order by r.role_id) from organization_roles r
                                    where r.organization_id = m.organization_id), '')) as fp
                from memberships m where m.organization_id = any($1::text[]) group by m.organization_id`,
};

export type LiveChangeListener = (organizationId: string, topic: LiveTopic) => void;

const DEBOUNCE_MS = 100;

@Injectable()
export class ProjectionChangeFeed implements OnModuleDestroy {
  private readonly logger = new Logger('LiveUpdates');
  private readonly watchers = new Map<string, number>();
  private readonly fingerprints = new Map<string, string>();
  private readonly listeners = new Set<LiveChangeListener>();
  private readonly dirty = new Set<LiveTopic>();
  private flushTimer: NodeJS.Timeout | null = null;
  private checking: Promise<void> = Promise.resolve();
  private unlisten: (() => void) | null = null;
  private pool: Pool | null = null;
  private closed = false;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly notifications: ProjectionNotifications,
  ) {}

  /** Connections are opened by the first watch: an API nobody watches live holds none. */
  private started: Promise<void> | null = null;

  private start(): Promise<void> {
    this.started ??= (async () => {
      this.pool = new Pool({ connectionString: this.config.databaseUrl, max: 2 });
      this.pool.on('error', (error) => this.logger.warn(`pool error: ${error.message}`));
      this.unlisten = await this.notifications.listen((projection) => {
        if (projection === null) {
          // (Re)connected: changes may have been missed meanwhile, recheck everything.
          LIVE_TOPICS.forEach((topic) => this.markDirty(topic));
          return;
        }
        const topic = PROJECTION_TOPICS[projection];
        if (topic) this.markDirty(topic);
      });
    })();
    return this.started;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.started?.catch(() => undefined);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.checking.catch(() => undefined);
    this.unlisten?.();
    await this.pool?.end().catch(() => undefined);
  }

  onChange(listener: LiveChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts reporting an organization's changes (counted: one per subscribed socket); baseline taken now. */
  async watch(organizationId: string): Promise<void> {
    const count = this.watchers.get(organizationId) ?? 0;
    this.watchers.set(organizationId, count + 1);
    if (count > 0) return;
    await this.start();
    for (const topic of LIVE_TOPICS) {
      const current = await this.read(topic, [organizationId]);
      this.fingerprints.set(`${topic}:${organizationId}`, current.get(organizationId) ?? '');
    }
  }

  unwatch(organizationId: string): void {
    const count = (this.watchers.get(organizationId) ?? 0) - 1;
    if (count > 0) {
      this.watchers.set(organizationId, count);
      return;
    }
    this.watchers.delete(organizationId);
    for (const topic of LIVE_TOPICS) this.fingerprints.delete(`${topic}:${organizationId}`);
  }

  private markDirty(topic: LiveTopic): void {
    this.dirty.add(topic);
    if (this.flushTimer || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      const topics = [...this.dirty];
      this.dirty.clear();
      // One check at a time, in order: fingerprints are compared against the previous check's.
      this.checking = this.checking
        .then(() => this.check(topics))
        .catch((error: unknown) => {
          this.logger.warn(`live change check failed: ${String(error)}`);
        });
    }, DEBOUNCE_MS);
  }

  private async check(topics: LiveTopic[]): Promise<void> {
    const organizations = [...this.watchers.keys()];
    if (organizations.length === 0 || this.closed) return;
    for (const topic of topics) {
      const current = await this.read(topic, organizations);
      for (const organizationId of organizations) {
        if (!this.watchers.has(organizationId)) continue;
        const key = `${topic}:${organizationId}`;
        const fingerprint = current.get(organizationId) ?? '';
        if (this.fingerprints.get(key) === fingerprint) continue;
        this.fingerprints.set(key, fingerprint);
        for (const listener of this.listeners) listener(organizationId, topic);
      }
    }
  }

  private async read(topic: LiveTopic, organizations: string[]): Promise<Map<string, string>> {
    if (!this.pool) return new Map();
    const result = await this.pool.query<{ org: string; fp: string }>(FINGERPRINTS[topic], [organizations]);
    return new Map(result.rows.map((row) => [row.org, row.fp]));
  }
}
