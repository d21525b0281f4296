export * from './shared/decider';
export * from './shared/streams';
export * from './money/money';
export * from './permissions/permissions';
export * from './user/user.events';
export * from './organization/organization.events';
export * from './wallet/wallet.events';
