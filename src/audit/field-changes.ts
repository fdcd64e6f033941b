/** The fields whose values differ, as the before/after pair an audit row stores. */
export function fieldChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  alwaysChanged: string[] = [],
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const names = Object.keys(after).filter(
    (name) =>
      alwaysChanged.includes(name) || JSON.stringify(before[name]) !== JSON.stringify(after[name]),
  );
  return {
    before: Object.fromEntries(names.map((name) => [name, before[name]])),
    after: Object.fromEntries(names.map((name) => [name, after[name]])),
  };
}
