/**
 * A small model of CloudWatch Logs' space-delimited filter patterns, as "Filter pattern syntax"
 * documents them: `[name, name <op> value, ...]`, one term per whitespace-separated field of the
 * event (`...` stands for any number of fields), with `=`, `!=`, `<`, `<=`, `>`, `>=`, `*`
 * wildcards in strings, and `&&` / `||` joining conditions on one field. It throws on anything
 * else, so a pattern it cannot read is never judged.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-space-delimited-log-events
 */

type Operator = "=" | "!=" | "<" | "<=" | ">" | ">=";
interface Comparison {
    readonly op: Operator;
    readonly value: string;
    readonly quoted: boolean;
}
/** Conditions on one field: any group holds when all its comparisons do (`&&` binds tighter). */
interface Term {
    readonly name: string;
    readonly anyOf: readonly (readonly Comparison[])[];
}
type Slot = Term | "...";

function splitTopLevel(text: string, separator: string): string[] {
    const parts: string[] = [];
    let current = "";
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
        const char = text[i];
        if (char === '"') quoted = !quoted;
        if (!quoted && text.startsWith(separator, i)) {
            parts.push(current);
            current = "";
            i += separator.length - 1;
        } else current += char;
    }
    if (quoted) throw new Error(`filterPattern: unbalanced quote in ${text}`);
    parts.push(current);
    return parts.map((part) => part.trim());
}

const COMPARISON = /^([A-Za-z_][A-Za-z0-9_]*)\s*(!=|<=|>=|=|<|>)\s*(.+)$/;

function parseComparison(text: string, field: string): Comparison {
    const match = COMPARISON.exec(text);
    if (!match) throw new Error(`filterPattern: cannot read the condition "${text}"`);
    const [, name, op, raw] = match;
    if (name !== field) throw new Error(`filterPattern: condition on ${name} inside the term of ${field}`);
    const quoted = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2;
    return { op: op as Operator, value: quoted ? raw.slice(1, -1) : raw, quoted };
}

function parseSlot(text: string): Slot {
    if (text === "...") return "...";
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0];
    if (!name) throw new Error(`filterPattern: a term must start with a field name: "${text}"`);
    if (text === name) return { name, anyOf: [] };
    const anyOf = splitTopLevel(text, "||").map((group) =>
        splitTopLevel(group, "&&").map((part) => parseComparison(part, name)),
    );
    return { name, anyOf };
}

export interface ParsedPattern {
    readonly slots: readonly Slot[];
}

export function parsePattern(pattern: string): ParsedPattern {
    const body = /^\s*\[(.*)\]\s*$/s.exec(pattern)?.[1];
    if (body === undefined) throw new Error(`filterPattern: not a space-delimited pattern: ${pattern}`);
    return { slots: splitTopLevel(body, ",").map(parseSlot) };
}

const wildcard = (pattern: string, value: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);

function holds(c: Comparison, actual: string): boolean {
    const numeric = !c.quoted && /^-?\d+(\.\d+)?$/.test(c.value);
    if (c.op === "=" || c.op === "!=") {
        const equal = numeric ? Number(actual) === Number(c.value) : wildcard(c.value, actual);
        return c.op === "=" ? equal : !equal;
    }
    if (!numeric) throw new Error(`filterPattern: ${c.op} compares numbers, not "${c.value}"`);
    const [a, b] = [Number(actual), Number(c.value)];
    if (Number.isNaN(a)) return false;
    return { "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[c.op];
}

/** The event's fields by name when the pattern matches it; undefined when it does not. */
export function matchFields(pattern: string, event: string): Record<string, string> | undefined {
    const { slots } = parsePattern(pattern);
    const values = event.trim().split(/\s+/);
    const ellipsis = slots.indexOf("...");
    if (slots.lastIndexOf("...") !== ellipsis) throw new Error("filterPattern: more than one ... is not modelled");
    const fixed = slots.length - (ellipsis >= 0 ? 1 : 0);
    if (ellipsis < 0 ? values.length !== fixed : values.length < fixed) return undefined;
    const aligned: [Term, string][] = [];
    slots.forEach((slot, index) => {
        if (slot === "...") return;
        const at = ellipsis >= 0 && index > ellipsis ? values.length - (slots.length - index) : index;
        aligned.push([slot, values[at]]);
    });
    for (const [term, value] of aligned) {
        if (term.anyOf.length > 0 && !term.anyOf.some((group) => group.every((c) => holds(c, value)))) return undefined;
    }
    return Object.fromEntries(aligned.map(([term, value]) => [term.name, value]));
}

/** The value a metric filter publishes for one event: its metric value, or nothing when the pattern misses. */
export function publishedValue(pattern: string, metricValue: string, event: string): number | undefined {
    const fields = matchFields(pattern, event);
    if (!fields) return undefined;
    if (!metricValue.startsWith("$")) return Number(metricValue);
    const value = fields[metricValue.slice(1)];
    if (value === undefined) throw new Error(`filterPattern: ${metricValue} names no field of the pattern`);
    return Number(value);
}
