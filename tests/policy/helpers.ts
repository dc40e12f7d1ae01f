import {
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidationArgs,
    StackValidationArgs,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { AnalyzedResource } from "../../checker/analyzer/analyzerClient";
import { RecordedResource } from "../../checker/program/awsMocks";

/**
 * Calls policies the way the framework does, with plain objects: properties go through the
 * framework's own unknown-checking proxy, so Pulumi's unknown marker in them behaves as during a
 * preview. Reports are collected with the level they were made at.
 */

export { PULUMI_UNKNOWN } from "../../model/unknown";

export interface Reported {
    readonly message: string;
    readonly urn?: string;
    /** `policy`: at the policy's own level (mandatory by default). */
    readonly level: "policy" | "advisory";
}

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::vpc-flow-monitoring::${type}::${name}`;
}

const OPTIONS: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

export interface ResourceExtras {
    readonly propertyDependencies?: Record<string, PolicyResource[]>;
}

/** A stack resource as `validateStack` receives it. */
export function stackResource(
    type: string,
    name: string,
    props: Record<string, unknown>,
    extras: ResourceExtras = {},
): PolicyResource {
    return {
        type,
        name,
        urn: urnOf(type, name),
        props: unknownCheckingProxy(props),
        opts: OPTIONS,
        dependencies: [],
        propertyDependencies: extras.propertyDependencies ?? {},
        isType: () => false,
        asType: () => undefined,
    };
}

function collector(): { report: ReportViolation; reported: Reported[] } {
    const reported: Reported[] = [];
    const report = (message: string | { message: string; urn?: string; enforcementLevel?: string }, urn?: string) => {
        if (typeof message === "string") reported.push({ message, urn, level: "policy" });
        else
            reported.push({
                message: message.message,
                urn: message.urn,
                level: message.enforcementLevel === "advisory" ? "advisory" : "policy",
            });
    };
    return { report: report as ReportViolation, reported };
}

export interface StackPolicyUnderTest {
    validateStack(args: StackValidationArgs, report: ReportViolation): Promise<void> | void;
}

/** Runs a policy's stack validation over the resources, with the given policy config. */
export function validateStack(
    policy: StackPolicyUnderTest,
    resources: PolicyResource[],
    config: object = {},
): Reported[] {
    const { report, reported } = collector();
    void policy.validateStack(
        {
            resources,
            stackTags: new Map(),
            getConfig: <T extends object>() => config as T,
            notApplicable: (reason?: string) => {
                throw new Error(`not applicable: ${reason}`);
            },
        },
        report,
    );
    return reported;
}

export interface ResourcePolicyUnderTest {
    validateResource?: unknown;
}

/** Runs a policy's resource validation on one resource's inputs. */
export function validateResource(
    policy: ResourcePolicyUnderTest,
    type: string,
    name: string,
    props: Record<string, unknown>,
): Reported[] {
    const { report, reported } = collector();
    const args: ResourceValidationArgs = {
        type,
        name,
        urn: urnOf(type, name),
        props: unknownCheckingProxy(props),
        opts: OPTIONS,
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string) => {
            throw new Error(`not applicable: ${reason}`);
        },
    };
    if (typeof policy.validateResource !== "function") throw new Error("the policy does not validate single resources");
    void (policy.validateResource as (args: ResourceValidationArgs, report: ReportViolation) => void)(args, report);
    return reported;
}

/** A resource recorded under mocks as the engine would send it: outputs (with the id) or inputs. */
export function analyzedFromRecorded(resource: RecordedResource, view: "inputs" | "state"): AnalyzedResource {
    return {
        urn: urnOf(resource.type, resource.name),
        type: resource.type,
        name: resource.name,
        properties: view === "state" ? { ...resource.state, id: resource.id } : resource.inputs,
    };
}
