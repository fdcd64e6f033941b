import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ADMIN_SECURITY_SCHEME } from '../../auth/decorators/admin-auth.decorator';
import { GATEWAY_SECURITY_SCHEME } from '../../auth/decorators/gateway-auth.decorator';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Switchyard')
    .setDescription(
      'Self-hostable AI gateway. The admin API (`/api/v1`) manages organizations, projects, keys and providers; ' +
        'the data plane (`/v1`) speaks the OpenAI API. Every error has the shape `{"error":{"message","type","code","param"}}`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'The root admin token or an organization admin key (sya_…).',
      },
      ADMIN_SECURITY_SCHEME,
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'A project gateway key (csk_… or csk_test_…).',
      },
      GATEWAY_SECURITY_SCHEME,
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) =>
      `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
}

/** Swagger UI at /docs, the raw document at /openapi.json. */
export function mountApiDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: 'Switchyard API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: true },
  });
}
