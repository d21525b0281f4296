import {
  EVENT_LOG_DEFAULT_PAGE_SIZE,
  EVENT_LOG_MAX_PAGE_SIZE,
  eventLogItem,
  eventLogPageSql,
  EventLogQueryError,
  parseCursor,
  parseEventLogPageRequest,
  type EventLogRecord,
} from './event-log.query';

function errorOf(fn: () => unknown): EventLogQueryError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventLogQueryError) return error;
    throw error;
  }
  throw new Error('expected an EventLogQueryError');
}

describe('parseEventLogPageRequest', () => {
  it('defaults: forwards from the beginning, 50 per page, no filter', () => {
    expect(parseEventLogPageRequest({})).toEqual({
      filter: {},
      direction: 'forwards',
      cursor: null,
      limit: EVENT_LOG_DEFAULT_PAGE_SIZE,
    });
  });

  it('reads every filter; types repeated or comma-separated', () => {
    const request = parseEventLogPageRequest({
      stream: 'wallet-o1',
      streamPrefix: 'vps-',
      type: ['WalletCredited,WalletCharged', 'WalletCredited'],
      actorUserId: 'u1',
      organizationId: 'o1',
      correlationId: 'c1',
      from: '2026-11-01',
      to: '2026-11-30T04:00:00+01:00',
      limit: '500',
    });
    expect(request.filter).toEqual({
      stream: 'wallet-o1',
      streamPrefix: 'vps-',
      types: ['WalletCredited', 'WalletCharged'],
      actorUserId: 'u1',
      organizationId: 'o1',
      correlationId: 'c1',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-30T03:00:00Z'),
    });
    expect(request.limit).toBe(EVENT_LOG_MAX_PAGE_SIZE);
  });

  it('after reads forwards and before backwards from a "commit/prepare" cursor', () => {
    expect(parseEventLogPageRequest({ after: '7841/1203' })).toMatchObject({
      direction: 'forwards',
      cursor: { commit: 7841n, prepare: 1203n },
    });
    expect(parseEventLogPageRequest({ before: '18446744073709551615/3' })).toMatchObject({
      direction: 'backwards',
      cursor: { commit: 18446744073709551615n, prepare: 3n },
    });
    expect(parseEventLogPageRequest({ direction: 'backwards' })).toMatchObject({
      direction: 'backwards',
      cursor: null,
    });
  });

  it.each([
    [{ after: '12' }, 'after'],
    [{ after: '1/2/3' }, 'after'],
    [{ before: '-1/2' }, 'before'],
    [{ after: ' 1/2' }, 'after'],
    [{ after: '1/2', before: '3/4' }, 'before'],
    [{ after: '1/2', direction: 'backwards' }, 'direction'],
    [{ direction: 'sideways' }, 'direction'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ limit: '1.5' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '2026-11-30T04:00:00' }, 'from'],
    [{ to: '2026-13-01' }, 'to'],
    [{ from: '2026-11-02', to: '2026-11-01' }, 'to'],
    [{ type: 'Bad Type' }, 'type'],
    [{ stream: ['a', 'b'] }, 'stream'],
    [{ stream: 'x'.repeat(301) }, 'stream'],
  ])('rejects %j naming %s', (params, field) => {
    expect(errorOf(() => parseEventLogPageRequest(params)).field).toBe(field);
  });

  it('parseCursor round-trips formatted positions only', () => {
    expect(parseCursor('after', '0/0')).toEqual({ commit: 0n, prepare: 0n });
    expect(() => parseCursor('after', '01/2')).toThrow(EventLogQueryError);
  });
});

