import type { StreamUsage } from './stream-translator';

// Targeted: the usage object is all the gateway reads from a relayed body, so only it is parsed.
export function usageOf(text: string): StreamUsage | null {
  const key = text.lastIndexOf('"usage"');
  const match = key < 0 ? null : /^"usage"\s*:\s*\{/.exec(text.slice(key, key + 64));
  if (match === null) return null;
  const start = key + match[0].length - 1;
  // Usage objects hold numbers and small nested objects, never strings with braces in them.
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x7b) depth++;
    else if (char === 0x7d && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, index + 1)) as StreamUsage;
      } catch {
        return null;
      }
    }
  }
  return null;
}
