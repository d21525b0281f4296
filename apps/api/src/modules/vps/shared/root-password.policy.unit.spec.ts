import { ApiError } from '../../../shared/errors/api-error';
import { checkRootPassword, generateRootPassword } from './root-password.policy';

const rejection = (password: string) => {
  try {
    checkRootPassword(password);
    return null;
  } catch (error) {
    return error as ApiError;
  }
};

describe('root password policy', () => {
  it.each(['Abcdefgh1234', 'abcdefgh-123', 'ABCDEFGH-123', 'Correct Horse 9', `Aa1${'x'.repeat(125)}`])(
    'accepts %s',
    (password) => expect(rejection(password)).toBeNull(),
  );

  it.each([
    ['too short', 'Abc-1234567'],
    ['too long', `Aa1-${'x'.repeat(125)}`],
    ['one class', 'abcdefghijklmn'],
    ['two classes', 'abcdefgh12345'],
    ['not ASCII', 'Pässwörd-1234-Ab'],
    ['control character', 'Abcdefgh-123\n'],
  ])('rejects %s with a 400 that does not echo it', (_name, password) => {
    const error = rejection(password);
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.getStatus()).toBe(400);
    expect(error!.error).toBe('weak_root_password');
    expect(JSON.stringify(error!.getResponse())).not.toContain(password);
  });
});

describe('generateRootPassword (a rebuild with keys only)', () => {
  it('passes the policy, is within Linode’s 7 to 128 characters, and differs each time', () => {
    const passwords = Array.from({ length: 50 }, () => generateRootPassword());
    for (const password of passwords) {
      expect(() => checkRootPassword(password)).not.toThrow();
      expect(password.length).toBeLessThanOrEqual(128);
    }
    expect(new Set(passwords).size).toBe(50);
  });
});
