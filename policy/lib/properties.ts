import { UnknownValueError } from "@pulumi/policy";
import { quote } from "../../model/messageText";

/** Reading resources inside policies (matched by type token: see ./awsTypes). */

/** Stands in for a value Pulumi does not know yet (during preview). */
export const NOT_KNOWN_YET: unique symbol = Symbol("not known until deployed");

/**
 * A property as plain data, with {@link NOT_KNOWN_YET} wherever a value is not known yet. The framework
 * hands policies a proxy that throws on such values, which would end the whole policy's run; a
 * policy that reads through here can still judge everything that is known.
 */
export function readProperty(props: unknown, key: string): unknown {
    if (typeof props !== "object" || props === null) return undefined;
    try {
        return toPlain((props as Record<string, unknown>)[key]);
    } catch (error) {
        if (error instanceof UnknownValueError) return NOT_KNOWN_YET;
        throw error;
    }
}

function toPlain(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value))
        return Array.from({ length: value.length }, (_, index) => readProperty(value, String(index)));
    const plain: Record<string, unknown> = {};
    for (const key of Object.keys(value)) plain[key] = readProperty(value, key);
    return plain;
}

/** Whether a plain value (from {@link readProperty}) contains anything not known yet. */
export function containsUnknown(value: unknown): boolean {
    if (value === NOT_KNOWN_YET) return true;
    if (typeof value !== "object" || value === null) return false;
    return Object.values(value).some(containsUnknown);
}

/** The identity and properties every check needs, whichever framework call it came from. */
export interface ResourceView {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly props: Record<string, unknown>;
}

/** How a message names a resource: its kind and logical name, e.g. `VPC "vpc1-vpc"` (a long name shortened). */
export function describe(kind: string, resource: Pick<ResourceView, "name">): string {
    return `${kind} ${quote(resource.name)}`;
}

/**
 * Whether a value is a placeholder written where the real one was withheld, such as `"[secret]"`
 * (how secrets show in state exports and some tools' renderings): it names no real value.
 */
export function isPlaceholder(value: unknown): boolean {
    return typeof value === "string" && /^\s*\[[^\]]*\]\s*$/.test(value);
}
