import { registerDecorator, type ValidationArguments } from 'class-validator';
import { checkBaseUrl } from '../base-url';

/** Validates a provider base URL with checkBaseUrl(), whose messages say how to fix it. */
export function IsProviderBaseUrl(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isProviderBaseUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.length <= 2048 && 'url' in checkBaseUrl(value),
        defaultMessage: ({ value }: ValidationArguments) => {
          if (typeof value !== 'string') return 'baseUrl must be a string';
          if (value.length > 2048) return 'baseUrl must be at most 2048 characters long';
          const result = checkBaseUrl(value);
          return 'problem' in result ? result.problem : 'baseUrl is invalid';
        },
      },
    });
  };
}
