import { randomUUID } from 'node:crypto';

/** A new id that says what it names: `org_`, `prj_`, `key_`… followed by 32 random hex digits. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '')}`;
}
