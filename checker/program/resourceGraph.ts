import type { AnalyzedResource } from "../analyzer/analyzerClient";

/**
 * The resource graph a program registers, as the engine would hold it after `pulumi preview`:
 * what the checker sends to the policy pack, and what later analyses (reachability) walk.
 */

/** Where in the program a resource was declared, as the Pulumi SDK reports it. */
export interface SourcePosition {
    /** Absolute path of the file. */
    readonly file: string;
    readonly line: number;
    readonly column: number;
}

export interface GraphResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** False for component resources (and the stack), which AWS never sees. */
    readonly custom: boolean;
    readonly id?: string;
    /** What the program passed, in the engine's wire form: secrets and assets keep their envelopes. */
    readonly inputs: Record<string, unknown>;
    /** Inputs plus what the provider computes (ids, ARNs, addresses): the resource's outputs. */
    readonly state: Record<string, unknown>;
    readonly parent?: string;
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** The explicit provider's URN, when the program gave one. */
    readonly provider?: string;
    readonly source?: SourcePosition;
    /** A component registered with `remote: true`: its provider declares its children, offline nobody does. */
    readonly remote?: boolean;
    /** Read with `.get()`: an existing resource the program refers to, not one it manages. */
    readonly external?: boolean;
}

/** The stack's root resource, which the engine registers for every program and parents all others to. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

/** What `Analyze` sees (inputs, during preview) or `AnalyzeStack` sees (outputs). */
export function analyzedResource(resource: GraphResource, view: "inputs" | "state"): AnalyzedResource {
    return {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        properties: resource[view],
        parent: resource.parent,
        dependencies: resource.dependencies,
        propertyDependencies: resource.propertyDependencies,
        provider: resource.provider,
    };
}

/** The wire protocol's markers, as the SDK's `runtime/rpc` module exports them. */
export interface WireSignatures {
    readonly specialSigKey: string;
    readonly specialResourceSig: string;
    readonly specialOutputValueSig: string;
    readonly specialSecretSig: string;
    /** Marks a value not known until deployment. */
    readonly unknownValue: string;
}

/**
 * A property value in the form the engine hands analyzers: resource references become the
 * referenced id (its URN for components), output values their value or the unknown marker; secrets,
 * assets and archives keep their envelopes, which the policy SDK unwraps itself.
 */
export function engineValue(value: unknown, sigs: WireSignatures): unknown {
    if (Array.isArray(value)) return value.map((item) => engineValue(item, sigs));
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    const sig = object[sigs.specialSigKey];
    if (sig === sigs.specialResourceSig)
        return typeof object.id === "string" && object.id !== "" ? object.id : object.urn;
    if (sig === sigs.specialOutputValueSig) {
        const inner = "value" in object ? engineValue(object.value, sigs) : sigs.unknownValue;
        return object.secret ? { [sigs.specialSigKey]: sigs.specialSecretSig, value: inner } : inner;
    }
    return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, engineValue(item, sigs)]));
}

/** The URN in a provider reference, which the SDK spells `<urn>::<id>`. */
export function providerUrn(reference: string): string | undefined {
    if (!reference) return undefined;
    const cut = reference.lastIndexOf("::");
    return cut > 0 ? reference.slice(0, cut) : reference;
}

/** Resources by type, in order of first appearance, for the summary. */
export function countByType(resources: readonly GraphResource[]): [type: string, count: number][] {
    const counts = new Map<string, number>();
    for (const resource of resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    return [...counts];
}
