export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** The raw response text, for asserting that something never appears on the wire. */
  text: string;
}

/** fetch with a JSON body and a JSON (or empty) answer; tests assert on status, headers and body. */
export async function requestJson<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: parseJson<T>(text, `${method} ${path} (${response.status})`),
    text,
  };
}

function parseJson<T>(text: string, what: string): T {
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what} did not answer JSON: ${text.slice(0, 500)}`);
  }
}
