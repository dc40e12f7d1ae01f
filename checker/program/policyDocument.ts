/**
 * `aws.iam.getPolicyDocument` rendered as the AWS provider renders it, so policies that parse the
 * JSON (e.g. a role's trust policy) see exactly what a real preview would give them.
 * @see https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/policy_model.go
 */

interface PrincipalArgs {
    readonly type: string;
    readonly identifiers: readonly string[];
}

interface ConditionArgs {
    readonly test: string;
    readonly variable: string;
    readonly values: readonly string[];
}

export interface StatementArgs {
    readonly sid?: string;
    readonly effect?: string;
    readonly actions?: readonly string[];
    readonly notActions?: readonly string[];
    readonly resources?: readonly string[];
    readonly notResources?: readonly string[];
    readonly principals?: readonly PrincipalArgs[];
    readonly notPrincipals?: readonly PrincipalArgs[];
    readonly conditions?: readonly ConditionArgs[];
}

export interface PolicyDocumentArgs {
    readonly version?: string;
    readonly policyId?: string;
    readonly statements?: readonly StatementArgs[];
    readonly sourcePolicyDocuments?: readonly string[];
    readonly overridePolicyDocuments?: readonly string[];
}

/** `&{aws:username}` is how HCL users escape IAM variables; the provider turns it back into `${...}`. */
const unescapeVariables = (text: string) => text.split("&{").join("${");

/** A set attribute: deduplicated, one value bare, several in reverse lexical order (the provider's quirk). */
function setValue(values: readonly string[] | undefined): string | string[] | undefined {
    if (!values || values.length === 0) return undefined;
    const unique = [...new Set(values.map(unescapeVariables))];
    return unique.length === 1 ? unique[0] : unique.sort().reverse();
}

function principalsValue(principals: readonly PrincipalArgs[] | undefined): unknown {
    if (!principals || principals.length === 0) return undefined;
    if (principals.length === 1 && principals[0].type === "*" && setValue(principals[0].identifiers) === "*")
        return "*";
    const byType: Record<string, string | string[]> = {};
    for (const { type, identifiers } of principals) {
        const value = setValue(identifiers);
        if (value === undefined) continue;
        const before = byType[type];
        byType[type] = before === undefined ? value : [...[before].flat(), ...[value].flat()];
    }
    return sortedKeys(byType);
}

function conditionsValue(conditions: readonly ConditionArgs[] | undefined): unknown {
    if (!conditions || conditions.length === 0) return undefined;
    const byTest: Record<string, Record<string, string | string[]>> = {};
    for (const { test, variable, values } of conditions) {
        // Condition values are a list: order kept, duplicates kept.
        const rendered = values.map(unescapeVariables);
        const before = (byTest[test] ??= {})[variable];
        const merged = before === undefined ? rendered : [...[before].flat(), ...rendered];
        byTest[test][variable] = merged.length === 1 ? merged[0] : merged;
    }
    return sortedKeys(
        Object.fromEntries(Object.entries(byTest).map(([test, variables]) => [test, sortedKeys(variables)])),
    );
}

/** Go marshals maps with sorted keys. */
function sortedKeys<T>(object: Record<string, T>): Record<string, T> {
    return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function statementValue(statement: StatementArgs): Record<string, unknown> {
    const rendered: Record<string, unknown> = {
        Sid: statement.sid || undefined,
        Effect: statement.effect ?? "Allow",
        Action: setValue(statement.actions),
        NotAction: setValue(statement.notActions),
        Resource: setValue(statement.resources),
        NotResource: setValue(statement.notResources),
        Principal: principalsValue(statement.principals),
        NotPrincipal: principalsValue(statement.notPrincipals),
        Condition: conditionsValue(statement.conditions),
    };
    return Object.fromEntries(Object.entries(rendered).filter(([, value]) => value !== undefined));
}

/** Go's encoder escapes these for safe embedding in HTML. */
const goEscapes = (json: string) => json.replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");

/** The data source's `json` and `minifiedJson`. Merging source or override documents is not modelled: it throws. */
export function renderPolicyDocument(args: PolicyDocumentArgs): { json: string; minifiedJson: string } {
    if (args.sourcePolicyDocuments?.length || args.overridePolicyDocuments?.length) {
        throw new Error("getPolicyDocument with sourcePolicyDocuments or overridePolicyDocuments is not mocked");
    }
    const document = {
        Version: args.version ?? "2012-10-17",
        ...(args.policyId ? { Id: args.policyId } : {}),
        // Go renders a document without statements as `"Statement": null`.
        Statement: args.statements?.length ? args.statements.map(statementValue) : null,
    };
    return { json: goEscapes(JSON.stringify(document, null, 2)), minifiedJson: goEscapes(JSON.stringify(document)) };
}
