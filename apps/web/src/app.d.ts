// See https://svelte.dev/docs/kit/types#app.d.ts
import type { ApiClient, MeView, MembershipView } from '$lib/server/api-client';

declare global {
  namespace App {
    interface Error {
      message: string;
      /** The API's error code, when the failure came from the API. */
      code?: string;
    }
    interface Locals {
      /** The API client for this request, carrying the session token (if any) as a bearer token. */
      api: ApiClient;
      /** Set by hooks.server.ts when the session cookie holds a token the API accepts (GET /api/me). */
      user: MeView['user'] | null;
      /** The first memberships (GET /api/me bounds them) and the active one. */
      memberships: MembershipView[];
      /** More memberships exist than listed: the organizations page shows them all. */
      moreMemberships: boolean;
      activeOrganizationId: string | null;
      activeMembership: MembershipView | null;
      /** Why the session could not be checked (API unreachable), shown instead of logging the user out. */
      sessionProblem: string | null;
      /** Staff acting as `user` (an impersonation session): the staff member's user id, else null. */
      impersonatorId: string | null;
    }
    // interface PageData {}
    // interface PageState {}
    // interface Platform {}
  }
}

export {};
