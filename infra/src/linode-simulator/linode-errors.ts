/** Linode's error answer ({ errors: [{ field?, reason }] }) as an exception the simulator's handlers throw. */
export interface LinodeErrorItem {
  field?: string;
  reason: string;
}

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: LinodeErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.map((error) => error.reason).join('; '));
  }
}

export const notFound = () => new HttpFailure(404, [{ reason: 'Not found' }]);
export const badRequest = (errors: LinodeErrorItem[]) => new HttpFailure(400, errors);
