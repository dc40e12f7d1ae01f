import { ReportViolation, UnknownValueError } from "@pulumi/policy";

/**
 * Reports at advisory level whatever the policy's own level: for what cannot be judged yet (a
 * value known only after deployment). The framework's `reportViolation` also takes a diagnostic
 * object whose `enforcementLevel` wins over the policy's (`makeReportViolationFun` in
 * `@pulumi/policy/server.js`); its type declares only the string form.
 */
export function advise(reportViolation: ReportViolation, description: string, message: string, urn?: string): void {
    const report = reportViolation as unknown as (diagnostic: object) => void;
    report({ message: `${description}\n${message}`, enforcementLevel: "advisory", ...(urn ? { urn } : {}) });
}

/** Prefix of the message a policy reports when its own code failed. */
export const INTERNAL_ERROR = "could not be evaluated";

/**
 * Runs a check so that it can never fail the user's whole preview: an error in the check becomes
 * a violation at the policy's level that says so. A value not known yet is left to the framework,
 * which reports it at advisory level.
 */
export function guarded<Args>(
    check: (args: Args, report: ReportViolation) => void,
): (args: Args, report: ReportViolation) => void {
    return (args, report) => {
        try {
            check(args, report);
        } catch (error) {
            if (error instanceof UnknownValueError) throw error;
            const detail = error instanceof Error ? error.message : String(error);
            report(`${INTERNAL_ERROR} (an error in the policy pack, please report it): ${detail}`);
        }
    };
}
