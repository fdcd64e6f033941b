import type { ValueTransformer } from 'typeorm';

/**
 * Money is stored as integer micro-dollars in bigint columns. PostgreSQL returns bigint as a string;
 * amounts stay far below 2^53 micro-dollars (9 billion dollars), so a JS number holds them exactly.
 */
export const microDollars: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

/** Dollars (as an API takes them) → integer micro-dollars. */
export function toMicroDollars(dollars: number): number {
  return Math.round(dollars * 1_000_000);
}

export function fromMicroDollars(micro: number): number {
  return micro / 1_000_000;
}
