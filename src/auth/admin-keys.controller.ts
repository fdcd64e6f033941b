import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Admin } from '../common/http/principal.decorator';
import type { AdminPrincipal } from '../common/http/request-context';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { AdminKeysService } from './admin-keys.service';
import { AdminAuth } from './decorators/admin-auth.decorator';
import { AdminKeyListResponseDto, CreatedAdminKeyResponseDto } from './dto/admin-key-response.dto';
import { CreateAdminKeyDto } from './dto/create-admin-key.dto';

@ApiTags('Admin keys')
@AdminAuth()
@Controller('api/v1/organizations/:orgId/admin-keys')
export class AdminKeysController {
  constructor(private readonly adminKeys: AdminKeysService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create an admin key for the organization',
    description: 'The key is in this response only.',
  })
  @ApiCreatedResponse({ type: CreatedAdminKeyResponseDto })
  @ApiErrors(400, 404)
  create(
    @Admin() admin: AdminPrincipal,
    @Param('orgId') orgId: string,
    @Body() dto: CreateAdminKeyDto,
  ): Promise<CreatedAdminKeyResponseDto> {
    return this.adminKeys.create(admin, orgId, dto);
  }

  @Get()
  @ApiOperation({
    summary: "List the organization's admin keys",
    description: 'Keys show their prefix and last four characters only.',
  })
  @ApiOkResponse({ type: AdminKeyListResponseDto })
  @ApiErrors(404)
  async list(
    @Admin() admin: AdminPrincipal,
    @Param('orgId') orgId: string,
  ): Promise<AdminKeyListResponseDto> {
    return { data: await this.adminKeys.list(admin, orgId) };
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an admin key', description: 'The key stops working at once.' })
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiErrors(404)
  revoke(
    @Admin() admin: AdminPrincipal,
    @Param('orgId') orgId: string,
    @Param('keyId') keyId: string,
  ): Promise<void> {
    return this.adminKeys.revoke(admin, orgId, keyId);
  }
}
