/**
 * Reads IAM trust policies (a role's `assumeRolePolicy`) in every shape AWS and Pulumi accept,
 * so that checks cannot be fooled by spelling: JSON text or an object, `Statement` as one object
 * or a list, principals and actions as one string or a list. Pure: never throws on odd input.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */

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
                ? `statement "${statement.Sid}"`
                : `statement #${index + 1}`;
        if (statement.Effect !== "Allow" && statement.Effect !== "Deny") {
            return {
                ok: false,
                error: `${label} has Effect ${JSON.stringify(statement.Effect) ?? "missing"}; IAM accepts only "Allow" or "Deny"`,
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

function quoted(value: unknown): string {
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/** Why a statement's principal is more than exactly `service`; empty when it is exactly that. */
function principalProblems(statement: TrustStatement, service: string): string[] {
    const { principal } = statement;
    if (principal === undefined) return ["has no Principal"];
    if (!isObject(principal)) return [`trusts Principal ${quoted(principal)}, i.e. anyone`];
    const problems: string[] = [];
    for (const [kind, value] of Object.entries(principal)) {
        if (kind !== "Service") problems.push(`also trusts ${kind} ${quoted(value)}`);
    }
    if (!has(principal, "Service")) return [...problems, `does not name the service ${service}`];
    const services = stringsOf(principal.Service);
    if (services === undefined)
        return [...problems, `has Service ${quoted(principal.Service)}, not a service name or a list of them`];
    if (services.length === 0) problems.push(`names no service`);
    for (const other of services.filter((name) => name !== service)) problems.push(`trusts the service "${other}"`);
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
        .map((name) => `allows the action "${name}"`);
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
 * Whether a trust policy mentions the service anywhere, in any letter case: such a role is meant
 * for that service, so it is held to that service's rules even when it does not parse.
 */
export function mentionsService(document: unknown, service: string): boolean {
    let text: string | undefined;
    if (typeof document === "string") text = document;
    else {
        try {
            text = JSON.stringify(document);
        } catch {
            return false;
        }
    }
    return typeof text === "string" && text.toLowerCase().includes(service.toLowerCase());
}
