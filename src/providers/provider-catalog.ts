import type { ProviderFormat } from './entities/custom-provider.entity';

export type BuiltinProviderId = 'openai' | 'anthropic';

export interface BuiltinModel {
  id: string;
  provider: BuiltinProviderId;
  kind: 'chat' | 'embedding';
  /** Micro-dollars per million tokens. */
  inputPrice: number;
  outputPrice: number;
  cachedInputPrice: number;
}

export const BUILTIN_PROVIDER_FORMAT: Record<BuiltinProviderId, ProviderFormat> = {
  openai: 'openai',
  anthropic: 'anthropic',
};

const usd = (dollarsPerMillion: number): number => Math.round(dollarsPerMillion * 1_000_000);

function model(
  id: string,
  provider: BuiltinProviderId,
  input: number,
  output: number,
  cachedInput: number,
  kind: BuiltinModel['kind'] = 'chat',
): BuiltinModel {
  return {
    id,
    provider,
    kind,
    inputPrice: usd(input),
    outputPrice: usd(output),
    cachedInputPrice: usd(cachedInput),
  };
}

/** Built-in models with their list prices (US dollars per million tokens: input, output, cached input). */
export const BUILTIN_MODELS: readonly BuiltinModel[] = [
  model('gpt-5', 'openai', 1.25, 10, 0.125),
  model('gpt-5-mini', 'openai', 0.25, 2, 0.025),
  model('gpt-5-nano', 'openai', 0.05, 0.4, 0.005),
  model('gpt-4.1', 'openai', 2, 8, 0.5),
  model('gpt-4.1-mini', 'openai', 0.4, 1.6, 0.1),
  model('gpt-4.1-nano', 'openai', 0.1, 0.4, 0.025),
  model('gpt-4o', 'openai', 2.5, 10, 1.25),
  model('gpt-4o-mini', 'openai', 0.15, 0.6, 0.075),
  model('o3', 'openai', 2, 8, 0.5),
  model('o4-mini', 'openai', 1.1, 4.4, 0.275),
  model('text-embedding-3-small', 'openai', 0.02, 0, 0, 'embedding'),
  model('text-embedding-3-large', 'openai', 0.13, 0, 0, 'embedding'),
  model('claude-opus-4-1', 'anthropic', 15, 75, 1.5),
  model('claude-sonnet-4-5', 'anthropic', 3, 15, 0.3),
  model('claude-sonnet-4-20250514', 'anthropic', 3, 15, 0.3),
  model('claude-haiku-4-5', 'anthropic', 1, 5, 0.1),
  model('claude-3-5-haiku-latest', 'anthropic', 0.8, 4, 0.08),
];
