import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { InvalidRequestError } from '../errors/api-error';

/** The admin plane's pipe: unknown fields are rejected, and the error names the first bad field in `param`. */
export const adminValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  // Every failed rule is collected, so mostUseful() can pick one; class-validator's stopAtFirstError
  // stops at the decorator written last, which for a wrong type is a misleading range or format rule.
  stopAtFirstError: false,
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
    const constraint = mostUseful(error.constraints ?? {});
    if (constraint) return { path, message: withPath(constraint, error.property, path) };
    if (error.children?.length) return firstProblem(error.children, path);
  }
  return { path: parent, message: 'The request body is invalid' };
}

// A failed type check says the most ("must be a string" rather than "must not be longer than…");
// otherwise the rule written first, which class-validator, checking decorators bottom-up, lists last.
const TYPE_CHECKS = [
  'isDefined',
  'isString',
  'isNumber',
  'isInt',
  'isBoolean',
  'isArray',
  'isObject',
];

function mostUseful(constraints: Record<string, string>): string | undefined {
  const names = Object.keys(constraints);
  const name = TYPE_CHECKS.find((check) => names.includes(check)) ?? names[names.length - 1];
  return name === undefined ? undefined : constraints[name];
}

// Messages name the field as a word ("name must…", "property name should not exist"); replacing the
// first substring instead would turn "property p should not exist" into "limits.property p …".
function withPath(message: string, property: string, path: string): string {
  const words = message.split(' ');
  const at = words.indexOf(property);
  if (at !== -1) words[at] = path;
  return words.join(' ');
}
