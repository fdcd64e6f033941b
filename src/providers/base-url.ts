/**
 * Normalises a provider base URL, or says what is wrong with it in words a person can act on.
 * The base URL ends where the API's paths begin (`…/v1`): the gateway appends `/chat/completions`,
 * `/messages` and `/models` itself.
 */
export function checkBaseUrl(text: string): { url: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return {
      problem:
        'baseUrl must be an absolute http:// or https:// URL, such as http://localhost:11434/v1',
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `baseUrl must use http or https, not ${url.protocol.replace(':', '')}` };
  }
  if (url.username || url.password) {
    return {
      problem:
        'baseUrl must not contain credentials; put the key in apiKey, where it is stored encrypted',
    };
  }
  if (url.search || url.hash) {
    return { problem: 'baseUrl must not contain a query string or fragment' };
  }
  const path = url.pathname.replace(/\/+$/, '');
  const endpoint = /\/(chat\/completions|completions|messages|models|embeddings)$/i.exec(path);
  if (endpoint) {
    return {
      problem: `baseUrl must end at the API root (for example …/v1), not at an endpoint: end the base URL at /v1 and remove '/${endpoint[1]}'`,
    };
  }
  return { url: `${url.origin}${path}` };
}

/** The normalised form of a base URL that validation has already accepted. */
export function normaliseBaseUrl(text: string): string {
  const result = checkBaseUrl(text);
  if ('problem' in result) throw new Error(result.problem);
  return result.url;
}
