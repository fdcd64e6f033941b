import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { NotFoundError } from '../common/errors/api-error';
import type { AdminPrincipal } from '../common/http/request-context';
import { ProjectsService } from '../tenancy/projects.service';
import {
  toApiKeyResponse,
  type ApiKeyResponseDto,
  type CreatedApiKeyResponseDto,
} from './dto/api-key-response.dto';
import type { CreateApiKeyDto } from './dto/create-api-key.dto';
import { ApiKeyEntity } from './entities/api-key.entity';
import { GatewayKeyCache } from './gateway-key-cache.service';
import { GATEWAY_KEY_PREFIX, issueKey } from './key-format';
import { newId } from '../common/ids';

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ApiKeyEntity) private readonly apiKeys: Repository<ApiKeyEntity>,
    private readonly projects: ProjectsService,
    private readonly keyCache: GatewayKeyCache,
    private readonly audit: AuditService,
  ) {}

  async create(
    principal: AdminPrincipal,
    projectId: string,
    dto: CreateApiKeyDto,
  ): Promise<CreatedApiKeyResponseDto> {
    const project = await this.projects.findVisible(principal, projectId);
    const issued = issueKey(GATEWAY_KEY_PREFIX[dto.environment]);
    const key = this.apiKeys.create({
      id: newId('key'),
      projectId,
      environment: dto.environment,
      name: dto.name,
      keyHash: issued.hash,
      lastFour: issued.lastFour,
      limits: dto.limits ? { ...dto.limits } : null,
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.save(ApiKeyEntity, key, { reload: false });
      await this.audit.record(manager, principal, {
        organizationId: project.organizationId,
        projectId,
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: key.id,
        after: auditedFields(key),
      });
    });
    return { ...toApiKeyResponse(key), key: issued.secret };
  }

  async list(principal: AdminPrincipal, projectId: string): Promise<ApiKeyResponseDto[]> {
    await this.projects.findVisible(principal, projectId);
    const keys = await this.apiKeys.find({ where: { projectId }, order: { createdAt: 'ASC' } });
    return keys.map(toApiKeyResponse);
  }

  async revoke(principal: AdminPrincipal, projectId: string, keyId: string): Promise<void> {
    const project = await this.projects.findVisible(principal, projectId);
    const key = await this.apiKeys.findOneBy({ id: keyId, projectId });
    if (!key) throw new NotFoundError('api_key', keyId);
    if (key.revokedAt === null) {
      await this.dataSource.transaction(async (manager) => {
        await manager.update(ApiKeyEntity, { id: key.id }, { revokedAt: new Date() });
        await this.audit.record(manager, principal, {
          organizationId: project.organizationId,
          projectId,
          action: 'api_key.revoke',
          targetType: 'api_key',
          targetId: key.id,
          before: auditedFields(key),
        });
      });
    }
    this.keyCache.forgetKey(key.keyHash);
  }
}

function auditedFields(key: ApiKeyEntity): Record<string, unknown> {
  return {
    name: key.name,
    environment: key.environment,
    lastFour: key.lastFour,
    limits: key.limits,
  };
}
