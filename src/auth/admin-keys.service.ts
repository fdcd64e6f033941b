import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { NotFoundError } from '../common/errors/api-error';
import type { AdminIdentity, AdminPrincipal } from '../common/http/request-context';
import { OrganizationsService } from '../tenancy/organizations.service';
import { AdminKeyEntity } from './entities/admin-key.entity';
import { ADMIN_KEY_PREFIX, hashKey, issueKey } from './key-format';
import type { CreateAdminKeyDto } from './dto/create-admin-key.dto';
import {
  toAdminKeyResponse,
  type AdminKeyResponseDto,
  type CreatedAdminKeyResponseDto,
} from './dto/admin-key-response.dto';

@Injectable()
export class AdminKeysService {
  constructor(
    @InjectRepository(AdminKeyEntity) private readonly adminKeys: Repository<AdminKeyEntity>,
    private readonly organizations: OrganizationsService,
  ) {}

  async create(
    principal: AdminPrincipal,
    organizationId: string,
    dto: CreateAdminKeyDto,
  ): Promise<CreatedAdminKeyResponseDto> {
    await this.organizations.findVisible(principal, organizationId);
    const issued = issueKey(ADMIN_KEY_PREFIX);
    const entity = await this.adminKeys.save(
      this.adminKeys.create({
        id: `adk_${randomUUID().replace(/-/g, '')}`,
        organizationId,
        name: dto.name,
        keyHash: issued.hash,
        lastFour: issued.lastFour,
        createdAt: new Date(),
        revokedAt: null,
      }),
    );
    return { ...toAdminKeyResponse(entity), key: issued.secret };
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
    if (key.revokedAt === null)
      await this.adminKeys.update({ id: key.id }, { revokedAt: new Date() });
  }

  /** The identity behind an active admin key, or null. */
  async authenticate(secret: string): Promise<AdminIdentity | null> {
    const key = await this.adminKeys.findOneBy({ keyHash: hashKey(secret), revokedAt: IsNull() });
    return key
      ? { kind: 'admin_key', keyId: key.id, keyName: key.name, organizationId: key.organizationId }
      : null;
  }
}
