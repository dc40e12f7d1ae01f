import { STACK_TYPE } from "./resourceGraph";

/**
 * URNs as the Pulumi engine forms them. Pulumi's Node mocks keep only the parent's last type
 * (`sdk/nodejs/runtime/mocks.ts`, `newUrn`: `qualifiedType.split("$").pop()`); the engine keeps the
 * parent's whole qualified type, except for the root stack (`pkg/resource/deploy/deployment.go`,
 * `generateURN`, and `sdk/go/common/urn/urn.go`, `New`). Users paste these into `--target` and
 * `--replace`, and SARIF fingerprints derive from them, so the checker forms them the engine's way.
 */

/** The `$`-joined type chain of a URN: `urn:pulumi:stack::project::a:b:C$d:e:F::name` → `a:b:C$d:e:F`. */
export function qualifiedType(urn: string): string {
    return urn.split("::")[2] ?? "";
}

export function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    const parentType = parent ? qualifiedType(parent) : "";
    const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}
