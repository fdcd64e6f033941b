import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/decorators/admin-auth.decorator';
import { Admin } from '../common/http/principal.decorator';
import type { AdminPrincipal } from '../common/http/request-context';
import { ApiErrors } from '../common/swagger/api-errors.decorator';
import { AuditService } from './audit.service';
import { AuditLogListResponseDto } from './dto/audit-log-response.dto';
import { ListAuditLogsQueryDto } from './dto/list-audit-logs-query.dto';

@ApiTags('Audit log')
@AdminAuth()
@Controller('api/v1/organizations/:orgId/audit-logs')
export class AuditLogsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({
    summary: "Read the organization's audit log",
    description:
      'Newest first. Admin changes to providers, models, keys and projects; rows are never updated or deleted.',
  })
  @ApiOkResponse({ type: AuditLogListResponseDto })
  @ApiErrors(400, 404)
  list(
    @Admin() admin: AdminPrincipal,
    @Param('orgId') orgId: string,
    @Query() query: ListAuditLogsQueryDto,
  ): Promise<AuditLogListResponseDto> {
    return this.audit.list(admin, orgId, query);
  }
}
