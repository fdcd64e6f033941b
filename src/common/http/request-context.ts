import type { ApiKeyLimits } from '../../auth/entities/api-key.entity';
import type { KeyEnvironment } from '../../auth/key-format';

/** Who holds the admin credential: the root token sees everything, an admin key one organization. */
export type AdminIdentity =
  | { readonly kind: 'root' }
  | {
      readonly kind: 'admin_key';
      readonly keyId: string;
      readonly keyName: string;
      readonly organizationId: string;
    };

/** The admin caller, with where the call came from (for the audit log). */
export type AdminPrincipal = AdminIdentity & {
  readonly ip: string | null;
  readonly userAgent: string | null;
};

/** What a gateway key resolves to on the data plane. */
export interface GatewayPrincipal {
  readonly keyId: string;
  readonly projectId: string;
  readonly organizationId: string;
  readonly environment: KeyEnvironment;
  readonly limits: Readonly<ApiKeyLimits>;
}

declare module 'fastify' {
  interface FastifyRequest {
    admin?: AdminPrincipal;
    gateway?: GatewayPrincipal;
  }
}

export function canSeeOrganization(principal: AdminPrincipal, organizationId: string): boolean {
  return principal.kind === 'root' || principal.organizationId === organizationId;
}
