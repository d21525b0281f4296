import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { OPTIONAL_MAILS, type OptionalMail } from './mail-preferences';
import { userDecider, type UserCommand } from './user.decider';
import type { MailPreferencesChanged, UserRegistered } from './user.events';

// Which optional mails a user turned off: the user stream's MailPreferencesChanged.
const spec = DeciderSpecification.for(userDecider);
const USER = 'user-1';
const self = metadataFor(USER);
const other = metadataFor('user-2');
const staff = metadataFor('staff-1', 'admin');

const registered: UserRegistered = {
  type: 'UserRegistered',
  data: { userId: USER, email: 'ada@example.com', name: 'Ada', passwordHash: 'h', platformRole: 'customer' },
};
const change = (optedOut: unknown, metadata = self): UserCommand => ({
  type: 'ChangeMailPreferences',
  data: { optedOut: optedOut as string[] },
  metadata,
});
const changed = (...optedOut: OptionalMail[]): MailPreferencesChanged => ({
  type: 'MailPreferencesChanged',
  data: { userId: USER, optedOut },
});

describe('user decider: mail preferences', () => {
  describe('when the user is not registered', () => {
    it('rejects the change as user_not_found', () => {
      spec
        .given([])
        .when(change(['low_balance']))
        .thenThrows('not_found', 'user_not_found');
    });
  });

  describe('when the user is registered', () => {
    it('starts with every mail on', () => {
      expect(stateAfter(userDecider, [registered])).toMatchObject({ mailOptOuts: [] });
    });

    it('records the mails turned off, deduplicated, in the one order', () => {
      spec
        .given([registered])
        .when(change(['server_active', 'low_balance', 'server_active']))
        .then([changed('low_balance', 'server_active')]);
    });

    it('turns mails back on with a smaller set', () => {
      spec
        .given([registered, changed('low_balance', 'server_active')])
        .when(change(['server_active']))
        .then([changed('server_active')]);
      spec
        .given([registered, changed('low_balance')])
        .when(change([]))
        .then([changed()]);
    });

    it('records nothing when the choice is unchanged', () => {
      spec.given([registered]).when(change([])).then([]);
      spec
        .given([registered, changed('low_balance', 'member_added')])
        .when(change(['member_added', 'low_balance']))
        .then([]);
    });

    it('accepts every optional mail', () => {
      const all = Object.keys(OPTIONAL_MAILS) as OptionalMail[];
      spec
        .given([registered])
        .when(change([...all].reverse()))
        .then([changed(...all)]);
    });

    it.each([
      [['password_reset'], 'a security mail'],
      [['verify_email'], 'a security mail'],
      [['welcome'], 'an always-sent mail'],
      [['nonsense'], 'an unknown mail'],
      [[42], 'a number'],
      ['low_balance', 'a string instead of a list'],
      [null, 'null'],
    ])('refuses %j (%s) as invalid_mail_preferences', (optedOut, _what) => {
      spec
        .given([registered])
        .when(change(optedOut))
        .thenThrows('validation', 'invalid_mail_preferences', { field: 'optedOut' });
    });

    it('hides the user from another customer and from staff (only the owner chooses)', () => {
      spec
        .given([registered])
        .when(change(['low_balance'], other))
        .thenThrows('not_found', 'user_not_found');
      spec
        .given([registered])
        .when(change(['low_balance'], staff))
        .thenThrows('not_found', 'user_not_found');
    });
  });
});
