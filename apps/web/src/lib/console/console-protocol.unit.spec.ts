import { describeClose, encodeClientMessage, parseServerMessage, validSize } from './console-protocol';

test('server frames are read by type; anything else is ignored', () => {
  expect(parseServerMessage('{"type":"ready"}')).toEqual({ type: 'ready' });
  expect(parseServerMessage('{"type":"output","data":"hi\\r\\n"}')).toEqual({
    type: 'output',
    data: 'hi\r\n',
  });
  expect(parseServerMessage('{"type":"closed","reason":"server stopped"}')).toEqual({
    type: 'closed',
    reason: 'server stopped',
  });
  expect(parseServerMessage('{"type":"error","message":"ticket expired"}')).toEqual({
    type: 'error',
    reason: 'ticket expired',
  });
  expect(parseServerMessage('{"type":"error"}')).toEqual({ type: 'error', reason: 'console error' });
  expect(parseServerMessage('{"type":"output","data":42}')).toBeNull();
  expect(parseServerMessage('{"type":"surprise"}')).toBeNull();
  expect(parseServerMessage('not json')).toBeNull();
  expect(parseServerMessage('null')).toBeNull();
  expect(parseServerMessage(new ArrayBuffer(2))).toBeNull();
});

test('client messages, sizes and close codes', () => {
  expect(JSON.parse(encodeClientMessage({ type: 'auth', ticket: 't-1' }))).toEqual({
    type: 'auth',
    ticket: 't-1',
  });
  expect(JSON.parse(encodeClientMessage({ type: 'resize', cols: 120, rows: 40 }))).toEqual({
    type: 'resize',
    cols: 120,
    rows: 40,
  });
  expect(validSize(80, 24)).toBe(true);
  expect(validSize(0, 0)).toBe(false);
  expect(validSize(80.5, 24)).toBe(false);
  expect(validSize(5000, 24)).toBe(false);
  expect(describeClose(1006, '')).toBe('connection lost');
  expect(describeClose(4001, 'ticket refused')).toBe('ticket refused');
  expect(describeClose(1000, '')).toBe('session ended');
});
