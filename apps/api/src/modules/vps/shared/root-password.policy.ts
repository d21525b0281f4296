import { randomBytes } from 'node:crypto';
import { ApiError } from '../../../shared/errors/api-error';

export const ROOT_PASSWORD_MIN_LENGTH = 12;
export const ROOT_PASSWORD_MAX_LENGTH = 128;

const CLASSES: [string, RegExp][] = [
  ['lowercase letters', /[a-z]/],
  ['uppercase letters', /[A-Z]/],
  ['digits', /[0-9]/],
  ['symbols', /[^A-Za-z0-9]/],
];

/**
 * 12 to 128 printable ASCII characters from at least three of: lowercase, uppercase, digits, symbols
 * (the provider refuses weak root passwords late, after the first hour is charged; refuse them here).
 * The message never echoes the password.
 */
export function checkRootPassword(password: string): void {
  const fail = (message: string, details: Record<string, unknown> = {}) =>
    ApiError.badRequest('weak_root_password', message, { field: 'rootPassword', ...details });
  if (password.length < ROOT_PASSWORD_MIN_LENGTH || password.length > ROOT_PASSWORD_MAX_LENGTH) {
    throw fail(`rootPassword must be ${ROOT_PASSWORD_MIN_LENGTH} to ${ROOT_PASSWORD_MAX_LENGTH} characters`, {
      minLength: ROOT_PASSWORD_MIN_LENGTH,
      maxLength: ROOT_PASSWORD_MAX_LENGTH,
    });
  }
  if (!/^[\x20-\x7e]+$/.test(password)) {
    throw fail('rootPassword must use printable ASCII characters only');
  }
  const present = CLASSES.filter(([, pattern]) => pattern.test(password)).length;
  if (present < 3) {
    throw fail(
      'rootPassword must mix at least three of: lowercase letters, uppercase letters, digits, symbols',
      { classesRequired: 3, classesPresent: present },
    );
  }
}

/**
 * A strong root password nobody is told (a rebuild with keys only: Linode requires one): 32 random base64url
 * characters plus one of each class, so it passes checkRootPassword and the provider's strength score.
 */
export function generateRootPassword(): string {
  return `${randomBytes(24).toString('base64url')}aZ7%`;
}
