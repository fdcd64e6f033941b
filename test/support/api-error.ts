import type { ErrorBody } from '../../src/common/errors/error-body';
import type { JsonResponse } from './http';

export const REQUEST_ID_PATTERN = /^req_[0-9a-f]{32}$/;

// What a leaked stack or server path looks like: "at fn (/x/y.ts:1:2)", "at /x.js", "y.ts:12", "node_modules".
// ("end the base URL at /v1" is advice, not a stack frame: a bare "at /" needs a source file after it.)
const STACK_TRACE_TEXT =
  /\bat \S+ \(|\bat (?:file:|node:|\/\S*\.[cm]?[jt]s\b)|\.[cm]?[jt]s:\d+|node_modules|\/(?:work|home|tmp|src)\//;

/**
 * Asserts the wire error shape: exactly `{"error":{"message","type","code","param"}}` with the
 * given status and code, an x-request-id header, and no stack trace or server path.
 * `param` is compared when given (pass null to require null). Returns the error for further checks.
 */
export function expectApiError(
  response: JsonResponse,
  status: number,
  code: string,
  param?: string | null,
): ErrorBody['error'] {
  if (response.status !== status) {
    throw new Error(`Expected status ${status}, got ${response.status}: ${response.text}`);
  }
  expect(response.headers.get('x-request-id')).toMatch(REQUEST_ID_PATTERN);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.text).not.toMatch(STACK_TRACE_TEXT);

  const body = response.body as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  const { error } = body;
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof error.message).toBe('string');
  expect(error.message).not.toBe('');
  expect(typeof error.type).toBe('string');
  expect(error.code).toBe(code);
  expect(error.param === null || typeof error.param === 'string').toBe(true);
  if (param !== undefined) expect(error.param).toBe(param);
  return error;
}
