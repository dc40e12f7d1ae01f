/**
 * What a check could not evaluate. The checker never turns such an item into a pass: each is
 * listed in the summary under "Not judged", in the JSON report's `unchecked`, and in SARIF as a
 * run-level notification; `--strict` turns any of them into exit 2.
 */
export type UncheckedKind =
    | "secret" // a `secure:` config value that could not be decrypted
    | "esc-environment" // a Pulumi ESC environment the stack imports
    | "remote-component" // a component whose children only its provider knows
    | "stack-reference" // a StackReference output with no supplied answer
    | "invoke" // a provider function with no answer
    | "unknown-value" // a value a policy reported as not known yet
    | "reachability" // a declared connectivity intent whose answer is not determinable
    | "timeout"; // the run or an Analyzer call stopped before it finished

export interface Unchecked {
    readonly kind: UncheckedKind;
    /** What was not judged: a config key, a URN, a token, a pair of instances. */
    readonly subject: string;
    /** Why, in words a user can act on. */
    readonly reason: string;
}
