import type {
  AnthropicMessage,
  AnthropicStopReason,
  AnthropicToolUseBlock,
  AnthropicUsage,
  OpenAIChatCompletion,
  OpenAIFinishReason,
  OpenAIResponseMessage,
  OpenAIToolCall,
  OpenAIUsage,
} from './wire-types';

/** Anthropic `stop_reason` → OpenAI `finish_reason`; unknown future reasons read as 'stop'. */
export function finishReasonFromAnthropic(
  reason: AnthropicStopReason | null | undefined,
): OpenAIFinishReason {
  switch (reason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
    case null:
    case undefined:
    default:
      return 'stop';
  }
}

/**
 * Anthropic counts cached prompt tokens apart from `input_tokens`; OpenAI's `prompt_tokens`
 * includes them and reports the cache reads as `cached_tokens`. Cache writes count as prompt.
 */
export function usageFromAnthropic(usage: Partial<AnthropicUsage>): OpenAIUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const promptTokens =
    (usage.input_tokens ?? 0) + cacheRead + (usage.cache_creation_input_tokens ?? 0);
  const completionTokens = usage.output_tokens ?? 0;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

/**
 * Anthropic message → chat.completion. Text blocks are concatenated without a separator, as the
 * streamed deltas would be; thinking goes to `reasoning_content`; redacted thinking and server
 * tool blocks have no OpenAI form and are dropped.
 */
export function toOpenAIResponse(
  message: AnthropicMessage,
  meta: { id: string; model: string; created: number },
): OpenAIChatCompletion {
  let text = '';
  let hasText = false;
  let reasoning = '';
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        text += block.text;
        hasText = true;
        break;
      case 'tool_use':
        toolCalls.push(toolCallFrom(block));
        break;
      case 'thinking':
        reasoning += block.thinking;
        break;
      case 'redacted_thinking':
      case 'image':
      case 'tool_result':
      default:
        break;
    }
  }
  // Like OpenAI: content is null on a tool-call-only answer.
  const out: OpenAIResponseMessage = {
    role: 'assistant',
    content: hasText || toolCalls.length === 0 ? text : null,
    refusal: null,
  };
  if (toolCalls.length > 0) out.tool_calls = toolCalls;
  if (reasoning.length > 0) out.reasoning_content = reasoning;
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: out,
        logprobs: null,
        finish_reason: finishReasonFromAnthropic(message.stop_reason),
      },
    ],
    usage: usageFromAnthropic(message.usage),
  };
}

/** An Anthropic tool_use block as an OpenAI tool call. */
export function toolCallFrom(block: AnthropicToolUseBlock): OpenAIToolCall {
  return {
    id: block.id,
    type: 'function',
    function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
  };
}
