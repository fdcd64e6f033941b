import { Body, Controller, Delete, Get, HttpCode, Param, Patch } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/decorators/admin-auth.decorator';
import { Admin } from '../common/http/principal.decorator';
import type { AdminPrincipal } from '../common/http/request-context';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { ProjectResponseDto, toProjectResponse } from './dto/project-response.dto';
import { UpdateProjectDto } from './dto/update-project.dto';
import { ProjectsService } from './projects.service';

@ApiTags('Projects')
@AdminAuth()
@Controller('api/v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get(':projectId')
  @ApiOperation({ summary: 'Get a project' })
  @ApiOkResponse({ type: ProjectResponseDto })
  @ApiErrors(404)
  async get(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
  ): Promise<ProjectResponseDto> {
    return toProjectResponse(await this.projects.findVisible(admin, projectId));
  }

  @Patch(':projectId')
  @ApiOperation({ summary: 'Rename or describe a project' })
  @ApiOkResponse({ type: ProjectResponseDto })
  @ApiErrors(400, 404, 409)
  async update(
    @Admin() admin: AdminPrincipal,
    @Param('projectId') projectId: string,
    @Body() dto: UpdateProjectDto,
  ): Promise<ProjectResponseDto> {
    return toProjectResponse(await this.projects.update(admin, projectId, dto));
  }

  @Delete(':projectId')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete a project',
    description: 'Its gateway keys stop working and everything it owns is deleted.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors(404)
  remove(@Admin() admin: AdminPrincipal, @Param('projectId') projectId: string): Promise<void> {
    return this.projects.remove(admin, projectId);
  }
}
