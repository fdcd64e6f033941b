import { contentBlocks, hasText, systemText } from './openai-to-anthropic.content';
import { TranslationError } from './translation-error';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
  OpenAIChatRequest,
  OpenAIMessage,
  OpenAITool,
  OpenAIToolCall,
} from './wire-types';

const TOOL_ID = /^[a-zA-Z0-9_-]+$/;

interface Turn {
  role: 'user' | 'assistant';
  content: AnthropicContentBlock[];
}

/**
 * OpenAI chat request → Anthropic Messages request. Fields Anthropic has no equivalent for and
 * that only tune sampling (seed, penalties, logit_bias, reasoning_effort, …) are dropped; fields
 * whose loss would change what the client gets back (n > 1, logprobs, JSON response formats,
 * audio) are refused with a TranslationError.
 */
export function toAnthropicRequest(
  body: OpenAIChatRequest,
  upstreamModel: string,
  defaultMaxTokens = 4096,
): AnthropicMessagesRequest {
  refuseUntranslatable(body);
  if (!Array.isArray(body.messages)) {
    throw new TranslationError('messages must be an array', 'messages', 'invalid_value');
  }
  const system: string[] = [];
  const turns: Turn[] = [];
  body.messages.forEach((message, i) => translateMessage(message, i, system, turns));
  finishTurns(turns);
  if (turns.length === 0) {
    throw new TranslationError(
      'messages must contain at least one non-empty user or assistant message',
      'messages',
      'invalid_value',
    );
  }

  const out: AnthropicMessagesRequest = {
    model: upstreamModel,
    messages: turns,
    max_tokens: body.max_completion_tokens ?? body.max_tokens ?? defaultMaxTokens,
  };
  if (system.length > 0) out.system = system.join('\n\n');
  const stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (Array.isArray(stop) && stop.length > 0) out.stop_sequences = stop;
  // Passed unchanged: Anthropic's range is 0-1 where OpenAI's is 0-2, and clamping would silently
  // change sampling; an out-of-range value gets Anthropic's own 400 message instead.
  if (typeof body.temperature === 'number') out.temperature = body.temperature;
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  if (body.stream === true) out.stream = true;
  if (typeof body.user === 'string' && body.user.length > 0) out.metadata = { user_id: body.user };
  if (Array.isArray(body.tools) && body.tools.length > 0) {
    out.tools = body.tools.map(translateTool);
    const choice = translateToolChoice(body);
    if (choice) out.tool_choice = choice;
  }
  return out;
}

function refuseUntranslatable(body: OpenAIChatRequest): void {
  if (typeof body.n === 'number' && body.n > 1) {
    throw new TranslationError('Anthropic-format models return one choice; n must be 1', 'n');
  }
  if (body.logprobs === true) {
    throw new TranslationError('Anthropic-format models do not return logprobs', 'logprobs');
  }
  const format = body.response_format as { type?: unknown } | null | undefined;
  if (format && format.type !== 'text') {
    throw new TranslationError(
      `response_format '${String(format.type)}' cannot be enforced on an Anthropic-format model; use a tool with an input schema instead`,
      'response_format',
    );
  }
  if (body.functions !== undefined || body.function_call !== undefined) {
    const param = body.functions !== undefined ? 'functions' : 'function_call';
    throw new TranslationError(`${param} is deprecated; use tools and tool_choice`, param);
  }
  if (body.audio !== undefined && body.audio !== null) {
    throw new TranslationError('Anthropic-format models do not produce audio', 'audio');
  }
}

function translateMessage(message: OpenAIMessage, i: number, system: string[], turns: Turn[]) {
  const path = `messages[${i}]`;
  switch (message.role) {
    case 'system':
    case 'developer':
      system.push(systemText(message.content, `${path}.content`));
      return;
    case 'user':
      appendTurn(turns, 'user', contentBlocks(message.content, `${path}.content`));
      return;
    case 'assistant': {
      const blocks =
        message.content === null || message.content === undefined
          ? []
          : contentBlocks(message.content, `${path}.content`);
      if (typeof message.refusal === 'string' && hasText(message.refusal)) {
        blocks.push({ type: 'text', text: message.refusal });
      }
      message.tool_calls?.forEach((call, j) =>
        blocks.push(toolUse(call, `${path}.tool_calls[${j}]`)),
      );
      appendTurn(turns, 'assistant', blocks);
      return;
    }
    case 'tool': {
      const content =
        typeof message.content === 'string'
          ? message.content
          : contentBlocks(message.content, `${path}.content`).filter(
              (block): block is AnthropicTextBlock | AnthropicImageBlock =>
                block.type === 'text' || block.type === 'image',
            );
      appendTurn(turns, 'user', [
        {
          type: 'tool_result',
          tool_use_id: toolId(message.tool_call_id),
          ...(content.length > 0 ? { content } : {}),
        },
      ]);
      return;
    }
    default: {
      const role = (message as { role?: unknown }).role;
      throw new TranslationError(
        `Message role '${String(role)}' cannot be sent to an Anthropic-format model`,
        `${path}.role`,
      );
    }
  }
}

