import { eventFilterFromUrl, eventPageQuery, eventPaging, timeTravelQuery } from './event-filters';

describe('event history paging', () => {
  const item = (position: string) => ({ position });
  const params = (q: string) => new URLSearchParams(q);

  test('no cursor reads the newest first; filters are kept, empty ones dropped', () => {
    expect(eventPageQuery(params('organizationId=o1&type=&stream=%20'))).toEqual({
      organizationId: 'o1',
      direction: 'backwards',
      limit: 50,
    });
  });

  test('the first page links older only', () => {
    const query = eventPageQuery(params('organizationId=o1'));
    const paging = eventPaging(query, { items: [item('9/9'), item('8/8')], nextCursor: '8/8' });
    expect(paging.items.map((i) => i.position)).toEqual(['9/9', '8/8']);
    expect(paging.newer).toBeNull();
    expect(paging.older).toBe('organizationId=o1&before=8%2F8');
  });

  test('an older page links both ways; the last one has no older link', () => {
    const query = eventPageQuery(params('before=8%2F8'));
    expect(query).toEqual({ before: '8/8', limit: 50 });
    const paging = eventPaging(query, { items: [item('7/7'), item('6/6')], nextCursor: null });
    expect(paging.newer).toBe('after=7%2F7');
    expect(paging.older).toBeNull();
  });

  test('a newer page reads forwards and is shown newest first', () => {
    const query = eventPageQuery(params('after=7%2F7&type=WalletCredited'));
    const paging = eventPaging(query, { items: [item('8/8'), item('9/9')], nextCursor: '9/9' });
    expect(paging.items.map((i) => i.position)).toEqual(['9/9', '8/8']);
    expect(paging.newer).toBe('type=WalletCredited&after=9%2F9');
    expect(paging.older).toBe('type=WalletCredited&before=8%2F8');
  });

  test('a page size from the URL is kept in the links; a bad one falls back to 50', () => {
    const query = eventPageQuery(params('limit=2&organizationId=o1'));
    expect(query).toEqual({ organizationId: 'o1', direction: 'backwards', limit: 2 });
    const paging = eventPaging(query, { items: [item('9/9'), item('8/8')], nextCursor: '8/8' });
    expect(paging.older).toBe('organizationId=o1&limit=2&before=8%2F8');
    expect(eventPageQuery(params('limit=9999')).limit).toBe(50);
    expect(eventPageQuery(params('limit=0')).limit).toBe(50);
  });

  test('from/to from the filter form become ISO instants', () => {
    expect(eventFilterFromUrl(params('fromIso=2026-11-30T04%3A00%3A00.000Z&to=2026-11-30T06%3A00'))).toEqual({
      from: '2026-11-30T04:00:00.000Z',
      to: '2026-11-30T06:00:00.000Z',
    });
  });

  test('time travel: a revision, a time, or now', () => {
    expect(timeTravelQuery(params('atRevision=3'))).toEqual({ atRevision: '3' });
    expect(timeTravelQuery(params('atTimeIso=2026-11-30T04%3A00%3A00.000Z'))).toEqual({
      atTime: '2026-11-30T04:00:00.000Z',
    });
    expect(timeTravelQuery(params(''))).toEqual({});
    expect(timeTravelQuery(params('atRevision=-1'))).toBe('invalid');
  });
});
