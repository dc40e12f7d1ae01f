/**
 * Project-level config (`config:` in `Pulumi.yaml`), read and validated as the CLI does:
 * short-hand values become a default (project keys) or a value (other namespaces)
 * (`sdk/go/common/workspace/project.go`, `RewriteShorthandConfigValues`); a declaration takes only
 * `type`, `items`, `description`, `secret`, `default`, `value` (project.json,
 * `ConfigTypeDeclaration`, `additionalProperties: false`) and is checked by `Project.Validate`;
 * stack values win, declarations without one are required, and typed ones are type-checked
 * (`pkg/workspace/config.go`, `mergeConfig` and `validateStackConfigValue`). Messages are the CLI's.
 */

export interface StackValue {
    /** The value as the stack file holds it, decrypted where possible (plain YAML data). */
    readonly value: unknown;
    readonly secure: boolean;
}

const ATTRIBUTES = new Set(["type", "items", "description", "secret", "default", "value"]);
const TYPES = new Set(["string", "integer", "boolean", "array", "object"]);

interface Items {
    readonly type: string;
    readonly items?: Items;
}

function isNamespacedByProject(project: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(`${project}:`);
}

export function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** `ValidateConfigValue` of project.go. */
function validValue(type: string, items: Items | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            return Number.isInteger(value) || (typeof value === "string" && /^[-+]?\d+$/.test(value));
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return value !== null && typeof value === "object" && !Array.isArray(value);
        default:
            return (
                Array.isArray(value) &&
                items !== undefined &&
                value.every((v) => validValue(items.type, items.items, v))
            );
    }
}

function typeName(type: string, items: Items | undefined): string {
    return type === "array" && items ? `List<${typeName(items.type, items.items)}>` : type;
}

/**
 * Merges the project's config into the stack's (stack values win) and validates both; throws
 * with every problem, naming the file, key and expected type.
 */
export function mergeProjectConfig(
    projectFile: string,
    project: string,
    stack: string,
    declared: Record<string, unknown>,
    stackValues: Map<string, StackValue>,
): Map<string, StackValue> {
    const merged = new Map(stackValues);
    const problems: string[] = [];
    const missing: string[] = [];
    for (const [key, raw] of Object.entries(declared)) {
        const ownKey = isNamespacedByProject(project, key);
        const declaration: Record<string, unknown> =
            raw !== null && typeof raw === "object" && !Array.isArray(raw)
                ? (raw as Record<string, unknown>)
                : ownKey
                  ? { default: raw }
                  : { value: raw };
        const unknown = Object.keys(declaration).filter((a) => !ATTRIBUTES.has(a));
        if (unknown.length > 0) {
            problems.push(
                `config '${key}' has unknown attribute${unknown.length > 1 ? "s" : ""} ${unknown.map((a) => `'${a}'`).join(", ")}; ` +
                    "a declaration takes type, items, description, secret, default, value",
            );
            continue;
        }
        const type = declaration.type as string | undefined;
        const items = declaration.items as Items | undefined;
        if (type !== undefined && !TYPES.has(type)) problems.push(`config '${key}' has unknown type '${String(type)}'`);
        if ("default" in declaration && "value" in declaration)
            problems.push(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
        if (!ownKey && type !== undefined)
            problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
        if (!ownKey && "default" in declaration)
            problems.push(
                `Configuration key '${key}' is not namespaced by the project and should not define a default value. ` +
                    "Did you mean to use the 'value' attribute instead of 'default'?",
            );
        if (type === "array" && items === undefined)
            problems.push(
                `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
            );
        if (type && "default" in declaration && !validValue(type, items, declaration.default))
            problems.push(
                `The default value specified for configuration key '${key}' is not of the expected type '${typeName(type, items)}'`,
            );

        const full = fullKey(project, key);
        const onStack = merged.get(full);
        const given = declaration.value ?? declaration.default;
        if (onStack === undefined) {
            if (given !== undefined) merged.set(full, { value: given, secure: false });
            else if (ownKey) missing.push(key);
            continue;
        }
        if (declaration.secret === true && !onStack.secure)
            problems.push(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
        if (type && onStack.value !== undefined && !validValue(type, items, onStack.value))
            problems.push(
                `Stack '${stack}' with configuration key '${key}' must be of type '${typeName(type, items)}'`,
            );
    }
    if (missing.length > 0)
        problems.push(
            `Stack '${stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${missing.map((k) => `'${k}'`).join(", ")}`,
        );
    if (problems.length > 0) throw new Error(`${projectFile}: ${problems.join("\n")}`);
    return merged;
}
