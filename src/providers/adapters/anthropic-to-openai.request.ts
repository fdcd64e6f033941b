import { toolCallFrom } from './anthropic-to-openai.response';
import { TranslationError } from './translation-error';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicTool,
  AnthropicToolResultBlock,
  OpenAIChatRequest,
  OpenAIContentPart,
  OpenAIMessage,
  OpenAITool,
  OpenAIToolCall,
  OpenAIToolChoice,
} from './wire-types';

/**
 * Anthropic Messages request → OpenAI chat request, for `/v1/messages` against an OpenAI-format
 * target. Thinking blocks and `thinking`/`top_k` have no OpenAI equivalent and are dropped;
 * documents, server tools and images inside tool results are refused with a TranslationError.
 */
export function toOpenAIRequest(
  body: AnthropicMessagesRequest,
  upstreamModel: string,
): OpenAIChatRequest {
  if (!Array.isArray(body.messages)) {
    throw new TranslationError('messages must be an array', 'messages', 'invalid_value');
  }
  const messages: OpenAIMessage[] = [];
  const system = systemText(body.system);
  if (system) messages.push({ role: 'system', content: system });
  body.messages.forEach((message, i) => translateMessage(message, `messages.${i}`, messages));

  const out: OpenAIChatRequest = { model: upstreamModel, messages };
  // max_tokens rather than max_completion_tokens: every OpenAI-compatible server knows it.
  if (typeof body.max_tokens === 'number') out.max_tokens = body.max_tokens;
  if (Array.isArray(body.stop_sequences) && body.stop_sequences.length > 0) {
    out.stop = body.stop_sequences;
  }
  if (typeof body.temperature === 'number') out.temperature = body.temperature;
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  const user = body.metadata?.user_id;
  if (typeof user === 'string' && user.length > 0) out.user = user;
  if (body.stream === true) {
    out.stream = true;
    // Usage is needed for accounting and for the final message_delta.
    out.stream_options = { include_usage: true };
  }
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    out.tools = body.tools.map(translateTool);
    const choice = body.tool_choice;
    if (choice) {
      out.tool_choice = translateToolChoice(choice);
      if ('disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true) {
        out.parallel_tool_calls = false;
      }
    }
  }
  return out;
}

function systemText(system: AnthropicMessagesRequest['system']): string {
  if (system === undefined || system === null) return '';
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) {
    throw new TranslationError('system must be a string or an array', 'system', 'invalid_value');
  }
  return system
    .map((block, i) => {
      if (block.type !== 'text') {
        throw new TranslationError(
          `System blocks can only be text, not '${String(block.type)}'`,
          `system.${i}.type`,
        );
      }
      return block.text;
    })
    .join('\n\n');
}

function translateMessage(message: AnthropicMessageParam, path: string, out: OpenAIMessage[]) {
  const { role, content } = message;
  if (role !== 'user' && role !== 'assistant') {
    throw new TranslationError(`Unknown message role '${String(role)}'`, `${path}.role`);
  }
  if (typeof content === 'string') {
    out.push({ role, content });
    return;
  }
  if (!Array.isArray(content)) {
    throw new TranslationError(
      'content must be a string or an array',
      `${path}.content`,
      'invalid_value',
    );
  }
  if (role === 'assistant') out.push(assistantMessage(content, `${path}.content`));
  else userMessages(content, `${path}.content`, out);
}

function assistantMessage(blocks: AnthropicContentBlock[], path: string): OpenAIMessage {
  let text = '';
  const toolCalls: OpenAIToolCall[] = [];
  blocks.forEach((block, j) => {
    switch (block.type) {
      case 'text':
        text += block.text;
        break;
      case 'tool_use':
        toolCalls.push(toolCallFrom(block));
        break;
      case 'thinking':
      case 'redacted_thinking':
        break; // signed reasoning only the Anthropic API can verify
      case 'image':
      case 'tool_result':
      default:
        throw unsupportedBlock(block, `${path}.${j}.type`);
    }
  });
  if (toolCalls.length === 0) return { role: 'assistant', content: text };
  return { role: 'assistant', content: text.length > 0 ? text : null, tool_calls: toolCalls };
}

/** One user turn may answer tool calls and say more: tool messages come first, as OpenAI needs. */
function userMessages(blocks: AnthropicContentBlock[], path: string, out: OpenAIMessage[]): void {
  const parts: OpenAIContentPart[] = [];
  blocks.forEach((block, j) => {
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: block.text });
        break;
      case 'image':
        parts.push({ type: 'image_url', image_url: { url: imageUrl(block, `${path}.${j}`) } });
        break;
      case 'tool_result':
        out.push({
          role: 'tool',
          tool_call_id: block.tool_use_id,
          content: toolResultText(block, `${path}.${j}.content`),
        });
        break;
      case 'thinking':
      case 'redacted_thinking':
        break;
      case 'tool_use':
      default:
        throw unsupportedBlock(block, `${path}.${j}.type`);
    }
  });
  if (parts.length === 0) return;
  const first = parts[0]!;
  const single = parts.length === 1 && first.type === 'text';
  out.push({ role: 'user', content: single ? (first as { text: string }).text : parts });
}

function imageUrl(block: AnthropicImageBlock, path: string): string {
  const source = block.source;
  if (source?.type === 'base64') return `data:${source.media_type};base64,${source.data}`;
  if (source?.type === 'url') return source.url;
  throw new TranslationError(
    `Image source '${String((source as { type?: unknown } | undefined)?.type)}' cannot be sent to an OpenAI-format model`,
    `${path}.source.type`,
  );
}

/**
 * OpenAI tool messages carry text only. Several text blocks are joined with newlines; `is_error`
 * has no OpenAI field and is dropped (the result text normally says what failed).
 */
function toolResultText(block: AnthropicToolResultBlock, path: string): string {
  const content = block.content;
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, k) => {
      if (part.type !== 'text') {
        throw new TranslationError(
          `Tool results sent to an OpenAI-format model can only hold text, not '${part.type}'`,
          `${path}.${k}.type`,
        );
      }
      return part.text;
    })
    .join('\n');
}

function unsupportedBlock(block: { type?: unknown }, param: string): TranslationError {
  return new TranslationError(
    `Content block type '${String(block.type)}' cannot be sent to an OpenAI-format model`,
    param,
  );
}

function translateTool(tool: AnthropicTool, i: number): OpenAITool {
  // Server tools (web search, code execution, bash_…) run inside Anthropic's API.
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    throw new TranslationError(
      `Tool type '${tool.type}' runs on Anthropic's servers and cannot be sent to an OpenAI-format model`,
      `tools.${i}.type`,
    );
  }
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.input_schema,
    },
  };
}

function translateToolChoice(
  choice: NonNullable<AnthropicMessagesRequest['tool_choice']>,
): OpenAIToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      return { type: 'function', function: { name: choice.name } };
    default:
      throw new TranslationError(
        `Unknown tool_choice type '${String((choice as { type?: unknown }).type)}'`,
        'tool_choice.type',
      );
  }
}
