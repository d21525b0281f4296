import type { ApiHeaderOptions } from '@nestjs/swagger';

export const MIN_POSITION_HEADER_DOC: ApiHeaderOptions = {
  name: 'X-Min-Position',
  required: false,
  description:
    'A `position` returned by a command; the query waits (up to 2 s) until the read models include it. ' +
    'Answers carry `X-Projection-Lag: true` when the wait timed out.',
  schema: { type: 'string', example: '7841/1203' },
};
