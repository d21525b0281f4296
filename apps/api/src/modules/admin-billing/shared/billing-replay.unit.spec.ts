import { DomainError, type ReconciliationLine } from '@stratus/domain';
import { linesToCsv, parseReplayWindow } from './billing-replay';

describe('parseReplayWindow', () => {
  it('accepts ISO instants with a zone and returns them canonical', () => {
    expect(parseReplayWindow('2026-11-01T00:00:00Z', '2026-11-02T01:30:00+01:00')).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T00:30:00.000Z',
    });
  });

  it.each([
    ['a bare date', '2026-11-01', '2026-11-02T00:00:00Z', 'invalid_instant'],
    ['no zone', '2026-11-01T00:00:00', '2026-11-02T00:00:00Z', 'invalid_instant'],
    ['a number', 1, '2026-11-02T00:00:00Z', 'invalid_instant'],
    ['an impossible month', '2026-13-01T00:00:00Z', '2026-11-02T00:00:00Z', 'invalid_instant'],
    ['a day February does not have', '2026-02-30T00:00:00Z', '2026-11-02T00:00:00Z', 'invalid_instant'],
    ['from = to', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 'invalid_window'],
    ['more than 366 days', '2025-11-01T00:00:00Z', '2026-11-03T00:00:00Z', 'window_too_long'],
  ])('refuses %s', (_label, from, to, reason) => {
    let error: unknown;
    try {
      parseReplayWindow(from, to);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'validation', reason });
  });

  it('accepts exactly 366 days', () => {
    expect(parseReplayWindow('2025-11-01T00:00:00Z', '2026-11-02T00:00:00Z').to).toBe(
      '2026-11-02T00:00:00.000Z',
    );
  });
});

describe('linesToCsv', () => {
  const line: ReconciliationLine = {
    lineId: 'rl-1',
    kind: 'duplicate_charge',
    organizationId: 'o1',
    vpsId: 'v1',
    chargeId: 'vps-v1:2026-01-01T00:00:00.000Z',
    periodStart: '2026-01-01T00:00:00.000Z',
    periodEnd: '2026-01-01T01:00:00.000Z',
    expected: '1.000000',
    charged: '2.000000',
    difference: '-1.000000',
    eventIds: ['e1', 'e2'],
  };

  it('writes a header and one CRLF row per line, negative amounts as numbers', () => {
    expect(linesToCsv([line])).toBe(
      'lineId,kind,organizationId,vpsId,paymentId,chargeId,periodStart,periodEnd,expected,charged,difference,eventIds\r\n' +
        'rl-1,duplicate_charge,o1,v1,,vps-v1:2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,' +
        '2026-01-01T01:00:00.000Z,1.000000,2.000000,-1.000000,e1 e2\r\n',
    );
  });

  it("a payment's line has an empty server and its payment id", () => {
    const csv = linesToCsv([{ ...line, kind: 'missing_credit', vpsId: null, paymentId: 'p1' }]);
    expect(csv.split('\r\n')[1]).toMatch(/^rl-1,missing_credit,o1,,p1,/);
  });

  it('quotes commas and quotes, and defuses spreadsheet formulas', () => {
    const csv = linesToCsv([{ ...line, vpsId: 'a,"b"', organizationId: '=HYPERLINK("x")' }]);
    expect(csv).toContain(`,"'=HYPERLINK(""x"")","a,""b""",`);
  });
});
