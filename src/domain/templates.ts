/**
 * Message templates (settings `message.<list>.<locale>`): text with `{placeholder}`s. Only the
 * documented placeholders of each list are placeholders; a template naming any other is refused at
 * `config set`, and filling reads only the values' own properties (never `{constructor}` or
 * `{__proto__}` from Object's prototype). Pure.
 */

/** The placeholders each list's message may use (README "Message templates"). */
export const TEMPLATE_PLACEHOLDERS = {
  reminder: ['customer', 'shop', 'phone', 'plate', 'model', 'time', 'date', 'service'],
  maintenance: ['customer', 'shop', 'phone', 'plate', 'model', 'due_on', 'estimated_km'],
  declined: ['customer', 'shop', 'phone', 'plate', 'model', 'items', 'found_on'],
} as const;
export type TemplateKind = keyof typeof TEMPLATE_PLACEHOLDERS;

const PLACEHOLDER = /\{([^{}\s]+)\}/g;

/** The `{…}` names a template uses, in order, each once. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Throws (a message for `config set`) when the template names a placeholder its list does not have. */
export function checkTemplate(kind: TemplateKind, template: string): string {
  const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[kind];
  const unknown = placeholdersOf(template).filter((p) => !allowed.includes(p));
  if (unknown.length) {
    throw new Error(`text whose placeholders are among ${allowed.map((p) => `{${p}}`).join(' ')}; unknown: ${unknown.map((p) => `{${p}}`).join(' ')}`);
  }
  return template;
}

/** The value of a placeholder, from the values' own properties only. */
export function ownValue<V>(values: Record<string, V>, name: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
}
