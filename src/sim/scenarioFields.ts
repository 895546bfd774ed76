/**
 * The readers a scenario's validator applies to each untrusted JSON value: each returns the value typed or
 * throws a FieldError naming the field and saying what was expected (docs/scenarios.md). Shared by the action
 * validator (scenario.ts) and the settings validator (scenarioConfig.ts).
 */
import { FieldError } from '../etcd/index.ts';

export function rejectUnknownFields(raw: Record<string, unknown>, allowed: string[], prefix: string, what: string): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      throw new FieldError(`${prefix}${key}`, `unknown field for ${what} (allowed: ${allowed.join(', ')})`);
    }
  }
}

export function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldError(field, `must be a JSON object, got ${show(value)}`);
  }
  return value as Record<string, unknown>;
}

export function asInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new FieldError(field, `must be an integer, got ${show(value)}`);
  if (!Number.isInteger(value)) throw new FieldError(field, `must be an integer, got ${value}`);
  if (value < min) throw new FieldError(field, value < 0 ? `must not be negative, got ${value}` : `must be at least ${min}, got ${value}`);
  if (value > max) throw new FieldError(field, `must be at most ${max}, got ${value}`);
  return value;
}

export function asProbability(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new FieldError(field, `must be a probability in [0, 1], got ${show(value)}`);
  }
  return value;
}

export function asBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new FieldError(field, `must be true or false, got ${show(value)}`);
  return value;
}

export function asString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new FieldError(field, `must be a string, got ${show(value)}`);
  return value;
}

export function asEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new FieldError(field, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON reads 1e400 as Infinity, which JSON.stringify would print as null: say what the number became.
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (a number too large for JSON's doubles)`;
  const text = JSON.stringify(value);
  return text.length > 40 ? text.slice(0, 37) + '...' : text;
}

