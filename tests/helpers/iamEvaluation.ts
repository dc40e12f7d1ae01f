import { PolicyDocument, PolicyStatement } from "../../model/iamDocuments";

/**
 * A small, strict model of IAM policy evaluation within one account: enough to show what the
 * documents this project writes allow and refuse, request by request. It understands the
 * condition operators those documents use and throws on any other, so a new operator can never
 * be silently misread.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

export interface Request {
    readonly action: string;
    readonly resource: string;
    /** `aws:PrincipalArn`: a user's or role's ARN; undefined for an anonymous (unsigned) request. */
    readonly principalArn?: string;
    /** The AWS service making the request as itself, e.g. `cloudwatch.amazonaws.com`; then `principalArn` is unset. */
    readonly principalService?: string;
    /** Other context keys, e.g. `aws:SourceVpce`, `aws:SecureTransport`; absent keys are absent. */
    readonly context?: Readonly<Record<string, string | boolean>>;
}

export type Effect = "Allow" | "Deny" | "NotApplicable";

/** `*` and `?` wildcards, as IAM matches actions, resources and the `Like` operators. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
    const body = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${body}$`, ignoreCase ? "i" : "").test(value);
}

const listOf = <T>(value: T | T[] | undefined): T[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];

type Matcher = (expected: string, actual: string) => boolean;
const OPERATORS: Record<string, { match: Matcher; negated: boolean }> = {
    StringEquals: { match: (e, a) => e === a, negated: false },
    StringNotEquals: { match: (e, a) => e === a, negated: true },
    StringLike: { match: (e, a) => wildcardMatch(e, a), negated: false },
    StringNotLike: { match: (e, a) => wildcardMatch(e, a), negated: true },
    ArnEquals: { match: (e, a) => wildcardMatch(e, a), negated: false },
    ArnLike: { match: (e, a) => wildcardMatch(e, a), negated: false },
    ArnNotEquals: { match: (e, a) => wildcardMatch(e, a), negated: true },
    ArnNotLike: { match: (e, a) => wildcardMatch(e, a), negated: true },
    Bool: { match: (e, a) => e.toLowerCase() === a.toLowerCase(), negated: false },
};

function contextValue(request: Request, key: string): string | undefined {
    const wanted = key.toLowerCase();
    if (wanted === "aws:principalarn") return request.principalArn;
    const found = Object.entries(request.context ?? {}).find(([k]) => k.toLowerCase() === wanted);
    return found === undefined ? undefined : String(found[1]);
}

/**
 * Every operator must hold, and within one every key; a key holds when any of its values matches,
 * or for a negated operator when none does. A key missing from the request fails a positive
 * operator and satisfies a negated one.
 */
function conditionsHold(statement: PolicyStatement, request: Request): boolean {
    return Object.entries(statement.Condition ?? {}).every(([operator, keys]) => {
        const rule = OPERATORS[operator];
        if (!rule) throw new Error(`iamEvaluation: condition operator ${operator} is not modelled`);
        return Object.entries(keys).every(([key, expected]) => {
            const actual = contextValue(request, key);
            const anyMatch = actual !== undefined && listOf(expected).some((e) => rule.match(String(e), actual));
            return rule.negated ? !anyMatch : anyMatch;
        });
    });
}

/**
 * An account given as principal (`arn:aws:iam::<account>:root` or the bare id) stands for every
 * principal of that account, whose own IAM policies then decide; it never matches another account's.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 */
function awsPrincipalMatches(principal: string, request: Request): boolean {
    if (request.principalService !== undefined) return false;
    if (principal === "*" || principal === request.principalArn) return true;
    const account = /^(?:arn:[^:]+:iam::(\d{12}):root|(\d{12}))$/.exec(principal);
    const requester = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(request.principalArn ?? "");
    return account !== null && requester !== null && (account[1] ?? account[2]) === requester[1];
}

function principalMatches(statement: PolicyStatement, request: Request): boolean {
    const principal = statement.Principal;
    if (principal === undefined || principal === "*") return true;
    if (listOf(principal.Service).some((service) => service === request.principalService)) return true;
    return listOf(principal.AWS).some((p) => awsPrincipalMatches(p, request));
}

function applies(statement: PolicyStatement, request: Request): boolean {
    return (
        principalMatches(statement, request) &&
        listOf(statement.Action).some((a) => wildcardMatch(a, request.action, true)) &&
        listOf(statement.Resource ?? "*").some((r) => wildcardMatch(r, request.resource)) &&
        conditionsHold(statement, request)
    );
}

/** One document's verdict: an explicit deny wins, then any allow; otherwise it says nothing. */
export function evaluate(document: PolicyDocument, request: Request): Effect {
    const matching = document.Statement.filter((s) => applies(s, request));
    if (matching.some((s) => s.Effect === "Deny")) return "Deny";
    return matching.some((s) => s.Effect === "Allow") ? "Allow" : "NotApplicable";
}

export interface ApplicablePolicies {
    /** The caller's identity policies; none for an anonymous request. */
    readonly identity?: readonly PolicyDocument[];
    /** The resource's policy, e.g. the bucket policy. */
    readonly resource?: PolicyDocument;
    /** The VPC endpoint's policy, when the request travels through it. */
    readonly endpoint?: PolicyDocument;
}

/**
 * Whether a same-account request succeeds: no explicit deny anywhere, an allow from the identity
 * or the resource policy, and, through an endpoint, an allow from the endpoint policy as well.
 */
export function isAllowed(request: Request, policies: ApplicablePolicies): boolean {
    const identity = (policies.identity ?? []).map((doc) => evaluate(doc, request));
    const resource = policies.resource ? evaluate(policies.resource, request) : "NotApplicable";
    const endpoint = policies.endpoint ? evaluate(policies.endpoint, request) : "Allow";
    const all = [...identity, resource, endpoint];
    if (all.includes("Deny")) return false;
    return endpoint === "Allow" && (identity.includes("Allow") || resource === "Allow");
}
