/**
 * How diagnostics quote what they were given, bounded: a policy's message must stay readable and
 * small whatever the input (a 10 MB property, a group of 100,000 rules), and costs no more than
 * one pass over what it quotes.
 */

/** Longest quoted value, in characters, before it is shortened. */
export const QUOTE_LIMIT = 60;
/** How many names a list shows before "and N more". */
export const LIST_LIMIT = 5;

/**
 * A value as JSON text, e.g. `"0/0"` or `["0.0.0.0/0"]`; beyond {@link QUOTE_LIMIT} characters
 * its start and its length, e.g. `"AAAA…" (10485760 characters)`. Never throws.
 */
export function quote(value: unknown): string {
    if (typeof value === "string" && value.length > QUOTE_LIMIT)
        return `${JSON.stringify(value.slice(0, QUOTE_LIMIT - 20))}… (${value.length} characters)`;
    let text: string;
    try {
        text = typeof value === "symbol" ? String(value.description) : (JSON.stringify(value) ?? String(value));
    } catch {
        text = Object.prototype.toString.call(value);
    }
    return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 20)}… (${text.length} characters)` : text;
}

/** The first {@link LIST_LIMIT} items joined with commas, then "and N more". */
export function listed(items: readonly string[], limit = LIST_LIMIT): string {
    if (items.length <= limit) return items.join(", ");
    return `${items.slice(0, limit).join(", ")} and ${items.length - limit} more`;
}

/** Text shown as it is when short, else quoted and shortened by {@link quote}. */
export function shortText(text: string): string {
    return text.length > QUOTE_LIMIT ? quote(text) : text;
}
