import { TranslationError } from './translation-error';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicImageMediaType,
  OpenAIContentPart,
} from './wire-types';

// Message content (text, refusal and image parts) for toAnthropicRequest.

const IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);
const NON_BLANK = /\S/;

/** Anthropic refuses empty and whitespace-only text blocks. */
export function hasText(text: string): boolean {
  return NON_BLANK.test(text);
}

export function systemText(content: string | OpenAIContentPart[], path: string): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) {
    throw new TranslationError('content must be a string or an array', path, 'invalid_value');
  }
  return content
    .map((part, j) => {
      if (part.type !== 'text') {
        throw new TranslationError(
          `System messages can only hold text, not '${part.type}'`,
          `${path}[${j}].type`,
        );
      }
      return (part as { text: string }).text;
    })
    .join('\n');
}

export function contentBlocks(
  content: string | OpenAIContentPart[],
  path: string,
): AnthropicContentBlock[] {
  // Anthropic refuses empty and whitespace-only text blocks, so they are left out.
  if (typeof content === 'string') {
    return hasText(content) ? [{ type: 'text', text: content }] : [];
  }
  if (!Array.isArray(content)) {
    throw new TranslationError('content must be a string or an array', path, 'invalid_value');
  }
  const blocks: AnthropicContentBlock[] = [];
  content.forEach((part, j) => {
    if (part.type === 'text' || part.type === 'refusal') {
      const text = (part as { text?: unknown; refusal?: unknown })[part.type];
      if (typeof text === 'string' && hasText(text)) blocks.push({ type: 'text', text });
    } else if (part.type === 'image_url') {
      blocks.push(imageBlock((part as { image_url?: { url?: unknown } }).image_url?.url, path, j));
    } else {
      throw new TranslationError(
        `Content part type '${part.type}' cannot be sent to an Anthropic-format model`,
        `${path}[${j}].type`,
      );
    }
  });
  return blocks;
}

function imageBlock(url: unknown, path: string, j: number): AnthropicImageBlock {
  const param = `${path}[${j}].image_url.url`;
  if (typeof url !== 'string') {
    throw new TranslationError('image_url.url must be a string', param, 'invalid_value');
  }
  if (url.startsWith('data:')) {
    // data:[<media type>][;base64],<data>; parsed by index so a large image is not regex-scanned.
    const comma = url.indexOf(',');
    const header = comma === -1 ? [] : url.slice(5, comma).split(';');
    let mediaType = (header[0] ?? '').toLowerCase();
    if (mediaType === 'image/jpg') mediaType = 'image/jpeg';
    if (!header.includes('base64')) {
      throw new TranslationError(
        'Image data URLs must be base64-encoded (data:image/png;base64,…)',
        param,
        'invalid_value',
      );
    }
    if (!IMAGE_MEDIA_TYPES.has(mediaType)) {
      throw new TranslationError(
        `Image type '${mediaType}' is not supported by Anthropic-format models (jpeg, png, gif, webp)`,
        param,
        'invalid_value',
      );
    }
    return {
      type: 'image',
      source: {
        type: 'base64',
        media_type: mediaType as AnthropicImageMediaType,
        data: url.slice(comma + 1),
      },
    };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new TranslationError(
    'image_url.url must be an http(s) URL or a base64 data URL',
    param,
    'invalid_value',
  );
}
