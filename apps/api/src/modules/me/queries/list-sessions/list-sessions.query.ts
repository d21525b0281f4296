import { Query } from '@nestjs/cqrs';

export interface SessionView {
  id: string;
  ip: string;
  userAgent: string;
  signedInAt: string;
  current: boolean;
  staffAccess: boolean;
}

/** The user's open sessions, newest first; `current` marks the one asking. */
export class ListSessionsQuery extends Query<{ sessions: SessionView[] }> {
  constructor(
    readonly userId: string,
    readonly currentSessionId: string,
  ) {
    super();
  }
}
