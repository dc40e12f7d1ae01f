import type { Log } from "sarif";
import { Unchecked } from "./unchecked";
import { analysisCategory, failureNotification, SARIF_SCHEMA, SARIF_TOOL_NAME } from "./sarif";

/**
 * The SARIF log of a check that could not judge the stack (exit code 2): no results, an
 * invocation that did not succeed, and the reason as an error notification, so that code
 * scanning never shows an earlier run's verdict as this one's.
 */
export function failedSarif(project: string, stack: string, error: string, unchecked: readonly Unchecked[]): Log {
    return {
        version: "2.1.0",
        $schema: SARIF_SCHEMA,
        runs: [
            {
                // The same tool name and category as a judged run's (./sarif.ts), so this one replaces it.
                tool: { driver: { name: SARIF_TOOL_NAME, rules: [] } },
                automationDetails: { id: analysisCategory(project, stack) },
                results: [],
                invocations: [
                    {
                        executionSuccessful: false,
                        toolExecutionNotifications: [
                            failureNotification(stack, error),
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
