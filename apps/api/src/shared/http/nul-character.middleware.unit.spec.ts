import { nulCharacterLocation } from './nul-character.middleware';

describe('nulCharacterLocation', () => {
  it.each([
    ['/api/admin/streams/%00bad', undefined, 'url'],
    ['/api/admin/users?q=a%00', undefined, 'url'],
    ['/api/auth/register', { name: 'a\u0000b' }, 'body'],
    ['/api/x', { nested: [{ deep: ['ok', 'b\u0000'] }] }, 'body'],
    ['/api/x', { ['k\u0000']: 1 }, 'body'],
  ])('%s with %j → %s', (originalUrl, body, expected) => {
    expect(nulCharacterLocation({ originalUrl, body })).toBe(expected);
  });

  it.each([
    ['/api/admin/events?type=WalletCredited', { reason: 'fine', amount: '1.00', list: [1, null, true] }],
    ['/api/x%2500', undefined], // an encoded "%" followed by "00" is not a NUL
    ['/api/x', '\\u0000 as typed text'],
  ])('%s with %j passes', (originalUrl, body) => {
    expect(nulCharacterLocation({ originalUrl, body })).toBeNull();
  });
});
