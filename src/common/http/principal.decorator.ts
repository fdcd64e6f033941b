import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AdminPrincipal, GatewayPrincipal } from './request-context';

/** The admin caller, set by AdminAuthGuard. */
export const Admin = createParamDecorator(
  (_: unknown, context: ExecutionContext): AdminPrincipal => {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().admin;
    if (!principal) throw new Error('@Admin() used on a route without AdminAuthGuard');
    return principal;
  },
);

/** The gateway key's principal, set by GatewayKeyGuard. */
export const Gateway = createParamDecorator(
  (_: unknown, context: ExecutionContext): GatewayPrincipal => {
    const principal = context.switchToHttp().getRequest<FastifyRequest>().gateway;
    if (!principal) throw new Error('@Gateway() used on a route without GatewayKeyGuard');
    return principal;
  },
);
