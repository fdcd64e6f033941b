import type { ProviderFormat } from '../providers/entities/custom-provider.entity';

export interface RoutableModel {
  name: string;
  upstreamName: string | null;
  /** Micro-dollars per million tokens; null when unpriced. */
  inputPrice: number | null;
  outputPrice: number | null;
}

export interface RoutableProvider {
  id: string;
  name: string;
  isActive: boolean;
  format: ProviderFormat;
  baseUrl: string;
  apiKeyCiphertext: string | null;
  /** In registration order: tier 2 uses the first. */
  models: RoutableModel[];
}

export interface CustomRoute {
  provider: RoutableProvider;
  /** The registered model, when the route goes through one (tiers 1 and 2). */
  model: RoutableModel | null;
  upstreamModel: string;
  tier: 1 | 2 | 3;
}

/**
 * One project's custom providers, indexed for the three routing tiers. Built once per change of the
 * project's providers; resolving a name is a few map lookups.
 */
export class RoutingTable {
  private readonly modelsByName = new Map<
    string,
    { provider: RoutableProvider; model: RoutableModel }
  >();
  private readonly providersByName = new Map<string, RoutableProvider>();
  private readonly inactiveModels = new Map<string, string>();
  private readonly inactiveProviders = new Set<string>();

  constructor(readonly providers: readonly RoutableProvider[]) {
    for (const provider of providers) {
      const providerKey = provider.name.toLowerCase();
      if (!provider.isActive) {
        this.inactiveProviders.add(providerKey);
        for (const model of provider.models)
          this.inactiveModels.set(model.name.toLowerCase(), provider.name);
        continue;
      }
      this.providersByName.set(providerKey, provider);
      for (const model of provider.models) {
        // Two providers may register the same name; the first registered keeps it.
        const modelKey = model.name.toLowerCase();
        if (!this.modelsByName.has(modelKey)) this.modelsByName.set(modelKey, { provider, model });
      }
    }
  }

  resolve(requested: string): CustomRoute | null {
    const key = requested.toLowerCase();
    const exact = this.modelsByName.get(key);
    if (exact)
      return { ...exact, upstreamModel: exact.model.upstreamName ?? exact.model.name, tier: 1 };

    const provider = this.providersByName.get(key);
    if (provider) {
      const first = provider.models[0] ?? null;
      return {
        provider,
        model: first,
        upstreamModel: first ? (first.upstreamName ?? first.name) : provider.name,
        tier: 2,
      };
    }

    const slash = requested.indexOf('/');
    if (slash > 0 && slash < requested.length - 1) {
      const prefixed = this.providersByName.get(key.slice(0, slash));
      if (prefixed) {
        const suffix = requested.slice(slash + 1);
        // A registered model named like the suffix keeps its upstream name and prices.
        const model =
          prefixed.models.find(
            (candidate) => candidate.name.toLowerCase() === suffix.toLowerCase(),
          ) ?? null;
        return {
          provider: prefixed,
          model,
          upstreamModel: model ? (model.upstreamName ?? model.name) : suffix,
          tier: 3,
        };
      }
    }
    return null;
  }

  /** Why `requested` found nothing, check by check, for the model_not_found message. */
  explainMiss(requested: string): string[] {
    const key = requested.toLowerCase();
    const reasons: string[] = [];
    const inactiveOwner = this.inactiveModels.get(key);
    if (inactiveOwner)
      reasons.push(`provider '${inactiveOwner}' has a model named '${requested}' but is inactive`);
    else reasons.push(`no active provider has a model named '${requested}'`);
    if (this.inactiveProviders.has(key)) reasons.push(`provider '${requested}' is inactive`);
    else reasons.push(`no active provider is named '${requested}'`);
    const slash = requested.indexOf('/');
    if (slash > 0) {
      const prefix = requested.slice(0, slash);
      reasons.push(
        this.inactiveProviders.has(prefix.toLowerCase())
          ? `provider '${prefix}' (before the "/") is inactive`
          : `no active provider is named '${prefix}' (the part before the "/")`,
      );
    }
    return reasons;
  }
}
