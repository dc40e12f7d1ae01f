import { PolicyConfigSchema, ReportViolation } from "@pulumi/policy";
import { closestName } from "../../model/closestName";
import { listed, quote } from "../../model/messageText";
import { advise } from "./guarded";

/**
 * Each policy checks its own settings for names it does not know. The engine cannot: it validates
 * a policy's config only against a JSON schema built from the declared `properties` and `required`
 * (`convertSchema` in pulumi/pulumi pkg/resource/analyzer/config.go, called by
 * `ReconcilePolicyPackConfig`), never with `additionalProperties: false`, and @pulumi/policy keeps
 * whatever `Configure` sends (`configure` in @pulumi/policy/server.js). So `externalCidr` for
 * `externalCidrs` would be ignored without a word. Wrong types of declared properties are the
 * engine's to refuse: each policy's `configSchema` declares them precisely.
 */

/** Always known: the engine takes it out of the properties before a policy sees them. */
const ENFORCEMENT_LEVEL = "enforcementLevel";
/** The config's property names that the schema does not declare, each with the closest known one. */
export function unknownConfigProperties(
    config: unknown,
    schema: PolicyConfigSchema | undefined,
): { name: string; closest: string }[] {
    if (typeof config !== "object" || config === null) return [];
    const declared = Object.keys(schema?.properties ?? {});
    const known = [...declared, ENFORCEMENT_LEVEL];
    return Object.keys(config)
        .filter((name) => !known.includes(name))
        .map((name) => ({ name, closest: closestName(name, known) ?? ENFORCEMENT_LEVEL }));
}

/**
 * Reports, at advisory level and once per stack check, the properties in a policy's config that it
 * does not know, naming each and the closest known property.
 */
export function reportConfigProblems(
    config: unknown,
    schema: PolicyConfigSchema | undefined,
    report: ReportViolation,
    description: string,
): void {
    const unknown = unknownConfigProperties(config, schema);
    if (unknown.length === 0) return;
    const declared = Object.keys(schema?.properties ?? {});
    const known = declared.length > 0 ? `its properties are ${declared.join(", ")}` : "it takes no properties";
    const each = unknown.map(({ name, closest }) => `${quote(name)} (did you mean "${closest}"?)`);
    advise(
        report,
        description,
        `policy config has ${unknown.length === 1 ? "a property" : "properties"} this policy does not know, which ${unknown.length === 1 ? "has" : "have"} no effect: ${listed(each)}; ${known} besides enforcementLevel.`,
    );
}
