import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsIn,
  IsNumber,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CreateApiKeyDto, KeyLimitsDto } from '../../auth/dto/create-api-key.dto';
import { InvalidRequestError } from '../errors/api-error';
import { adminValidationPipe } from './admin-validation.pipe';

class MessageDto {
  @IsIn(['system', 'user', 'assistant'])
  role!: string;

  @IsString()
  content!: string;
}

class ConversationDto {
  @ValidateNested({ each: true })
  @Type(() => MessageDto)
  messages!: MessageDto[];
}

class PricedDto {
  @IsString()
  @Length(1, 8)
  @Matches(/^[a-z]+$/, { message: 'name must be lower-case letters' })
  name!: string;

  @IsNumber()
  @Min(0)
  @Max(100)
  price!: number;

  @IsArray()
  @ArrayUnique()
  tags!: string[];
}

const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'body',
  metatype,
});

/** The InvalidRequestError the pipe throws for `value`. */
async function rejection(
  value: unknown,
  metatype: ArgumentMetadata['metatype'] = CreateApiKeyDto,
): Promise<InvalidRequestError> {
  const error: unknown = await adminValidationPipe.transform(value, body(metatype)).then(
    () => new Error('the pipe accepted the value'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof InvalidRequestError)) throw error;
  return error;
}

describe('adminValidationPipe', () => {
  it('turns a valid body into an instance of its DTO', async () => {
    const dto: unknown = await adminValidationPipe.transform(
      { name: 'support-bot', environment: 'test', limits: { requestsPerMinute: 60 } },
      body(CreateApiKeyDto),
    );

    expect(dto).toBeInstanceOf(CreateApiKeyDto);
    expect(dto).toEqual({
      name: 'support-bot',
      environment: 'test',
      limits: { requestsPerMinute: 60 },
    });
    expect((dto as CreateApiKeyDto).limits).toBeInstanceOf(KeyLimitsDto);
  });

  it('names a missing field in param', async () => {
    const error = await rejection({ environment: 'production' });

    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      code: 'invalid_request',
      param: 'name',
    });
    expect(error.message).toMatch(/^name /);
  });

  it('names a field with a value outside its enum in param', async () => {
    const error = await rejection({ name: 'bot', environment: 'staging' });

    expect(error.param).toBe('environment');
    expect(error.message).toBe('environment must be one of the following values: production, test');
  });

  it('names a nested field by its dotted path in param and message', async () => {
    const error = await rejection({
      name: 'bot',
      environment: 'production',
      limits: { requestsPerMinute: 0 },
    });

    expect(error.param).toBe('limits.requestsPerMinute');
    expect(error.message).toBe('limits.requestsPerMinute must not be less than 1');
  });

  it('names a nested field of the wrong type', async () => {
    const error = await rejection({
      name: 'bot',
      environment: 'production',
      limits: { tokensPerMinute: 'lots' },
    });

    expect(error.param).toBe('limits.tokensPerMinute');
  });

  it('rejects an unknown field, naming it in param', async () => {
    const error = await rejection({ name: 'bot', environment: 'production', owner: 'me' });

    expect(error.param).toBe('owner');
    expect(error.message).toBe('property owner should not exist');
  });

  it('rejects an unknown nested field, naming its path', async () => {
    const error = await rejection({
      name: 'bot',
      environment: 'production',
      limits: { requestsPerHour: 10 },
    });

    expect(error.param).toBe('limits.requestsPerHour');
  });

  it('puts the path into the message even when the field name is part of another word', async () => {
    const error = await rejection({ name: 'bot', environment: 'production', limits: { p: 1 } });

    expect(error.param).toBe('limits.p');
    expect(error.message).toBe('property limits.p should not exist');
  });

  it('names a nested object that is not an object', async () => {
    const error = await rejection({ name: 'bot', environment: 'production', limits: 5 });

    expect(error.param).toBe('limits');
  });

  it.each([
    ['no body', undefined],
    ['a null body', null],
    ['an array body', []],
  ])('rejects %s with the first required field as param', async (_, value) => {
    await expect(rejection(value)).resolves.toMatchObject({ param: 'name' });
  });

  it('names an element of an array by its index', async () => {
    const error = await rejection(
      {
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'robot', content: 'beep' },
        ],
      },
      ConversationDto,
    );

    expect(error.param).toBe('messages[1].role');
    expect(error.message).toMatch(/^messages\[1\]\.role must be one of/);
  });

  it('reports only the first problem when several fields are bad', async () => {
    const error = await rejection({ name: '', environment: 'staging' });

    expect(error.param).toBe('name');
    expect(error.message).not.toContain('environment');
  });

  it.each([
    [
      'a string for a number',
      { name: 'x', price: '5', tags: [] },
      'price',
      'price must be a number',
    ],
    ['a number for a string', { name: 7, price: 5, tags: [] }, 'name', 'name must be a string'],
    ['a string for an array', { name: 'x', price: 5, tags: 'a' }, 'tags', 'tags must be an array'],
  ])(
    'names the wrong type, not a rule for the right type, for %s',
    async (_, value, param, message) => {
      const error = await rejection(value, PricedDto);

      expect(error.param).toBe(param);
      expect(error.message).toMatch(new RegExp(`^${message}`));
    },
  );

  it('reports the rule written first when the type is right', async () => {
    const error = await rejection({ name: '', price: 500, tags: [] }, PricedDto);

    expect(error.param).toBe('name');
    expect(error.message).toBe('name must be longer than or equal to 1 characters');
  });
});
