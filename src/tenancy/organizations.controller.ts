import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/decorators/admin-auth.decorator';
import { Admin } from '../common/http/principal.decorator';
import type { AdminPrincipal } from '../common/http/request-context';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { CreateOrganizationDto } from './dto/create-organization.dto';
import {
  OrganizationListResponseDto,
  OrganizationResponseDto,
  toOrganizationResponse,
} from './dto/organization-response.dto';
import { OrganizationsService } from './organizations.service';

@ApiTags('Organizations')
@AdminAuth()
@Controller('api/v1/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an organization', description: 'Root admin token only.' })
  @ApiCreatedResponse({ type: OrganizationResponseDto })
  @ApiErrors(400, 403)
  async create(
    @Admin() admin: AdminPrincipal,
    @Body() dto: CreateOrganizationDto,
  ): Promise<OrganizationResponseDto> {
    return toOrganizationResponse(await this.organizations.create(admin, dto));
  }

  @Get()
  @ApiOperation({
    summary: 'List organizations',
    description: 'All of them for the root token; its own for an admin key.',
  })
  @ApiOkResponse({ type: OrganizationListResponseDto })
  async list(@Admin() admin: AdminPrincipal): Promise<OrganizationListResponseDto> {
    return { data: (await this.organizations.list(admin)).map(toOrganizationResponse) };
  }

  @Get(':orgId')
  @ApiOperation({ summary: 'Get an organization' })
  @ApiOkResponse({ type: OrganizationResponseDto })
  @ApiErrors(404)
  async get(
    @Admin() admin: AdminPrincipal,
    @Param('orgId') orgId: string,
  ): Promise<OrganizationResponseDto> {
    return toOrganizationResponse(await this.organizations.findVisible(admin, orgId));
  }
}
