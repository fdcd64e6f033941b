import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity } from './entities/organization.entity';
import { ProjectEntity } from './entities/project.entity';
import { OrganizationProjectsController } from './organization-projects.controller';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, ProjectEntity])],
  controllers: [OrganizationsController, OrganizationProjectsController, ProjectsController],
  providers: [OrganizationsService, ProjectsService],
  exports: [OrganizationsService, ProjectsService],
})
export class TenancyModule {}