describe('eventLogPageSql', () => {
  const base = { direction: 'forwards' as const, cursor: null, limit: 50 };

  it('orders by position, with the cursor as a row comparison in the page direction', () => {
    const forwards = eventLogPageSql({ ...base, filter: {}, cursor: { commit: 5n, prepare: 1n } }, 51);
    expect(forwards.text).toContain('("position_commit", "position_prepare") > (?, ?)');
    expect(forwards.text).toMatch(/order by "position_commit" asc, "position_prepare" asc limit 51$/);
    expect(forwards.bindings).toEqual(['5', '1']);
    const backwards = eventLogPageSql(
      { ...base, direction: 'backwards', filter: {}, cursor: { commit: 5n, prepare: 1n } },
      10,
    );
    expect(backwards.text).toContain('< (?, ?)');
    expect(backwards.text).toMatch(/desc limit 10$/);
  });

  it('turns a category prefix into the indexed category column, other prefixes into an escaped LIKE', () => {
    expect(eventLogPageSql({ ...base, filter: { streamPrefix: 'vps-' } }, 5)).toMatchObject({
      bindings: ['vps'],
    });
    const partial = eventLogPageSql({ ...base, filter: { streamPrefix: 'user-a_b%' } }, 5);
    expect(partial.text).toContain(`"stream_id" like ? escape`);
    expect(partial.bindings).toEqual(['user', 'user-a\\_b\\%%']);
  });

  it("unions an organization's own events with its servers' events that carry no organization", () => {
    const sql = eventLogPageSql({ ...base, filter: { organizationId: 'o1', types: ['A', 'B'] } }, 51);
    expect(sql.text).toContain('union all');
    expect(sql.text).toContain(`from "vps_servers" where "organization_id" = ?`);
    expect(sql.text).toContain('"organization_id" is null');
    expect(sql.bindings).toEqual(['o1', 'A', 'B', 'o1', 'A', 'B']);
  });
});

describe('eventLogItem', () => {
  it('names the API key of the actor, from the stored metadata', () => {
    const row: EventLogRecord = {
      event_id: 'e2',
      position_commit: '901',
      position_prepare: '1',
      stream_id: 'vps-v1',
      revision: '0',
      type: 'VpsRequested',
      actor_user_id: 'u1',
      actor_role: 'customer',
      impersonator_id: null,
      ip: null,
      user_agent: null,
      correlation_id: null,
      causation_id: null,
      occurred_at: new Date('2026-11-30T04:00:00.000Z'),
      data: {},
      metadata: { actor: { userId: 'u1', role: 'customer', apiKeyId: 'key-1' } },
    };
    expect(eventLogItem(row).metadata.actor.apiKeyId).toBe('key-1');
  });

  it('shapes a row like the API: position text, numeric revision, actor, ISO time, redacted data', () => {
    const row: EventLogRecord = {
      event_id: 'e1',
      position_commit: '900',
      position_prepare: '7',
      stream_id: 'user-u1',
      revision: '0',
      type: 'UserRegistered',
      actor_user_id: 'u1',
      actor_role: 'customer',
      impersonator_id: null,
      ip: '127.0.0.1',
      user_agent: 'jest',
      correlation_id: 'req-1',
      causation_id: 'req-1',
      occurred_at: new Date('2026-11-30T04:00:00.000Z'),
      data: { userId: 'u1', passwordHash: '$argon2id$secret' },
      metadata: {},
    };
    expect(eventLogItem(row)).toEqual({
      position: '900/7',
      streamId: 'user-u1',
      revision: 0,
      type: 'UserRegistered',
      eventId: 'e1',
      data: { userId: 'u1', passwordHash: '[redacted]' },
      metadata: {
        actor: {
          userId: 'u1',
          role: 'customer',
          impersonatorId: null,
          apiKeyId: null,
          ip: '127.0.0.1',
          userAgent: 'jest',
        },
        correlationId: 'req-1',
        causationId: 'req-1',
        occurredAt: '2026-11-30T04:00:00.000Z',
      },
    });
    expect(eventLogItem({ ...row, occurred_at: '2026-11-30 04:00:00+00' }).metadata.occurredAt).toBe(
      '2026-11-30T04:00:00.000Z',
    );
  });
});
