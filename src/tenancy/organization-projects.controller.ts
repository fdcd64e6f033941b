import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/decorators/admin-auth.decorator';
import { Admin } from '../common/http/principal.decorator';
import type { AdminPrincipal } from '../common/http/request-context';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { CreateProjectDto } from './dto/create-project.dto';
import {
  ProjectListResponseDto,
  ProjectResponseDto,
  toProjectResponse,
} from './dto/project-response.dto';
import { ProjectsService } from './projects.service';

@ApiTags('Projects')
@AdminAuth()
@Controller('api/v1/organizations/:orgId/projects')
export class OrganizationProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a project in the organization' })
  @ApiCreatedResponse({ type: ProjectResponseDto })
  @ApiErrors(400, 404, 409)
  async create(
    @Admin() admin: AdminPrincipal,
    @Param('orgId') orgId: string,
    @Body() dto: CreateProjectDto,
  ): Promise<ProjectResponseDto> {
    return toProjectResponse(await this.projects.create(admin, orgId, dto));
  }

  @Get()
  @ApiOperation({ summary: "List the organization's projects" })
  @ApiOkResponse({ type: ProjectListResponseDto })
  @ApiErrors(404)
  async list(
    @Admin() admin: AdminPrincipal,
    @Param('orgId') orgId: string,
  ): Promise<ProjectListResponseDto> {
    return { data: (await this.projects.list(admin, orgId)).map(toProjectResponse) };
  }
}
