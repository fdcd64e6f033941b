import type { CreatedApiKeyResponseDto } from '../../src/auth/dto/api-key-response.dto';
import type { OrganizationResponseDto } from '../../src/tenancy/dto/organization-response.dto';
import type { ProjectResponseDto } from '../../src/tenancy/dto/project-response.dto';
import type { TestApp } from '../support/create-test-app';
import { requestJson } from '../support/http';

export interface Tenant {
  organization: OrganizationResponseDto;
  project: ProjectResponseDto;
  productionKey: CreatedApiKeyResponseDto;
  testKey: CreatedApiKeyResponseDto;
}

/** A fresh organization with one project and a production and a test key, made through the admin API. */
export async function createTenant(testApp: TestApp, name = 'Tenant'): Promise<Tenant> {
  const organization = await expectCreated<OrganizationResponseDto>(
    testApp,
    '/api/v1/organizations',
    { name },
  );
  const project = await expectCreated<ProjectResponseDto>(
    testApp,
    `/api/v1/organizations/${organization.id}/projects`,
    {
      name: `${name} project`,
    },
  );
  const keysPath = `/api/v1/projects/${project.id}/api-keys`;
  const productionKey = await expectCreated<CreatedApiKeyResponseDto>(testApp, keysPath, {
    name: 'prod',
    environment: 'production',
  });
  const testKey = await expectCreated<CreatedApiKeyResponseDto>(testApp, keysPath, {
    name: 'test',
    environment: 'test',
  });
  return { organization, project, productionKey, testKey };
}

async function expectCreated<T>(testApp: TestApp, path: string, body: unknown): Promise<T> {
  const response = await requestJson<T>(testApp.baseUrl, 'POST', path, {
    token: testApp.adminToken,
    body,
  });
  if (response.status !== 201) {
    throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}
