import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/errors/api-exception.filter';
import { errorBodyFor } from './common/errors/error-body';
import { registerJsonBodyParser } from './common/http/json-body-parser';
import { createRootLogger, PinoNestLogger } from './common/logging/pino-logger';
import { mountApiDocs } from './common/swagger/openapi';
import type { AppConfig } from './config/app-config';
import { resolveSecrets } from './config/local-secrets';
import { newId } from './common/ids';

export interface CreateAppOptions {
  /** Where log lines go; tests pass their own to read them. */
  logger?: PinoLogger;
}

/** One wiring for main, the tests and the OpenAPI writer. The app is initialised but not listening. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const rootLogger = options.logger ?? createRootLogger(config);
  const { secrets, notices } = resolveSecrets(config);
  for (const notice of notices) rootLogger[notice.level]({ context: 'Config' }, notice.message);

  const adapter = new FastifyAdapter({
    logger: false,
    bodyLimit: config.bodyLimitBytes,
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    // Our own ids only: a client-chosen id could collide with another request's usage record.
    requestIdHeader: false,
    genReqId: () => newId('req'),
    // Errors Fastify raises while routing (an over-long parameter, bad percent-encoding) reach
    // neither the hooks nor Nest's filter; give them the same shape and request id.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const apiError = new ApiExceptionFilter().toApiError(error, request);
      void reply
        .status(apiError.status)
        .header('x-request-id', request.id)
        .header('content-type', 'application/json; charset=utf-8')
        .send(errorBodyFor(request, apiError));
    },
  });
  const fastify = adapter.getInstance();
  // Both planes take JSON only; anything else is a 415, not a string handed to a controller.
  fastify.removeContentTypeParser('text/plain');
  registerJsonBodyParser(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, secrets),
    adapter,
    {
      logger: new PinoNestLogger(rootLogger),
      abortOnError: false,
      // Ours is registered above; Nest's would replace it and add a form-urlencoded parser.
      bodyParser: false,
    },
  );
  mountApiDocs(app);
  await app.init();
  return app;
}
