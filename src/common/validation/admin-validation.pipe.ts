import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidRequestError } from '../errors/api-error';

/** The admin plane's pipe: unknown fields are rejected, and the error names the first bad field in `param`. */
export const adminValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: true,
  exceptionFactory: (errors) => {
    const { path, message } = firstProblem(errors);
    return new InvalidRequestError(message, path);
  },
});

function firstProblem(errors: ValidationError[], parent = ''): { path: string; message: string } {
  for (const error of errors) {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const constraint = Object.values(error.constraints ?? {})[0];
    if (constraint) return { path, message: withPath(constraint, error.property, path) };
    if (error.children?.length) return firstProblem(error.children, path);
  }
  return { path: parent, message: 'The request body is invalid' };
}

// Messages name the field as a word ("name must…", "property name should not exist"); replacing the
// first substring instead would turn "property p should not exist" into "limits.property p …".
function withPath(message: string, property: string, path: string): string {
  const words = message.split(' ');
  const at = words.indexOf(property);
  if (at !== -1) words[at] = path;
  return words.join(' ');
}
