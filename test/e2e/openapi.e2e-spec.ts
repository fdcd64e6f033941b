import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3 } from 'openapi-types';
import { createTestApp, type TestApp } from '../support/create-test-app';
import { requestJson } from '../support/http';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ERROR_SCHEMA_REF = '#/components/schemas/ErrorResponseDto';

interface Operation {
  method: string;
  path: string;
  operation: OpenAPIV3.OperationObject;
}

describe('OpenAPI document', () => {
  let testApp: TestApp;
  let doc: OpenAPIV3.Document;
  let operations: Operation[];

  beforeAll(async () => {
    testApp = await createTestApp('openapi');
    const response = await requestJson<OpenAPIV3.Document>(testApp.baseUrl, 'GET', '/openapi.json');
    if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
    doc = response.body;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.flatMap((method) => {
        const operation = item?.[method];
        return operation ? [{ method, path, operation }] : [];
      }),
    );
  });
  afterAll(() => testApp.close());

  const describeOperation = ({ method, path }: Operation) => `${method.toUpperCase()} ${path}`;

  it('is a valid OpenAPI 3 document', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
  });

  it('documents the admin, data plane and health routes', () => {
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/organizations',
        '/api/v1/organizations/{orgId}',
        '/api/v1/organizations/{orgId}/projects',
        '/api/v1/organizations/{orgId}/admin-keys',
        '/api/v1/projects/{projectId}',
        '/api/v1/projects/{projectId}/api-keys',
        '/v1/models',
        '/health/live',
        '/health/ready',
      ]),
    );
    expect(operations.length).toBeGreaterThanOrEqual(15);
  });

  it('gives every operation a unique operationId, a tag and a summary', () => {
    const problems = operations.flatMap((item) => {
      const { operationId, tags, summary } = item.operation;
      const found: string[] = [];
      if (!operationId) found.push('no operationId');
      if (!tags?.length) found.push('no tag');
      if (!summary?.trim()) found.push('no summary');
      return found.map((problem) => `${describeOperation(item)}: ${problem}`);
    });
    expect(problems).toEqual([]);
    const ids = operations.map((item) => item.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('Organizations_create');
  });

  it('secures every admin operation with the admin scheme and documents its 401', () => {
    const admin = operations.filter((item) => item.path.startsWith('/api/v1/'));
    expect(admin.length).toBeGreaterThanOrEqual(12);
    const problems = admin.flatMap((item) => {
      const found: string[] = [];
      if (JSON.stringify(item.operation.security) !== JSON.stringify([{ admin: [] }])) {
        found.push(`security is ${JSON.stringify(item.operation.security)}`);
      }
      const unauthorized = item.operation.responses['401'] as OpenAPIV3.ResponseObject | undefined;
      const schema = unauthorized?.content?.['application/json']?.schema;
      if (!schema || !('$ref' in schema) || schema.$ref !== ERROR_SCHEMA_REF) {
        found.push(`401 is ${JSON.stringify(unauthorized)}`);
      }
      return found.map((problem) => `${describeOperation(item)}: ${problem}`);
    });
    expect(problems).toEqual([]);
  });

  it('secures /v1/models with the gateway scheme', () => {
    const models = doc.paths['/v1/models']?.get;
    expect(models?.security).toEqual([{ gateway: [] }]);
    const unauthorized = models?.responses['401'] as OpenAPIV3.ResponseObject | undefined;
    expect(unauthorized?.content?.['application/json']?.schema).toEqual({ $ref: ERROR_SCHEMA_REF });
  });

  it('leaves the health checks unsecured', () => {
    for (const path of ['/health/live', '/health/ready']) {
      expect(doc.paths[path]?.get?.security ?? []).toEqual([]);
    }
  });

  it('defines both security schemes as bearer auth', () => {
    expect(doc.components?.securitySchemes).toMatchObject({
      admin: { type: 'http', scheme: 'bearer' },
      gateway: { type: 'http', scheme: 'bearer' },
    });
  });

  it('defines the error schema with message, type, code and param', () => {
    const schemas = doc.components?.schemas ?? {};
    expect(schemas.ErrorResponseDto).toBeDefined();
    const detail = schemas.ErrorDetailDto as OpenAPIV3.SchemaObject;
    expect(Object.keys(detail.properties ?? {}).sort()).toEqual([
      'code',
      'message',
      'param',
      'type',
    ]);
  });

  it('serves the Swagger UI at /docs', async () => {
    const response = await fetch(`${testApp.baseUrl}/docs`, { redirect: 'follow' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toMatch(/<html/i);
    expect(html).toContain('swagger-ui');
  });
});
