import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { NotFoundError, PermissionError } from '../common/errors/api-error';
import { canSeeOrganization, type AdminPrincipal } from '../common/http/request-context';
import type { CreateOrganizationDto } from './dto/create-organization.dto';
import { OrganizationEntity } from './entities/organization.entity';
import { newId } from '../common/ids';

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectRepository(OrganizationEntity)
    private readonly organizations: Repository<OrganizationEntity>,
  ) {}

  async create(principal: AdminPrincipal, dto: CreateOrganizationDto): Promise<OrganizationEntity> {
    if (principal.kind !== 'root') {
      throw new PermissionError('Only the root admin token can create organizations.');
    }
    return this.organizations.save(
      this.organizations.create({
        id: newId('org'),
        name: dto.name,
        createdAt: new Date(),
      }),
    );
  }

  list(principal: AdminPrincipal): Promise<OrganizationEntity[]> {
    return this.organizations.find({
      where: principal.kind === 'root' ? {} : { id: principal.organizationId },
      order: { createdAt: 'ASC' },
    });
  }

  /** The organization, or 404 when it does not exist or the caller may not see it (never 403: ids are not probed). */
  async findVisible(
    principal: AdminPrincipal,
    organizationId: string,
  ): Promise<OrganizationEntity> {
    const organization = canSeeOrganization(principal, organizationId)
      ? await this.organizations.findOneBy({ id: organizationId })
      : null;
    if (!organization) throw new NotFoundError('organization', organizationId);
    return organization;
  }
}
