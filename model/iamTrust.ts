/**
 * Reads IAM trust policies (a role's `assumeRolePolicy`) in every shape AWS and Pulumi accept,
 * so that checks cannot be fooled by spelling: JSON text or an object, `Statement` as one object
 * or a list, principals and actions as one string or a list. Pure: never throws on odd input.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */
import { quote, shortText } from "./messageText";

/** One statement, with the elements a trust check looks at, as written. */
export interface TrustStatement {
    /** `Sid "x"` or `statement #n`, for messages. */
    readonly label: string;
    readonly effect: "Allow" | "Deny";
    readonly principal?: unknown;
    readonly notPrincipal?: unknown;
    readonly action?: unknown;
    readonly notAction?: unknown;
}

export type ParsedTrustPolicy =
    | { readonly ok: true; readonly statements: readonly TrustStatement[] }
    | { readonly ok: false; readonly error: string };

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function has(object: Record<string, unknown>, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(object, key);
}

/** Parses a trust policy; any shape AWS would reject gives `ok: false` with the reason. */
export function parseTrustPolicy(document: unknown): ParsedTrustPolicy {
    let parsed: unknown = document;
    if (typeof document === "string") {
        try {
            parsed = JSON.parse(document);
        } catch (error) {
            return { ok: false, error: `is not valid JSON (${(error as Error).message})` };
        }
    }
    if (!isObject(parsed)) return { ok: false, error: "is not a JSON object" };
    if (!has(parsed, "Statement")) return { ok: false, error: "has no Statement" };
    const raw = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    const statements: TrustStatement[] = [];
    for (const [index, statement] of raw.entries()) {
        if (!isObject(statement)) return { ok: false, error: `statement #${index + 1} is not an object` };
        const label =
            typeof statement.Sid === "string" && statement.Sid !== ""
                ? `statement ${quote(statement.Sid)}`
                : `statement #${index + 1}`;
        if (statement.Effect !== "Allow" && statement.Effect !== "Deny") {
            return {
                ok: false,
                error: `${label} has Effect ${statement.Effect === undefined ? "missing" : quote(statement.Effect)}; IAM accepts only "Allow" or "Deny"`,
            };
        }
        statements.push({
            label,
            effect: statement.Effect,
            principal: statement.Principal,
            action: statement.Action,
            // Present at all, even empty, they invert the statement's meaning.
            notPrincipal: has(statement, "NotPrincipal") ? (statement.NotPrincipal ?? null) : undefined,
            notAction: has(statement, "NotAction") ? (statement.NotAction ?? null) : undefined,
        });
    }
    return { ok: true, statements };
}

/** A policy element that IAM allows as one string or a list of strings; `undefined` when it is neither. */
function stringsOf(value: unknown): string[] | undefined {
    if (typeof value === "string") return [value];
    if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
    return undefined;
}

const quoted = quote;

/** Why a statement's principal is more than exactly `service`; empty when it is exactly that. */
function principalProblems(statement: TrustStatement, service: string): string[] {
    const { principal } = statement;
    if (principal === undefined) return ["has no Principal"];
    if (!isObject(principal)) return [`trusts Principal ${quoted(principal)}, i.e. anyone`];
    const problems: string[] = [];
    for (const [kind, value] of Object.entries(principal)) {
        if (kind !== "Service") problems.push(`also trusts ${shortText(kind)} ${quoted(value)}`);
    }
    if (!has(principal, "Service")) return [...problems, `does not name the service ${service}`];
    const services = stringsOf(principal.Service);
    if (services === undefined)
        return [...problems, `has Service ${quoted(principal.Service)}, not a service name or a list of them`];
    if (services.length === 0) problems.push(`names no service`);
    for (const other of services.filter((name) => name !== service))
        problems.push(`trusts the service ${quoted(other)}`);
    return problems;
}

