import { RoutingTable, type RoutableModel, type RoutableProvider } from './routing-table';

function provider(
  name: string,
  models: Partial<RoutableModel>[] = [],
  isActive = true,
): RoutableProvider {
  return {
    id: `cp_${name.toLowerCase().replace(/\W/g, '')}`,
    name,
    isActive,
    format: 'openai',
    baseUrl: 'http://127.0.0.1:11434/v1',
    apiKeyCiphertext: null,
    models: models.map((model) => ({
      name: 'unnamed',
      upstreamName: null,
      inputPrice: null,
      outputPrice: null,
      ...model,
    })),
  };
}

const table = new RoutingTable([
  provider('Marlo LLaMA', [
    { name: 'legal-llama-3.1', upstreamName: 'llama3.1:70b' },
    { name: 'second' },
  ]),
  provider('Empty Box'),
  provider('Other', [{ name: 'legal-llama-3.1' }, { name: 'meta-llama/Llama-3.1-8B' }]),
  provider('Sleeping', [{ name: 'dormant' }], false),
]);

describe('RoutingTable', () => {
  it.each([
    // requested, provider, upstream model, tier
    ['legal-llama-3.1', 'Marlo LLaMA', 'llama3.1:70b', 1],
    ['LEGAL-LLAMA-3.1', 'Marlo LLaMA', 'llama3.1:70b', 1],
    ['second', 'Marlo LLaMA', 'second', 1],
    ['meta-llama/Llama-3.1-8B', 'Other', 'meta-llama/Llama-3.1-8B', 1],
    ['Marlo LLaMA', 'Marlo LLaMA', 'llama3.1:70b', 2],
    ['marlo llama', 'Marlo LLaMA', 'llama3.1:70b', 2],
    ['Empty Box', 'Empty Box', 'Empty Box', 2],
    ['Marlo LLaMA/llama3.1-70b', 'Marlo LLaMA', 'llama3.1-70b', 3],
    ['marlo llama/Qwen2.5:7B', 'Marlo LLaMA', 'Qwen2.5:7B', 3],
    ['Marlo LLaMA/legal-llama-3.1', 'Marlo LLaMA', 'llama3.1:70b', 3],
    ['Other/a/b', 'Other', 'a/b', 3],
  ])('routes %s to %s as %s (tier %s)', (requested, providerName, upstreamModel, tier) => {
    const route = table.resolve(requested);
    expect(route).toMatchObject({ provider: { name: providerName }, upstreamModel, tier });
  });

  it('gives a model name registered twice to the provider registered first', () => {
    expect(table.resolve('legal-llama-3.1')?.provider.name).toBe('Marlo LLaMA');
  });

  it.each([
    'dormant',
    'Sleeping',
    'Sleeping/dormant',
    'nothing',
    'Marlo LLaMA/',
    '/x',
    'Unknown/x',
  ])('finds no route for %s', (requested) => {
    expect(table.resolve(requested)).toBeNull();
  });

  it('explains a miss on an inactive provider check by check', () => {
    expect(table.explainMiss('dormant')).toEqual([
      "provider 'Sleeping' has a model named 'dormant' but is inactive",
      "no active provider is named 'dormant'",
    ]);
    expect(table.explainMiss('Sleeping/x')).toEqual([
      "no active provider has a model named 'Sleeping/x'",
      "no active provider is named 'Sleeping/x'",
      `provider 'Sleeping' (before the "/") is inactive`,
    ]);
  });

  it('explains a plain miss with the exact-name, provider-name and prefix checks', () => {
    expect(table.explainMiss('Nope/llama')).toEqual([
      "no active provider has a model named 'Nope/llama'",
      "no active provider is named 'Nope/llama'",
      `no active provider is named 'Nope' (the part before the "/")`,
    ]);
  });
});
