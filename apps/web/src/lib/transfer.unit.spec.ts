import { exactBytes, formatBytes, percentOf } from './transfer';

describe('transfer display', () => {
  it('shows bytes in decimal units, rounded half-up to two places, from exact strings', () => {
    expect(formatBytes('0')).toBe('0 B');
    expect(formatBytes('999')).toBe('999 B');
    expect(formatBytes('1048577')).toBe('1.05 MB');
    expect(formatBytes('1234567890123')).toBe('1,234.57 GB');
    expect(formatBytes('1004999999')).toBe('1.00 GB');
    expect(formatBytes('1005000000')).toBe('1.01 GB');
    expect(formatBytes(123456789012345678901n)).toBe('123,456,789,012.35 GB');
  });
  it('shows exact bytes and the share of the allowance', () => {
    expect(exactBytes('1234567')).toBe('1,234,567 bytes');
    expect(percentOf('500', '1000')).toBe(50);
    expect(percentOf('5', '0')).toBe(0);
    expect(percentOf('100000', '10')).toBe(999);
  });
});
