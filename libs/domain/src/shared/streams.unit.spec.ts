import { streamCategory, streams } from './streams';

describe('streams', () => {
  it('names streams <category>-<id>', () => {
    expect(streams.user('u1')).toBe('user-u1');
    expect(streams.organization('o1')).toBe('organization-o1');
    expect(streams.wallet('o1')).toBe('wallet-o1');
    expect(streams.emailClaim(' Ada@Example.com ')).toBe('useremail-ada@example.com');
  });

  it('streamCategory is the part before the first dash', () => {
    expect(streamCategory(streams.wallet('1f0e-aa'))).toBe('wallet');
    expect(streamCategory(streams.emailClaim('a-b@example.com'))).toBe('useremail');
    expect(streamCategory('nodash')).toBe('nodash');
  });
});
