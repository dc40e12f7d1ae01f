import type { Log } from "sarif";
import { Unchecked } from "./unchecked";

/**
 * The SARIF log of a check that could not judge the stack (exit code 2): no results, an
 * invocation that did not succeed, and the reason as an error notification, so that code
 * scanning never shows an earlier run's verdict as this one's.
 */
export function failedSarif(project: string, stack: string, error: string, unchecked: readonly Unchecked[]): Log {
    return {
        version: "2.1.0",
        $schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [
            {
                tool: { driver: { name: "pulumi-policy", rules: [] } },
                // The same category as a judged run's (./sarif.ts), so this one replaces it.
                automationDetails: { id: `pulumi-policy/${project}/${stack}/` },
                results: [],
                invocations: [
                    {
                        executionSuccessful: false,
                        toolExecutionNotifications: [
                            { level: "error", message: { text: `stack ${stack} was not judged: ${error}` } },
                            ...unchecked.map((u) => ({
                                level: "warning" as const,
                                message: { text: `not judged: [${u.kind}] ${u.subject}: ${u.reason}` },
                            })),
                        ],
                    },
                ],
            },
        ],
    };
}
