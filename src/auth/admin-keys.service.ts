import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { NotFoundError } from '../common/errors/api-error';
import type { AdminIdentity, AdminPrincipal } from '../common/http/request-context';
import { OrganizationsService } from '../tenancy/organizations.service';
import {
  toAdminKeyResponse,
  type AdminKeyResponseDto,
  type CreatedAdminKeyResponseDto,
} from './dto/admin-key-response.dto';
import type { CreateAdminKeyDto } from './dto/create-admin-key.dto';
import { AdminKeyEntity } from './entities/admin-key.entity';
import { ADMIN_KEY_PREFIX, hashKey, issueKey } from './key-format';
import { newId } from '../common/ids';

@Injectable()
export class AdminKeysService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AdminKeyEntity) private readonly adminKeys: Repository<AdminKeyEntity>,
    private readonly organizations: OrganizationsService,
    private readonly audit: AuditService,
  ) {}

  async create(
    principal: AdminPrincipal,
    organizationId: string,
    dto: CreateAdminKeyDto,
  ): Promise<CreatedAdminKeyResponseDto> {
    await this.organizations.findVisible(principal, organizationId);
    const issued = issueKey(ADMIN_KEY_PREFIX);
    const key = this.adminKeys.create({
      id: newId('adk'),
      organizationId,
      name: dto.name,
      keyHash: issued.hash,
      lastFour: issued.lastFour,
      createdAt: new Date(),
      revokedAt: null,
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(AdminKeyEntity, key);
      await this.audit.record(manager, principal, {
        organizationId,
        action: 'admin_key.create',
        targetType: 'admin_key',
        targetId: key.id,
        after: { name: key.name, lastFour: key.lastFour },
      });
    });
    return { ...toAdminKeyResponse(key), key: issued.secret };
  }

  async list(principal: AdminPrincipal, organizationId: string): Promise<AdminKeyResponseDto[]> {
    await this.organizations.findVisible(principal, organizationId);
    const keys = await this.adminKeys.find({
      where: { organizationId },
      order: { createdAt: 'ASC' },
    });
    return keys.map(toAdminKeyResponse);
  }

  async revoke(principal: AdminPrincipal, organizationId: string, keyId: string): Promise<void> {
    await this.organizations.findVisible(principal, organizationId);
    const key = await this.adminKeys.findOneBy({ id: keyId, organizationId });
    if (!key) throw new NotFoundError('admin_key', keyId);
    if (key.revokedAt !== null) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.update(AdminKeyEntity, { id: key.id }, { revokedAt: new Date() });
      await this.audit.record(manager, principal, {
        organizationId,
        action: 'admin_key.revoke',
        targetType: 'admin_key',
        targetId: key.id,
        before: { name: key.name, lastFour: key.lastFour },
      });
    });
  }

  /** The identity behind an active admin key, or null. */
  async authenticate(secret: string): Promise<AdminIdentity | null> {
    const key = await this.adminKeys.findOneBy({ keyHash: hashKey(secret), revokedAt: IsNull() });
    return key
      ? { kind: 'admin_key', keyId: key.id, keyName: key.name, organizationId: key.organizationId }
      : null;
  }
}
