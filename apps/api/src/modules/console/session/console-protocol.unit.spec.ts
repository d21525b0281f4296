import { closeReason } from '../shared/console-refusal';
import { parseMessage } from './console-connection';

describe('parseMessage', () => {
  test.each([
    ['{"type":"auth","ticket":"t"}', { type: 'auth', ticket: 't' }],
    ['{"type":"auth","ticket":"t","cols":120,"rows":40}', { type: 'auth', ticket: 't', cols: 120, rows: 40 }],
    ['{"type":"input","data":"ls\\r"}', { type: 'input', data: 'ls\r' }],
    ['{"type":"input","data":""}', { type: 'input', data: '' }],
    ['{"type":"resize","cols":1,"rows":1000}', { type: 'resize', cols: 1, rows: 1000 }],
  ])('accepts %s', (text, message) => {
    expect(parseMessage(text)).toEqual(message);
  });

  test.each([
    ['not json', 'messages must be JSON'],
    ['[1]', 'messages must be JSON objects'],
    ['null', 'messages must be JSON objects'],
    ['{"type":"auth"}', 'auth needs a ticket'],
    [`{"type":"auth","ticket":"${'t'.repeat(201)}"}`, 'auth needs a ticket'],
    ['{"type":"auth","ticket":"t","cols":80}', 'cols and rows must be integers 1-1000'],
    ['{"type":"input","data":42}', 'input needs data (a string)'],
    ['{"type":"resize","cols":0,"rows":24}', 'cols and rows must be integers 1-1000'],
    ['{"type":"resize","cols":80.5,"rows":24}', 'cols and rows must be integers 1-1000'],
    ['{"type":"resize","cols":80,"rows":1001}', 'cols and rows must be integers 1-1000'],
    ['{"type":"exec","command":"rm"}', 'unknown message type: exec'],
  ])('refuses %s', (text, why) => {
    expect(parseMessage(text)).toBe(why);
  });
});

describe('closeReason', () => {
  test('fits the 123 bytes of a close frame, without a broken character', () => {
    expect(closeReason('short')).toBe('short');
    const long = closeReason(`host key changed: ${'é'.repeat(100)}`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(123);
    expect(long).not.toContain('\uFFFD');
    expect(long.endsWith('...')).toBe(true);
  });
});
