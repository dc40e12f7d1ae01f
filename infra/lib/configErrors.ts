import { z } from "zod";
import { closestName } from "../../model/closestName";

/** A config problem, located by its path below the project's namespace. */
export interface ConfigIssue {
    readonly path: readonly PropertyKey[];
    readonly message: string;
}

/** Thrown when stack config breaks a rule; the message lists every problem, one a line. */
export class ConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(
            problems.length === 1
                ? `Invalid stack config: ${problems[0]}`
                : `Invalid stack config (${problems.length} problems):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        this.name = "ConfigError";
    }
}

/** `ns:key.sub[0].leaf`, the way `pulumi config set --path` spells it. */
export function configKey(namespace: string, path: readonly PropertyKey[]): string {
    const [head, ...rest] = path;
    const tail = rest.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
    return `${namespace}:${String(head)}${tail}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let node: unknown = root;
    for (const part of path) {
        if (node === null || typeof node !== "object") return undefined;
        node = (node as Record<PropertyKey, unknown>)[part];
    }
    return node;
}

function showValue(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * One line for one problem: the key, the value it has, and what is wrong. `resolved` is the
 * config with defaults applied, to show a defaulted value the user never wrote.
 */
export function describeIssue(namespace: string, raw: unknown, issue: ConfigIssue, resolved?: unknown): string {
    const key = configKey(namespace, issue.path);
    const value = valueAt(raw, issue.path);
    if (value !== undefined) return `${key} = ${showValue(value)}: ${issue.message}`;
    const defaulted = valueAt(resolved, issue.path);
    if (defaulted !== undefined) return `${key} = ${showValue(defaulted)} (the default): ${issue.message}`;
    return `${key} is not set, and it is required`;
}

/**
 * Any zod schema, walked through its definition. Typed loosely on purpose: relating a large
 * schema's inferred type to `z.ZodType` costs the type-checker seconds.
 */
type ZodSchema = object;

/** The parts of a zod definition the walk reads. */
interface SchemaNode {
    readonly _zod?: {
        readonly def?: {
            readonly type?: string;
            readonly innerType?: SchemaNode;
            readonly in?: SchemaNode;
            readonly shape?: Readonly<Record<string, SchemaNode>>;
            readonly valueType?: SchemaNode;
            readonly element?: SchemaNode;
        };
    };
}

/** Keys an object schema accepts at a path, to suggest the one a misspelled key meant. */
function knownKeysAt(schema: ZodSchema, path: readonly PropertyKey[]): string[] {
    let node: SchemaNode | undefined = schema as SchemaNode;
    const unwrap = () => {
        while (["optional", "default", "prefault", "nullable", "pipe"].includes(node?._zod?.def?.type ?? "")) {
            node = node?._zod?.def?.innerType ?? node?._zod?.def?.in;
        }
    };
    unwrap();
    for (const part of path) {
        const def: NonNullable<SchemaNode["_zod"]>["def"] = node?._zod?.def;
        if (def?.type === "object") node = def.shape?.[part as string];
        else if (def?.type === "record") node = def.valueType;
        else if (def?.type === "array") node = def.element;
        else return [];
        unwrap();
    }
    const shape = node?._zod?.def?.type === "object" ? node._zod.def.shape : undefined;
    return shape ? Object.keys(shape) : [];
}

function unknownKeyMessage(key: string, known: string[]): string {
    const near = closestName(key, known, 2);
    const hint = near ? `did you mean ${near}?` : `known keys: ${known.join(", ")}`;
    return `unknown key; ${hint}`;
}

/** Zod's issues as config issues, one per unknown key, with a suggestion for misspellings. */
export function fromZodIssues(schema: ZodSchema, issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
    return issues.flatMap((issue): ConfigIssue[] => {
        if (issue.code === "unrecognized_keys") {
            const known = knownKeysAt(schema, issue.path);
            return issue.keys.map((key) => ({ path: [...issue.path, key], message: unknownKeyMessage(key, known) }));
        }
        return [{ path: issue.path, message: issue.message }];
    });
}