/** Why a statement's actions are more than exactly `action`; IAM matches action names case-insensitively. */
function actionProblems(statement: TrustStatement, action: string): string[] {
    if (statement.action === undefined) return ["has no Action"];
    const actions = stringsOf(statement.action);
    if (actions === undefined) return [`has Action ${quoted(statement.action)}, not an action name or a list of them`];
    if (actions.length === 0) return ["has no Action"];
    return actions
        .filter((name) => name.toLowerCase() !== action.toLowerCase())
        .map((name) => `allows the action ${quoted(name)}`);
}

/**
 * Problems that keep a trust policy from trusting exactly one AWS service for exactly one action:
 * every Allow statement must have `Principal` `{ "Service": service }` and `Action` `action`,
 * nothing else (no `NotPrincipal`, no `NotAction`, no other principals, no wildcards). Conditions
 * only narrow a statement and Deny statements only take away, so both are accepted. Empty when
 * the policy is right; a policy that does not parse gives one problem saying why.
 */
export function serviceOnlyTrustProblems(document: unknown, service: string, action = "sts:AssumeRole"): string[] {
    const parsed = parseTrustPolicy(document);
    if (!parsed.ok) return [`the trust policy ${parsed.error}`];
    const problems: string[] = [];
    for (const statement of parsed.statements.filter((s) => s.effect === "Allow")) {
        const own: string[] = [];
        if (statement.notPrincipal !== undefined) own.push("uses NotPrincipal, which trusts everyone it does not list");
        else own.push(...principalProblems(statement, service));
        if (statement.notAction !== undefined) own.push("uses NotAction, which allows every action it does not list");
        else own.push(...actionProblems(statement, action));
        problems.push(...own.map((problem) => `${statement.label} ${problem}`));
    }
    return problems;
}

/**
 * The document as IAM reads it: JSON text decoded (so `"\u0076pc-flow-logs.amazonaws.com"` is the
 * service's name), objects as they are; `undefined` for text that is not JSON.
 */
function decoded(document: unknown): unknown {
    if (typeof document !== "string") return document;
    try {
        return JSON.parse(document);
    } catch {
        return undefined;
    }
}

/** Whether an IAM wildcard pattern (`*` any run, `?` one character) matches the text, case-insensitively. */
export function wildcardMatches(pattern: string, text: string): boolean {
    const [p, t] = [pattern.toLowerCase(), text.toLowerCase()];
    // Greedy match with backtracking to the last `*`: linear in practice, O(p·t) at worst.
    let [i, j, star, mark] = [0, 0, -1, 0];
    while (j < t.length) {
        if (i < p.length && (p[i] === "?" || p[i] === t[j])) [i, j] = [i + 1, j + 1];
        else if (i < p.length && p[i] === "*") [star, mark, i] = [i, j, i + 1];
        else if (star >= 0) [i, mark, j] = [star + 1, mark + 1, mark + 1];
        else return false;
    }
    while (i < p.length && p[i] === "*") i++;
    return i === p.length;
}

/**
 * Whether a trust policy mentions the service anywhere, in any letter case, after decoding: in any
 * string of the document, or as a wildcard under a `Service` key that matches it
 * (`"vpc-flow-logs.*"`). Such a role is meant for that service, so it is held to that service's
 * rules even when it does not parse. Text that is not JSON is searched as it is. Both the
 * per-resource and the stack check ask this one question, so they agree.
 */
export function mentionsService(document: unknown, service: string): boolean {
    const wanted = service.toLowerCase();
    const value = decoded(document);
    if (value === undefined) return typeof document === "string" && document.toLowerCase().includes(wanted);
    const seen = new Set<object>();
    const pending: [unknown, boolean][] = [[value, false]];
    while (pending.length > 0) {
        const [item, underService] = pending.pop()!;
        if (typeof item === "string") {
            const text = item.toLowerCase();
            if (text.includes(wanted)) return true;
            if (underService && /[*?]/.test(text) && wildcardMatches(text, wanted)) return true;
        } else if (typeof item === "object" && item !== null && !seen.has(item)) {
            seen.add(item);
            for (const [key, child] of Object.entries(item)) {
                if (key.toLowerCase().includes(wanted)) return true;
                pending.push([child, underService || key.toLowerCase() === "service"]);
            }
        }
    }
    return false;
}
