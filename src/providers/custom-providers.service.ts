import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { fieldChanges } from '../audit/field-changes';
import { ConflictError, NotFoundError } from '../common/errors/api-error';
import { transactionUnique } from '../database/unique-transaction';
import type { AdminPrincipal } from '../common/http/request-context';
import { REDACTED } from '../common/logging/redact';
import { toMicroDollars } from '../database/money.transformer';
import type { RoutableProvider } from '../routing/routing-table';
import { ProjectsService } from '../tenancy/projects.service';
import { normaliseBaseUrl } from './base-url';
import type { CreateCustomProviderDto } from './dto/create-custom-provider.dto';
import { toProviderModelResponse } from './dto/custom-provider-response.dto';
import type { CreateProviderModelDto } from './dto/provider-model.dto';
import type { UpdateCustomProviderDto } from './dto/update-custom-provider.dto';
import { CustomProviderModelEntity } from './entities/custom-provider-model.entity';
import { CustomProviderEntity } from './entities/custom-provider.entity';
import { ProviderChanges } from './provider-changes.service';
import { ProviderKeyVault } from './provider-key-vault.service';
import { newId } from '../common/ids';

/** A provider with what the caller needs to act on it. */
export interface ProviderInProject {
  provider: CustomProviderEntity;
  organizationId: string;
}

