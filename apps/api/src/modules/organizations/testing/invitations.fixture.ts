import { streams, type InvitationCreated } from '@stratus/domain';
import type { TestApi } from '../../../testing/api-test-app';
import { latestLinkToken } from '../../auth/testing/account-links.fixture';
import { InvitationTokens } from '../shared/invitation-tokens';

/**
 * The raw token of the organization's latest invitation to `email`, unsealed from its event as the mailer does (the
 * test's stand-in for opening the mail).
 */
export async function invitationToken(api: TestApi, organizationId: string, email: string): Promise<string> {
  const events = await api.eventStore.readStream(streams.organization(organizationId));
  const latest = (events as unknown as InvitationCreated[])
    .filter((event) => event.type === 'InvitationCreated' && event.data.email === email.toLowerCase())
    .at(-1);
  if (!latest) throw new Error(`no invitation to ${email} in ${organizationId}`);
  return api.app.get(InvitationTokens).unseal(latest.data.invitationId, latest.data.sealedToken);
}

/** A signed-in user: their session token and address. */
export interface Invitee {
  token: string;
  email: string;
}

/**
 * Confirms the user's address through the real routes, with the link token from their stream (asking for one first
 * when none was mailed, as for the seeded admin).
 */
export async function verifyEmail(api: TestApi, invitee: Invitee, userId: string): Promise<void> {
  const link = () => latestLinkToken(api, 'EmailVerificationRequested', userId);
  const token = await link().catch(async () => {
    const resent = await api.request('POST', '/api/auth/email-verification/resend', { token: invitee.token });
    if (resent.status !== 202) throw new Error(`resending answered ${resent.status}: ${resent.text}`);
    return link();
  });
  const verified = await api.request('POST', '/api/auth/email-verification', { body: { token } });
  if (verified.status !== 200) throw new Error(`verification answered ${verified.status}: ${verified.text}`);
}

/**
 * How someone joins an organization: invited through the real route by `inviterToken`, their address verified
 * (once), the invitation accepted as them. Returns the accept answer (its position reads the membership).
 */
export async function joinByInvitation(
  api: TestApi,
  organizationId: string,
  inviterToken: string,
  invitee: Invitee,
  role: string,
): Promise<{ position: string }> {
  const invited = await api.request('POST', `/api/organizations/${organizationId}/invitations`, {
    token: inviterToken,
    body: { email: invitee.email, role },
  });
  if (invited.status !== 201) throw new Error(`invitation answered ${invited.status}: ${invited.text}`);
  const me = await api.request('GET', '/api/me', { token: invitee.token });
  if (me.status !== 200) throw new Error(`GET /api/me answered ${me.status}: ${me.text}`);
  if (me.body.user.emailVerified !== true) await verifyEmail(api, invitee, me.body.user.id as string);
  const token = await invitationToken(api, organizationId, invitee.email);
  const accepted = await api.request('POST', `/api/invitations/${token}/accept`, { token: invitee.token });
  if (accepted.status !== 200) throw new Error(`accepting answered ${accepted.status}: ${accepted.text}`);
  return accepted.body;
}