/** Anthropic requires strict user/assistant alternation: consecutive same-role turns merge. */
function appendTurn(turns: Turn[], role: Turn['role'], blocks: AnthropicContentBlock[]): void {
  if (blocks.length === 0) return;
  const last = turns[turns.length - 1];
  if (last?.role === role) last.content.push(...blocks);
  else turns.push({ role, content: blocks });
}

function finishTurns(turns: Turn[]): void {
  for (const turn of turns) {
    // tool_result blocks must open the user turn that answers a tool_use.
    if (turn.role !== 'user') continue;
    const firstOther = turn.content.findIndex((block) => block.type !== 'tool_result');
    if (firstOther === -1) continue;
    if (turn.content.some((block, k) => k > firstOther && block.type === 'tool_result')) {
      turn.content = [
        ...turn.content.filter((block) => block.type === 'tool_result'),
        ...turn.content.filter((block) => block.type !== 'tool_result'),
      ];
    }
  }
  // A final assistant turn is a prefill, which Anthropic refuses when it ends in whitespace.
  const last = turns[turns.length - 1];
  const block = last?.content[last.content.length - 1];
  if (last?.role === 'assistant' && block?.type === 'text') block.text = block.text.trimEnd();
}

function toolUse(call: OpenAIToolCall, path: string): AnthropicContentBlock {
  if (call.type !== undefined && call.type !== 'function') {
    throw new TranslationError(
      `Tool call type '${String(call.type)}' cannot be sent to an Anthropic-format model`,
      `${path}.type`,
    );
  }
  return {
    type: 'tool_use',
    id: toolId(call.id),
    name: call.function.name,
    input: parseArguments(call.function.arguments, `${path}.function.arguments`),
  };
}

/**
 * Anthropic needs `input` as an object. Empty arguments (tools without parameters) become {};
 * anything else that is not a JSON object is refused rather than silently replaced, since the
 * tool result that follows would then describe a call the model never sees.
 */
function parseArguments(args: unknown, path: string): Record<string, unknown> {
  if (isPlainObject(args)) return args; // some clients send the object itself
  if (typeof args !== 'string' || !hasText(args)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    throw new TranslationError('Tool call arguments are not valid JSON', path, 'invalid_value');
  }
  if (!isPlainObject(parsed)) {
    throw new TranslationError('Tool call arguments must be a JSON object', path, 'invalid_value');
  }
  return parsed;
}

/** Anthropic tool ids match ^[a-zA-Z0-9_-]+$; other ids (e.g. `functions.get:0`) are rewritten
 * the same way in tool_use and tool_result, so the pair still matches. */
function toolId(id: string): string {
  return TOOL_ID.test(id) ? id : String(id).replace(/[^a-zA-Z0-9_-]/g, '_');
}

function translateTool(tool: OpenAITool, i: number): AnthropicTool {
  if (tool.type !== 'function' || !tool.function) {
    throw new TranslationError(
      `Tool type '${String(tool.type)}' cannot be sent to an Anthropic-format model`,
      `tools[${i}].type`,
    );
  }
  const fn = tool.function;
  return {
    name: fn.name,
    ...(fn.description !== undefined ? { description: fn.description } : {}),
    input_schema: fn.parameters ?? { type: 'object', properties: {} },
  };
}

function translateToolChoice(body: OpenAIChatRequest): AnthropicToolChoice | undefined {
  const choice = body.tool_choice;
  let out: AnthropicToolChoice | undefined;
  if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'none') out = { type: 'none' };
  else if (choice === 'required') out = { type: 'any' };
  else if (typeof choice === 'object' && choice !== null) {
    const name = (choice as { function?: { name?: unknown } }).function?.name;
    if (typeof name !== 'string') {
      throw new TranslationError('tool_choice.function.name is required', 'tool_choice');
    }
    out = { type: 'tool', name };
  } else if (choice !== undefined && choice !== null) {
    throw new TranslationError(`Unknown tool_choice '${String(choice)}'`, 'tool_choice');
  }
  if (body.parallel_tool_calls === false && out?.type !== 'none') {
    out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
