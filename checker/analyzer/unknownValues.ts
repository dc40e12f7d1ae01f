import { PolicyDiagnostic } from "./analyzerClient";
import { Unchecked } from "../reports/unchecked";

/**
 * A policy that met a value not known until deployment did not judge the resource. The policy SDK
 * says so with an advisory diagnostic worded "can't run policy '<name>' from policy pack
 * '<pack>@v<version>' during preview: <reason>" (pulumi-policy sdk/nodejs/policy/server.ts, where
 * it catches `UnknownValueError`); `pulumi preview` prints it among the advisories. The checker
 * lists it as not judged instead, never as a finding or a pass.
 */

const CANNOT_RUN = /^can't run (?:policy|remediation) '[^']*' from policy pack '[^']*' during preview: /;

export function isUnknownValueDiagnostic(diagnostic: PolicyDiagnostic): boolean {
    return diagnostic.enforcementLevel === "advisory" && CANNOT_RUN.test(diagnostic.message);
}

export function uncheckedOf(diagnostic: PolicyDiagnostic, urn: string | undefined): Unchecked {
    return {
        kind: "unknown-value",
        subject: `${diagnostic.policyName} on ${diagnostic.urn ?? urn ?? "the stack"}`,
        reason: diagnostic.message.replace(CANNOT_RUN, "a value it reads is not known before deployment: "),
    };
}
