import type { ProviderFormat } from '../entities/custom-provider.entity';

export const ANTHROPIC_VERSION = '2023-06-01';

/** How each format carries the key: OpenAI as a bearer token, Anthropic as x-api-key. No key, no header. */
export function upstreamAuthHeaders(
  format: ProviderFormat,
  apiKey: string | null,
): Record<string, string> {
  if (format === 'anthropic') {
    return apiKey === null
      ? { 'anthropic-version': ANTHROPIC_VERSION }
      : { 'x-api-key': apiKey, 'anthropic-version': ANTHROPIC_VERSION };
  }
  return apiKey === null ? {} : { authorization: `Bearer ${apiKey}` };
}
