import { ApiError } from '../../../shared/errors/api-error';

/**
 * A provider failure as an HTTP answer: retryable ones (5xx, 429, timeouts, network) are 503
 * `provider_unavailable`; the provider refusing (4xx) or not knowing the instance is 502 `provider_error`.
 * Never a 500: the client did nothing wrong and may retry.
 */
export function mapProviderError(error: unknown, action: string): ApiError {
  const kind =
    typeof error === 'object' && error !== null && 'kind' in error ? (error as { kind: unknown }).kind : null;
  const reason = error instanceof Error ? error.message.slice(0, 200) : String(error);
  if (kind === 'final' || kind === 'not_found') {
    return new ApiError(502, 'provider_error', `The cloud provider refused to ${action} the server`, {
      kind,
      reason,
    });
  }
  return new ApiError(
    503,
    'provider_unavailable',
    `The cloud provider could not be reached to ${action} the server; try again shortly`,
    { kind: kind ?? 'retryable', reason },
    { 'Retry-After': '5' },
  );
}
