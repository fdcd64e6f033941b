import type { CustomProviderResponseDto } from '../../src/providers/dto/custom-provider-response.dto';
import type { TestApp } from '../support/create-test-app';
import { requestJson } from '../support/http';

export const providersPath = (projectId: string): string =>
  `/api/v1/projects/${projectId}/providers`;

/** A custom provider made through the admin API (root token unless another is given). */
export async function createProvider(
  testApp: TestApp,
  projectId: string,
  body: Record<string, unknown>,
  token = testApp.adminToken,
): Promise<CustomProviderResponseDto> {
  const response = await requestJson<CustomProviderResponseDto>(
    testApp.baseUrl,
    'POST',
    providersPath(projectId),
    { token, body: { format: 'openai', ...body } },
  );
  if (response.status !== 201) {
    throw new Error(`Creating a provider answered ${response.status}: ${response.text}`);
  }
  return response.body;
}
