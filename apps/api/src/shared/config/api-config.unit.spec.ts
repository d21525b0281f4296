import { staffRequiresTwoFactor } from './api-config';

describe('staffRequiresTwoFactor (STAFF_REQUIRE_2FA)', () => {
  test.each([
    ['development', undefined, false],
    ['production', undefined, true],
    ['test', undefined, true],
    ['production', false, false],
    ['development', true, true],
  ] as const)('NODE_ENV=%s, STAFF_REQUIRE_2FA=%s → %s', (nodeEnv, staffRequireTwoFactor, expected) => {
    expect(staffRequiresTwoFactor({ nodeEnv, staffRequireTwoFactor })).toBe(expected);
  });
});
