import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { fieldChanges } from '../audit/field-changes';
import { GatewayKeyCache } from '../auth/gateway-key-cache.service';
import { ConflictError, NotFoundError } from '../common/errors/api-error';
import { transactionUnique } from '../database/unique-transaction';
import { canSeeOrganization, type AdminPrincipal } from '../common/http/request-context';
import type { CreateProjectDto } from './dto/create-project.dto';
import type { UpdateProjectDto } from './dto/update-project.dto';
import { ProjectEntity } from './entities/project.entity';
import { OrganizationsService } from './organizations.service';
import { newId } from '../common/ids';

@Injectable()
export class ProjectsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>,
    private readonly organizations: OrganizationsService,
    private readonly keyCache: GatewayKeyCache,
    private readonly audit: AuditService,
  ) {}

  async create(
    principal: AdminPrincipal,
    organizationId: string,
    dto: CreateProjectDto,
  ): Promise<ProjectEntity> {
    await this.organizations.findVisible(principal, organizationId);
    await this.assertNameFree(organizationId, dto.name);
    const now = new Date();
    const project = this.projects.create({
      id: newId('prj'),
      organizationId,
      name: dto.name,
      nameKey: dto.name.toLowerCase(),
      description: dto.description ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await transactionUnique(
      this.dataSource,
      async (manager) => {
        await manager.insert(ProjectEntity, project);
        await this.audit.record(manager, principal, {
          organizationId,
          projectId: project.id,
          action: 'project.create',
          targetType: 'project',
          targetId: project.id,
          after: auditedFields(project),
        });
      },
      () => nameTaken(project.name),
    );
    return project;
  }

  async list(principal: AdminPrincipal, organizationId: string): Promise<ProjectEntity[]> {
    await this.organizations.findVisible(principal, organizationId);
    return this.projects.find({ where: { organizationId }, order: { createdAt: 'ASC' } });
  }

  /** The project, or 404 when it does not exist or belongs to an organization the caller may not see. */
  async findVisible(principal: AdminPrincipal, projectId: string): Promise<ProjectEntity> {
    const project = await this.projects.findOneBy({ id: projectId });
    if (!project || !canSeeOrganization(principal, project.organizationId)) {
      throw new NotFoundError('project', projectId);
    }
    return project;
  }

  async update(
    principal: AdminPrincipal,
    projectId: string,
    dto: UpdateProjectDto,
  ): Promise<ProjectEntity> {
    const project = await this.findVisible(principal, projectId);
    const before = auditedFields(project);
    if (dto.name !== undefined && dto.name.toLowerCase() !== project.nameKey) {
      await this.assertNameFree(project.organizationId, dto.name);
    }
    if (dto.name !== undefined) {
      project.name = dto.name;
      project.nameKey = dto.name.toLowerCase();
    }
    if (dto.description !== undefined) project.description = dto.description;
    project.updatedAt = new Date();
    await transactionUnique(
      this.dataSource,
      async (manager) => {
        await manager.save(ProjectEntity, project, { reload: false });
        await this.audit.record(manager, principal, {
          organizationId: project.organizationId,
          projectId,
          action: 'project.update',
          targetType: 'project',
          targetId: projectId,
          ...fieldChanges(before, auditedFields(project)),
        });
      },
      () => nameTaken(project.name),
    );
    return project;
  }

  /** Deletes the project with its keys (and, through the foreign keys, everything else it owns). */
  async remove(principal: AdminPrincipal, projectId: string): Promise<void> {
    const project = await this.findVisible(principal, projectId);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(ProjectEntity, { id: project.id });
      await this.audit.record(manager, principal, {
        organizationId: project.organizationId,
        projectId,
        action: 'project.delete',
        targetType: 'project',
        targetId: projectId,
        before: auditedFields(project),
      });
    });
    this.keyCache.forgetProject(project.id);
  }

  private async assertNameFree(organizationId: string, name: string): Promise<void> {
    if (await this.projects.existsBy({ organizationId, nameKey: name.toLowerCase() })) {
      throw nameTaken(name);
    }
  }
}

function auditedFields(project: ProjectEntity): Record<string, unknown> {
  return { name: project.name, description: project.description };
}

function nameTaken(name: string): ConflictError {
  return new ConflictError(
    `A project named '${name}' already exists in this organization.`,
    'name',
    'project_name_taken',
  );
}
