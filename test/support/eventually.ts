/**
 * Retries an assertion until it passes or `timeoutMs` runs out (then throws its last error): for
 * effects that happen after the response, such as an upstream noticing that its client went away.
 */
export async function expectEventually(
  assertion: () => void | Promise<void>,
  { timeoutMs = 5_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
