import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicStopReason,
  AnthropicUsage,
  OpenAIChatCompletion,
  OpenAIUsage,
} from './wire-types';

/** OpenAI `finish_reason` → Anthropic `stop_reason`. OpenAI does not say which stop sequence hit. */
export function stopReasonFromOpenAI(reason: string | null | undefined): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    case null:
    case undefined:
    default:
      return 'end_turn';
  }
}

/** The inverse of usageFromAnthropic: Anthropic's input_tokens excludes cache reads. */
export function anthropicUsageFromOpenAI(usage: OpenAIUsage | null | undefined): AnthropicUsage {
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cached),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

/**
 * Tool arguments from an OpenAI-format model are not guaranteed to be JSON (small local models
 * emit broken JSON); Anthropic clients expect an object, so unparseable or non-object arguments
 * become {}. The request direction refuses them instead (see openai-to-anthropic.request.ts).
 */
export function parseToolInput(args: string): Record<string, unknown> {
  if (!args) return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** chat.completion → Anthropic message (first choice; the reverse request forces n = 1). */
export function toAnthropicResponse(
  completion: OpenAIChatCompletion,
  meta: { id: string; model: string },
): AnthropicMessage {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  const content: AnthropicContentBlock[] = [];
  const text = message?.content || message?.refusal;
  if (text) content.push({ type: 'text', text });
  for (const call of message?.tool_calls ?? []) {
    content.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolInput(call.function.arguments),
    });
  }
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content,
    stop_reason: stopReasonFromOpenAI(choice?.finish_reason),
    stop_sequence: null,
    usage: anthropicUsageFromOpenAI(completion.usage),
  };
}
