import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error';
import type { GatewayPrincipal } from '../common/http/request-context';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CustomProvidersService } from '../providers/custom-providers.service';
import type { ProviderFormat } from '../providers/entities/custom-provider.entity';
import {
  BUILTIN_MODELS,
  BUILTIN_PROVIDER_FORMAT,
  type BuiltinModel,
} from '../providers/provider-catalog';
import { ProviderChanges } from '../providers/provider-changes.service';
import { RoutingTable, type RoutableModel, type RoutableProvider } from './routing-table';

/** Where a request goes. Carries no secret in clear: the key is opened only when forwarding. */
export interface Route {
  /** Names the provider in `x-switchyard-provider`: `openai`, `anthropic` or `custom:<providerId>`. */
  providerLabel: string;
  format: ProviderFormat;
  baseUrl: string;
  upstreamModel: string;
  /** Prices in micro-dollars per million tokens; null when unpriced. */
  prices: { input: number; output: number; cachedInput: number } | null;
  credential:
    | { kind: 'builtin'; apiKey: string }
    | {
        kind: 'custom';
        providerId: string;
        organizationId: string;
        apiKeyCiphertext: string | null;
      };
}

// A replica that missed a change notice (Redis down) still picks the change up after this long.
const TABLE_TTL_MS = 60_000;

export class ModelNotFoundError extends ApiError {
  constructor(model: string, reasons: string[]) {
    super(
      404,
      'invalid_request_error',
      'model_not_found',
      `The model '${model}' does not exist or is not available to this key: ${reasons.join('; ')}.`,
      'model',
    );
  }
}

/**
 * model name → Route: configured built-in models first (a custom provider cannot take their names),
 * then the project's custom providers by the three tiers of RoutingTable. Tables are cached per
 * project and dropped when its providers change, so no request reads the database.
 */
@Injectable()
export class ModelRouter {
  private readonly builtins = new Map<string, BuiltinModel>();
  private readonly tables = new Map<string, { table: RoutingTable; expiresAt: number }>();
  private readonly loading = new Map<string, Promise<RoutingTable>>();

  constructor(
    private readonly providers: CustomProvidersService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    changes: ProviderChanges,
  ) {
    for (const model of BUILTIN_MODELS) this.builtins.set(model.id.toLowerCase(), model);
    changes.subscribe((projectId) => {
      this.tables.delete(projectId);
      this.loading.delete(projectId);
    });
  }

  async resolve(principal: GatewayPrincipal, model: string): Promise<Route> {
    const builtin = this.builtins.get(model.toLowerCase());
    const builtinConfig = builtin ? this.config.builtins[builtin.provider] : undefined;
    if (builtin && builtinConfig?.apiKey) {
      return builtinRoute(builtin, builtinConfig.baseUrl, builtinConfig.apiKey);
    }

    const table = await this.tableFor(principal.projectId);
    const custom = table.resolve(model);
    if (custom) {
      return {
        providerLabel: `custom:${custom.provider.id}`,
        format: custom.provider.format,
        baseUrl: custom.provider.baseUrl,
        upstreamModel: custom.upstreamModel,
        prices: customPrices(custom.model),
        credential: {
          kind: 'custom',
          providerId: custom.provider.id,
          organizationId: principal.organizationId,
          apiKeyCiphertext: custom.provider.apiKeyCiphertext,
        },
      };
    }

    const reasons = [
      builtin
        ? `'${builtin.id}' is a built-in ${builtin.provider} model, but ${builtin.provider.toUpperCase()}_API_KEY is not set`
        : `it is not a built-in model`,
      ...table.explainMiss(model),
    ];
    throw new ModelNotFoundError(model, reasons);
  }

  /** Every model name this project can use right now, for GET /v1/models. */
  async listModels(principal: GatewayPrincipal): Promise<{ id: string; ownedBy: string }[]> {
    const entries: { id: string; ownedBy: string }[] = [];
    for (const model of BUILTIN_MODELS) {
      if (this.config.builtins[model.provider].apiKey)
        entries.push({ id: model.id, ownedBy: model.provider });
    }
    const { providers } = await this.tableFor(principal.projectId);
    const taken = new Set(entries.map((entry) => entry.id.toLowerCase()));
    for (const provider of providers.filter((candidate) => candidate.isActive)) {
      for (const id of [...provider.models.map((model) => model.name), provider.name]) {
        if (taken.has(id.toLowerCase())) continue;
        taken.add(id.toLowerCase());
        entries.push({ id, ownedBy: `custom:${provider.id}` });
      }
    }
    return entries;
  }

  private tableFor(projectId: string): RoutingTable | Promise<RoutingTable> {
    const cached = this.tables.get(projectId);
    if (cached && cached.expiresAt > Date.now()) return cached.table;
    let pending = this.loading.get(projectId);
    if (!pending) {
      pending = this.providers
        .routableProviders(projectId)
        .then((providers: RoutableProvider[]) => {
          const table = new RoutingTable(providers);
          // A change notice that arrived while loading removed this promise: don't cache the stale table.
          if (this.loading.get(projectId) === pending) {
            this.tables.set(projectId, { table, expiresAt: Date.now() + TABLE_TTL_MS });
            this.loading.delete(projectId);
          }
          return table;
        });
      this.loading.set(projectId, pending);
      pending.catch(() => this.loading.delete(projectId));
    }
    return pending;
  }
}

function builtinRoute(model: BuiltinModel, baseUrl: string, apiKey: string): Route {
  return {
    providerLabel: model.provider,
    format: BUILTIN_PROVIDER_FORMAT[model.provider],
    baseUrl,
    upstreamModel: model.id,
    prices: {
      input: model.inputPrice,
      output: model.outputPrice,
      cachedInput: model.cachedInputPrice,
    },
    credential: { kind: 'builtin', apiKey },
  };
}

// Custom models have no separate cached-input price: cached tokens cost the input price.
function customPrices(model: RoutableModel | null): Route['prices'] {
  if (model === null || (model.inputPrice === null && model.outputPrice === null)) return null;
  const input = model.inputPrice ?? 0;
  return { input, output: model.outputPrice ?? 0, cachedInput: input };
}
