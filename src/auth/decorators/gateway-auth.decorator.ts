import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../../common/swagger/api-errors.decorator';
import { GatewayKeyGuard } from '../guards/gateway-key.guard';

export const GATEWAY_SECURITY_SCHEME = 'gateway';

/** Every data-plane controller: a csk_… gateway key; no pipes or interceptors (see the hot path notes). */
export function GatewayAuth(): ClassDecorator {
  return applyDecorators(
    UseGuards(GatewayKeyGuard),
    ApiBearerAuth(GATEWAY_SECURITY_SCHEME),
    ApiErrors(401, 500),
  );
}
