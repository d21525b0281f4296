import { streams, type LinkTokenEvent } from '@stratus/domain';
import type { TestApi } from '../../../testing/api-test-app';
import { LinkTokens } from '../shared/link-tokens';

/**
 * The raw token of the user's latest link of this kind, unsealed from its event as the mailer does (the
 * test's stand-in for opening the mail).
 */
export async function latestLinkToken(api: TestApi, type: LinkTokenEvent, userId: string): Promise<string> {
  const events = await api.eventStore.readStream(streams.user(userId));
  const latest = events.filter((event) => event.type === type).at(-1);
  if (!latest) throw new Error(`no ${type} on user ${userId}`);
  const { sealedToken } = latest.data as { sealedToken: string };
  return api.app.get(LinkTokens).unseal(type, userId, sealedToken);
}
