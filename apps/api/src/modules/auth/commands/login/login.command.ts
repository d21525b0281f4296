import { Command } from '@nestjs/cqrs';

export interface LoginResult {
  userId: string;
  email: string;
  name: string;
  platformRole: 'admin' | 'customer';
}

/** Checks credentials against the user's stream (not a projection: login works right after register). */
export class LoginCommand extends Command<LoginResult> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly ip: string,
  ) {
    super();
  }
}
