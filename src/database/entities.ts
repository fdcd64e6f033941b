import { AdminKeyEntity } from '../auth/entities/admin-key.entity';
import { ApiKeyEntity } from '../auth/entities/api-key.entity';
import { OrganizationEntity } from '../tenancy/entities/organization.entity';
import { ProjectEntity } from '../tenancy/entities/project.entity';

/** Every entity, listed explicitly so the app, the CLI and the tests load the same set whatever the file extension. */
export const ENTITIES = [OrganizationEntity, ProjectEntity, AdminKeyEntity, ApiKeyEntity];
