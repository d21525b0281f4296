import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { emailClaimDecider, type ClaimEmail } from './email-claim.decider';
import { isValidEmail, normalizeEmail } from './email';
import type { EmailClaimed } from './user.events';
import { streams } from '../shared/streams';

const spec = DeciderSpecification.for(emailClaimDecider);
const claim = (email: string, userId = 'user-1'): ClaimEmail => ({
  type: 'ClaimEmail',
  data: { email, userId },
  metadata: metadataFor(userId),
});
const claimed = (email: string, userId = 'user-1'): EmailClaimed => ({
  type: 'EmailClaimed',
  data: { email, userId },
});

describe('email claim decider', () => {
  describe('when the email is unclaimed', () => {
    it('claims it', () => {
      spec
        .given([])
        .when(claim('ada@example.com'))
        .then([claimed('ada@example.com')]);
    });

    it('records the normalized (trimmed, lower-case) address', () => {
      spec
        .given([])
        .when(claim('  Ada@Example.COM '))
        .then([claimed('ada@example.com')]);
    });

    it.each([['not-an-email'], ['a@b'], ['@example.com'], ['ada@'], ['ada @example.com'], [''], ['a@b.c']])(
      'rejects the malformed email %j',
      (email) => {
        spec.given([]).when(claim(email)).thenThrows('validation', 'invalid_email');
      },
    );

    it('rejects an email longer than 254 characters', () => {
      spec
        .given([])
        .when(claim(`${'a'.repeat(250)}@example.com`))
        .thenThrows('validation', 'invalid_email');
    });

    it('rejects a missing user id', () => {
      spec.given([]).when(claim('ada@example.com', '')).thenThrows('validation', 'invalid_user_id');
    });
  });

  describe('when the email is claimed', () => {
    it('rejects a claim by another user as email_taken', () => {
      spec
        .given([claimed('ada@example.com', 'user-1')])
        .when(claim('ADA@example.com', 'user-2'))
        .thenThrows('conflict', 'email_taken');
    });

    it('accepts a retried claim by the same user without new events', () => {
      spec
        .given([claimed('ada@example.com', 'user-1')])
        .when(claim('ada@example.com', 'user-1'))
        .then([]);
    });
  });
});

describe('email helpers', () => {
  it('normalizeEmail matches the claim stream naming', () => {
    expect(streams.emailClaim(' Ada@Example.com ')).toBe(`useremail-${normalizeEmail(' Ada@Example.com ')}`);
  });

  it('isValidEmail', () => {
    expect(isValidEmail('first.last+tag@sub.example.co.uk')).toBe(true);
    expect(isValidEmail('x@example.com')).toBe(true);
    expect(isValidEmail(42)).toBe(false);
    expect(isValidEmail('two@@example.com')).toBe(false);
  });
});
