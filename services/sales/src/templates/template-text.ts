/*
 * Template text: `{{customer.name}}`-style placeholders (spaces inside the braces allowed). A variable
 * name is dotted identifiers: customer.name, owner.name, opportunity.amount. Pure functions, so the
 * rules are unit tested on their own.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** Every placeholder of the text in order of first appearance (names as written, trimmed). */
export function placeholdersOf(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) names.add(match[1]);
  return [...names];
}

export interface VariableProblems {
  /** Placeholders that are not declared variables. */
  unknown: string[];
  /** Placeholders that are not variable names at all (`{{ 1x }}`, `{{}}`). */
  malformed: string[];
}

/** What is wrong with the placeholders of `texts` given the declared variables. */
export function checkPlaceholders(texts: readonly string[], declared: readonly string[]): VariableProblems {
  const known = new Set(declared);
  const unknown = new Set<string>();
  const malformed = new Set<string>();
  for (const text of texts) {
    for (const name of placeholdersOf(text)) {
      if (!VARIABLE_NAME.test(name)) malformed.add(name);
      else if (!known.has(name)) unknown.add(name);
    }
  }
  return { unknown: [...unknown], malformed: [...malformed] };
}

/**
 * The text with every placeholder replaced by its value. A placeholder without a value is replaced by
 * nothing and reported in `missing` (the caller decides whether that is an error).
 */
export function render(text: string, values: ReadonlyMap<string, string>): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const rendered = text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values.get(name);
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return value;
  });
  return { text: rendered, missing: [...missing] };
}