@Injectable()
export class CustomProvidersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(CustomProviderEntity)
    private readonly providers: Repository<CustomProviderEntity>,
    @InjectRepository(CustomProviderModelEntity)
    private readonly models: Repository<CustomProviderModelEntity>,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
    private readonly vault: ProviderKeyVault,
    private readonly changes: ProviderChanges,
  ) {}

  async create(
    caller: AdminPrincipal,
    projectId: string,
    dto: CreateCustomProviderDto,
  ): Promise<{ provider: CustomProviderEntity; models: CustomProviderModelEntity[] }> {
    const project = await this.projects.findVisible(caller, projectId);
    await this.assertNameFree(projectId, dto.name);
    const now = new Date();
    const id = newId('cp');
    const provider = this.providers.create({
      id,
      projectId,
      name: dto.name,
      nameKey: dto.name.toLowerCase(),
      baseUrl: normaliseBaseUrl(dto.baseUrl),
      format: dto.format,
      ...this.vault.sealed(dto.apiKey ?? null, {
        organizationId: project.organizationId,
        providerId: id,
      }),
      isActive: dto.isActive ?? true,
      lastTestOk: null,
      lastTestLatencyMs: null,
      lastTestStatus: null,
      lastTestError: null,
      lastTestedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    // Models are read back ordered by created_at, and "the first model" is the one a test or a
    // `model: "<provider>"` request uses: a millisecond apart keeps the order they were given in.
    const models = (dto.models ?? []).map((model, index) =>
      this.newModel(id, model, new Date(now.getTime() + index)),
    );

    await transactionUnique(
      this.dataSource,
      async (manager) => {
        await manager.insert(CustomProviderEntity, provider);
        if (models.length > 0) await manager.insert(CustomProviderModelEntity, models);
        await this.audit.record(manager, caller, {
          organizationId: project.organizationId,
          projectId,
          action: 'provider.create',
          targetType: 'provider',
          targetId: id,
          after: { ...auditedFields(provider), models: models.map((model) => model.name) },
        });
      },
      () => providerNameTaken(provider.name),
    );
    this.changes.notify(projectId);
    return { provider, models };
  }

  async list(
    caller: AdminPrincipal,
    projectId: string,
  ): Promise<{ provider: CustomProviderEntity; models: CustomProviderModelEntity[] }[]> {
    await this.projects.findVisible(caller, projectId);
    const providers = await this.providers.find({
      where: { projectId },
      relations: { models: true },
      order: { createdAt: 'ASC', models: { createdAt: 'ASC' } },
    });
    return providers.map((provider) => ({ provider, models: provider.models ?? [] }));
  }

  /** The provider, or 404 when it is not in this project or the project is not visible to the caller. */
  async findVisible(
    caller: AdminPrincipal,
    projectId: string,
    providerId: string,
  ): Promise<ProviderInProject> {
    const project = await this.projects.findVisible(caller, projectId);
    const provider = await this.providers.findOneBy({ id: providerId, projectId });
    if (!provider) throw new NotFoundError('provider', providerId);
    return { provider, organizationId: project.organizationId };
  }

  async modelsOf(providerId: string): Promise<CustomProviderModelEntity[]> {
    return this.models.find({ where: { providerId }, order: { createdAt: 'ASC' } });
  }

  async update(
    caller: AdminPrincipal,
    projectId: string,
    providerId: string,
    dto: UpdateCustomProviderDto,
  ): Promise<CustomProviderEntity> {
    const { provider, organizationId } = await this.findVisible(caller, projectId, providerId);
    const before = auditedFields(provider);
    if (dto.name !== undefined && dto.name.toLowerCase() !== provider.nameKey) {
      await this.assertNameFree(projectId, dto.name);
    }
    if (dto.name !== undefined) {
      provider.name = dto.name;
      provider.nameKey = dto.name.toLowerCase();
    }
    if (dto.baseUrl !== undefined) provider.baseUrl = normaliseBaseUrl(dto.baseUrl);
    if (dto.format !== undefined) provider.format = dto.format;
    if (dto.isActive !== undefined) provider.isActive = dto.isActive;
    if (dto.apiKey !== undefined)
      Object.assign(provider, this.vault.sealed(dto.apiKey, { organizationId, providerId }));
    provider.updatedAt = new Date();

    await transactionUnique(
      this.dataSource,
      async (manager) => {
        await manager.save(CustomProviderEntity, provider);
        await this.audit.record(manager, caller, {
          organizationId,
          projectId,
          action: 'provider.update',
          targetType: 'provider',
          targetId: providerId,
          // A replaced key looks the same once redacted; record that it changed all the same.
          ...fieldChanges(
            before,
            auditedFields(provider),
            dto.apiKey !== undefined ? ['apiKey'] : [],
          ),
        });
      },
      () => providerNameTaken(provider.name),
    );
    this.changes.notify(projectId);
    return provider;
  }

  async remove(caller: AdminPrincipal, projectId: string, providerId: string): Promise<void> {
    const { provider, organizationId } = await this.findVisible(caller, projectId, providerId);
    const models = await this.modelsOf(providerId);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(CustomProviderEntity, { id: providerId });
      await this.audit.record(manager, caller, {
        organizationId,
        projectId,
        action: 'provider.delete',
        targetType: 'provider',
        targetId: providerId,
        before: { ...auditedFields(provider), models: models.map((model) => model.name) },
      });
    });
    this.changes.notify(projectId);
  }

  async addModel(
    caller: AdminPrincipal,
    projectId: string,
    providerId: string,
    dto: CreateProviderModelDto,
  ): Promise<CustomProviderModelEntity> {
    const { organizationId } = await this.findVisible(caller, projectId, providerId);
    const model = this.newModel(providerId, dto, new Date());
    if (await this.models.existsBy({ providerId, nameKey: model.nameKey }))
      throw modelNameTaken(dto.name);
    await transactionUnique(
      this.dataSource,
      async (manager) => {
        await manager.insert(CustomProviderModelEntity, model);
        await this.audit.record(manager, caller, {
          organizationId,
          projectId,
          action: 'model.add',
          targetType: 'model',
          targetId: model.id,
          after: { providerId, ...modelFields(model) },
        });
      },
      () => modelNameTaken(dto.name),
    );
    this.changes.notify(projectId);
    return model;
  }

  async removeModel(
    caller: AdminPrincipal,
    projectId: string,
    providerId: string,
    modelId: string,
  ): Promise<void> {
    const { organizationId } = await this.findVisible(caller, projectId, providerId);
    const model = await this.models.findOneBy({ id: modelId, providerId });
    if (!model) throw new NotFoundError('model', modelId);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(CustomProviderModelEntity, { id: modelId });
      await this.audit.record(manager, caller, {
        organizationId,
        projectId,
        action: 'model.remove',
        targetType: 'model',
        targetId: modelId,
        before: { providerId, ...modelFields(model) },
      });
    });
    this.changes.notify(projectId);
  }

  /** Every provider of the project with its models in registration order, for the routing table. */
  async routableProviders(projectId: string): Promise<RoutableProvider[]> {
    const providers = await this.providers.find({
      where: { projectId },
      relations: { models: true },
      order: { createdAt: 'ASC', models: { createdAt: 'ASC' } },
    });
    return providers.map((provider) => ({
      id: provider.id,
      name: provider.name,
      isActive: provider.isActive,
      format: provider.format,
      baseUrl: provider.baseUrl,
      apiKeyCiphertext: provider.apiKeyCiphertext,
      models: (provider.models ?? []).map((model) => ({
        name: model.name,
        upstreamName: model.upstreamName,
        inputPrice: model.inputPricePerMillion,
        outputPrice: model.outputPricePerMillion,
      })),
    }));
  }

  /** Stores the outcome of a connection test, for the provider's status badge. */
  async saveTestResult(
    providerId: string,
    result: { ok: boolean; latencyMs: number; status: number | null; error: string | null },
  ): Promise<void> {
    await this.providers.update(
      { id: providerId },
      {
        lastTestOk: result.ok,
        lastTestLatencyMs: result.latencyMs,
        lastTestStatus: result.status,
        lastTestError: result.error?.slice(0, 1000) ?? null,
        lastTestedAt: new Date(),
      },
    );
  }

  private newModel(
    providerId: string,
    dto: CreateProviderModelDto,
    now: Date,
  ): CustomProviderModelEntity {
    return this.models.create({
      id: newId('cpm'),
      providerId,
      name: dto.name,
      nameKey: dto.name.toLowerCase(),
      upstreamName: dto.upstreamName ?? null,
      inputPricePerMillion: priceOrNull(dto.inputPricePerMillion),
      outputPricePerMillion: priceOrNull(dto.outputPricePerMillion),
      createdAt: now,
    });
  }

  private async assertNameFree(projectId: string, name: string): Promise<void> {
    if (await this.providers.existsBy({ projectId, nameKey: name.toLowerCase() }))
      throw providerNameTaken(name);
  }
}

