import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { errorCodes } from 'fastify';
import type { FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { ApiError, ConflictError, NotFoundError } from './api-error';
import { ApiExceptionFilter } from './api-exception.filter';

const request = { id: 'req_0123abcd', method: 'GET', url: '/v1/nope?x=1' } as FastifyRequest;

/** Records what the filter sends; any call after the reply went out throws. */
class FakeReply {
  sent = false;
  statusCode: number | null = null;
  readonly headers: Record<string, string> = {};
  body: unknown = undefined;

  status(code: number): this {
    this.assertOpen();
    this.statusCode = code;
    return this;
  }

  header(name: string, value: string): this {
    this.assertOpen();
    this.headers[name] = value;
    return this;
  }

  send(body: unknown): this {
    this.assertOpen();
    this.body = body;
    this.sent = true;
    return this;
  }

  private assertOpen(): void {
    if (this.sent) throw new Error('reply already sent');
  }
}

describe('ApiExceptionFilter', () => {
  const filter = new ApiExceptionFilter();
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => {
    logged.mockRestore();
  });

  describe('toApiError', () => {
    it('passes an ApiError through unchanged', () => {
      const error = new ConflictError('Name taken', 'name', 'project_name_taken');

      expect(filter.toApiError(error, request)).toBe(error);
    });

    it('passes ApiError subclasses through with their own status and code', () => {
      expect(filter.toApiError(new NotFoundError('project', 'prj_1'), request)).toMatchObject({
        status: 404,
        type: 'not_found_error',
        code: 'project_not_found',
      });
    });

    it("maps Nest's unknown-route 404 to unknown_url, naming the path without its query", () => {
      const error = filter.toApiError(new NotFoundException('Cannot GET /v1/nope?x=1'), request);

      expect(error).toMatchObject({
        status: 404,
        type: 'invalid_request_error',
        code: 'unknown_url',
        message: 'Invalid URL (GET /v1/nope)',
        param: null,
      });
    });

    it('maps any other NotFoundException to not_found_error', () => {
      expect(filter.toApiError(new NotFoundException('No such thing'), request)).toMatchObject({
        status: 404,
        type: 'not_found_error',
        code: 'not_found',
        message: 'No such thing',
      });
    });

    it.each([
      {
        name: 'BadRequestException',
        exception: new BadRequestException('Bad'),
        status: 400,
        type: 'invalid_request_error',
        code: 'invalid_request',
      },
      {
        name: 'UnauthorizedException',
        exception: new UnauthorizedException(),
        status: 401,
        type: 'authentication_error',
        code: 'invalid_api_key',
      },
      {
        name: 'ForbiddenException',
        exception: new ForbiddenException('Not yours'),
        status: 403,
        type: 'permission_error',
        code: 'insufficient_permissions',
      },
      {
        name: 'HttpException(429)',
        exception: new HttpException('Slow down', 429),
        status: 429,
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
      },
      {
        name: 'HttpException(418)',
        exception: new HttpException('Teapot', 418),
        status: 418,
        type: 'invalid_request_error',
        code: 'invalid_request',
      },
    ])(
      'maps a $name to $status $type / $code, keeping its message',
      ({ exception, status, type, code }) => {
        expect(filter.toApiError(exception, request)).toMatchObject({
          status,
          type,
          code,
          message: exception.message,
        });
      },
    );

    it.each([
      {
        exception: new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(),
        status: 400,
        code: 'invalid_json',
      },
      {
        exception: new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY(),
        status: 400,
        code: 'invalid_json',
      },
      {
        exception: new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(),
        status: 413,
        code: 'request_too_large',
      },
      {
        exception: new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(),
        status: 415,
        code: 'unsupported_media_type',
      },
    ])("maps Fastify's $exception.code to $status $code", ({ exception, status, code }) => {
      expect(filter.toApiError(exception, request)).toMatchObject({
        status,
        type: 'invalid_request_error',
        code,
        message: exception.message,
      });
    });

    it('maps a Fastify-like error object by its statusCode and code', () => {
      const error = { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'Bad JSON' };

      expect(filter.toApiError(error, request)).toMatchObject({
        status: 400,
        code: 'invalid_json',
        message: 'Bad JSON',
      });
    });

    it('falls back to the status code for a 4xx error with an unknown Fastify code', () => {
      const error = Object.assign(new Error('Body too big'), {
        statusCode: 413,
        code: 'FST_ERR_SOMETHING_NEW',
      });

      expect(filter.toApiError(error, request)).toMatchObject({
        status: 413,
        code: 'request_too_large',
      });
    });

    it.each([
      ['PostgreSQL', '23505'],
      ['SQLite', 'SQLITE_CONSTRAINT_UNIQUE'],
    ])('maps a %s unique violation to 409 without the SQL', (_, code) => {
      const exception = new QueryFailedError(
        'INSERT INTO "projects" ("name") VALUES ($1)',
        ['secret-project'],
        Object.assign(new Error('duplicate key value violates unique constraint'), { code }),
      );

      const error = filter.toApiError(exception, request);

      expect(error).toMatchObject({ status: 409, type: 'conflict_error', code: 'conflict' });
      expect(error.message).not.toMatch(/INSERT|secret-project|duplicate key/);
      expect(logged).not.toHaveBeenCalled();
    });

    it('maps any other query failure to a 500', () => {
      const exception = new QueryFailedError(
        'INSERT INTO "api_keys" ("project_id") VALUES ($1)',
        ['prj_missing'],
        Object.assign(new Error('violates foreign key constraint'), { code: '23503' }),
      );

      expect(filter.toApiError(exception, request)).toMatchObject({
        status: 500,
        type: 'server_error',
      });
    });

    it('hides an unexpected error behind a 500 that names the request id', () => {
      const error = filter.toApiError(new Error('db password=hunter2'), request);

      expect(error).toMatchObject({
        status: 500,
        type: 'server_error',
        code: 'internal_error',
        param: null,
      });
      expect(error.message).toBe('Internal error (request req_0123abcd)');
      expect(error.message).not.toContain('hunter2');
    });

    it('logs an unexpected error once, with the error and request id', () => {
      const exception = new Error('db password=hunter2');

      filter.toApiError(exception, request);

      expect(logged).toHaveBeenCalledTimes(1);
      expect(logged).toHaveBeenCalledWith(
        expect.objectContaining({ err: exception, requestId: 'req_0123abcd' }),
      );
    });

    it('treats a 5xx HttpException as unexpected and does not send its message', () => {
      const error = filter.toApiError(
        new InternalServerErrorException('upstream host 10.0.0.7 refused'),
        request,
      );

      expect(error).toMatchObject({ status: 500, type: 'server_error', code: 'internal_error' });
      expect(error.message).not.toContain('10.0.0.7');
    });

    it.each([
      ['a string', 'boom'],
      ['null', null],
      ['an object with a 5xx statusCode', { statusCode: 503, message: 'pool exhausted' }],
    ])('answers 500 when %s is thrown', (_, exception) => {
      expect(filter.toApiError(exception, request)).toMatchObject({
        status: 500,
        code: 'internal_error',
      });
    });
  });

  describe('catch', () => {
    const host = (reply: FakeReply): ExecutionContextHost =>
      new ExecutionContextHost([request, reply]);

    it('sends the error body with its status as JSON', () => {
      const reply = new FakeReply();

      filter.catch(
        new ApiError(400, 'invalid_request_error', 'invalid_model', 'Unknown model', 'model'),
        host(reply),
      );

      expect(reply.statusCode).toBe(400);
      expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(reply.body).toEqual({
        error: {
          message: 'Unknown model',
          type: 'invalid_request_error',
          code: 'invalid_model',
          param: 'model',
        },
      });
    });

    it('sends an unexpected error as a 500 body with a null param and no internal detail', () => {
      const reply = new FakeReply();

      filter.catch(new Error('db password=hunter2'), host(reply));

      expect(JSON.stringify(reply.body)).not.toContain('hunter2');
      expect(reply.statusCode).toBe(500);
      expect(reply.body).toEqual({
        error: {
          message: 'Internal error (request req_0123abcd)',
          type: 'server_error',
          code: 'internal_error',
          param: null,
        },
      });
    });

    it('leaves a reply that was already sent alone', () => {
      const reply = new FakeReply();
      reply.send('partial stream');

      filter.catch(new NotFoundError('project', 'prj_1'), host(reply));

      expect(reply.statusCode).toBeNull();
      expect(reply.body).toBe('partial stream');
    });
  });
});
