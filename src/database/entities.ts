import { AdminKeyEntity } from '../auth/entities/admin-key.entity';
import { ApiKeyEntity } from '../auth/entities/api-key.entity';
import { AuditLogEntity } from '../audit/entities/audit-log.entity';
import { CustomProviderModelEntity } from '../providers/entities/custom-provider-model.entity';
import { CustomProviderEntity } from '../providers/entities/custom-provider.entity';
import { OrganizationEntity } from '../tenancy/entities/organization.entity';
import { ProjectEntity } from '../tenancy/entities/project.entity';

/** Every entity, listed explicitly so the app, the CLI and the tests load the same set whatever the file extension. */
export const ENTITIES = [
  OrganizationEntity,
  ProjectEntity,
  AdminKeyEntity,
  ApiKeyEntity,
  CustomProviderEntity,
  CustomProviderModelEntity,
  AuditLogEntity,
];
