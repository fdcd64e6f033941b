// Gateway keys, admin keys, root tokens and the common upstream key shapes.
const SECRET_PATTERN =
  /\b(?:csk_(?:test_)?|sya_|sy_root_)[A-Za-z0-9_-]{8,}|\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}|\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g;

const SECRET_FIELD =
  /^(?:api[-_]?key|authorization|x-api-key|token|secret|password|master[-_]?key|admin[-_]?token|key)$/i;

/** What a secret is replaced with, everywhere. */
export const REDACTED = '[redacted]';

/** The one secret-redaction helper: used by the logger, the audit log and error messages. */
export function redactText(text: string): string {
  return text.replace(SECRET_PATTERN, REDACTED);
}

/** Copies a JSON-like value with secret-named fields and secret-looking strings replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  // Past the limit nothing is inspected, so nothing may pass through unredacted.
  if (depth > 8) return '[Truncated]';
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return '[binary]';
  if (value instanceof Error)
    return {
      name: value.name,
      message: redactText(value.message),
      stack: value.stack && redactText(value.stack),
    };
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] =
      SECRET_FIELD.test(key) && field !== null && field !== undefined
        ? REDACTED
        : redact(field, depth + 1);
  }
  return copy;
}
