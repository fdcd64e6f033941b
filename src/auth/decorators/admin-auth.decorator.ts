import { applyDecorators, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { adminValidationPipe } from '../../common/validation/admin-validation.pipe';
import { AdminAuthGuard } from '../guards/admin-auth.guard';

export const ADMIN_SECURITY_SCHEME = 'admin';

/** Every admin controller: root token or admin key, strict body validation, documented as such. */
export function AdminAuth(): ClassDecorator {
  return applyDecorators(
    UseGuards(AdminAuthGuard),
    UsePipes(adminValidationPipe),
    ApiBearerAuth(ADMIN_SECURITY_SCHEME),
    ApiErrors(401, 500),
  );
}
