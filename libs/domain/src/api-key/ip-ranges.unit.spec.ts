import { parseIpRange } from './ip-ranges';

describe('parseIpRange', () => {
  it.each([
    ['203.0.113.7', { address: '203.0.113.7', prefixLength: 32, family: 'ipv4' }],
    ['10.0.0.0/8', { address: '10.0.0.0', prefixLength: 8, family: 'ipv4' }],
    ['0.0.0.0/0', { address: '0.0.0.0', prefixLength: 0, family: 'ipv4' }],
    ['::1', { address: '::1', prefixLength: 128, family: 'ipv6' }],
    ['2001:db8::/32', { address: '2001:db8::', prefixLength: 32, family: 'ipv6' }],
    ['2001:db8:0:0:0:0:0:1', { address: '2001:db8:0:0:0:0:0:1', prefixLength: 128, family: 'ipv6' }],
    ['::ffff:192.0.2.1/128', { address: '::ffff:192.0.2.1', prefixLength: 128, family: 'ipv6' }],
  ])('reads %s', (text, range) => {
    expect(parseIpRange(text)).toEqual(range);
  });

  it.each([
    '',
    '256.0.0.1',
    '10.0.0',
    '10.0.0.01',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    '2001:db8::/129',
    '2001:db8:::1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    ':1:2:3:4:5:6:7',
    'example.com',
    '::ffff:300.0.0.1',
  ])('refuses %j', (text) => {
    expect(parseIpRange(text)).toBeNull();
  });
});