/** The fields an audit row shows; the key appears only as "[redacted]" (or null when there is none). */
function auditedFields(provider: CustomProviderEntity): Record<string, unknown> {
  return {
    name: provider.name,
    baseUrl: provider.baseUrl,
    format: provider.format,
    isActive: provider.isActive,
    apiKey: provider.apiKeyCiphertext === null ? null : REDACTED,
  };
}

function priceOrNull(dollarsPerMillion: number | null | undefined): number | null {
  return dollarsPerMillion === null || dollarsPerMillion === undefined
    ? null
    : toMicroDollars(dollarsPerMillion);
}

// Prices in dollars, as the API takes and shows them: the entity holds micro-dollars.
function modelFields(model: CustomProviderModelEntity): Record<string, unknown> {
  const { name, upstreamName, inputPricePerMillion, outputPricePerMillion } =
    toProviderModelResponse(model);
  return { name, upstreamName, inputPricePerMillion, outputPricePerMillion };
}

function providerNameTaken(name: string): ConflictError {
  return new ConflictError(
    `A provider named '${name}' already exists in this project.`,
    'name',
    'provider_name_taken',
  );
}

function modelNameTaken(name: string): ConflictError {
  return new ConflictError(
    `This provider already has a model named '${name}' (names are case-insensitive).`,
    'name',
    'model_name_taken',
  );
}
