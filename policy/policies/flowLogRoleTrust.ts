import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidation,
    StackValidationArgs,
} from "@pulumi/policy";
import { FLOW_LOGS_SERVICE } from "../../model/iamDocuments";
import { mentionsService, serviceOnlyTrustProblems } from "../../model/iamTrust";
import { listed, quote } from "../../model/messageText";
import { advise, guarded } from "../lib/guarded";
import { reportConfigProblems } from "../lib/unknownSettings";
import { AWS_TYPES } from "../../model/awsTypes";
import { containsUnknown, describe, isPlaceholder, readProperty, NOT_KNOWN_YET } from "../lib/properties";

const description = `IAM roles used by VPC flow logs, and roles whose trust policy names ${FLOW_LOGS_SERVICE}, must trust only ${FLOW_LOGS_SERVICE} and only for sts:AssumeRole.`;

const FIX = `Make every Allow statement of the trust policy {"Principal": {"Service": "${FLOW_LOGS_SERVICE}"}, "Action": "sts:AssumeRole"}, optionally with aws:SourceAccount / aws:SourceArn conditions.`;

interface Role {
    readonly resource: PolicyResource | ResourceValidationArgs;
    /** The trust policy as plain data, with NOT_KNOWN_YET where a value is not known yet. */
    readonly trust: unknown;
    /** Whether all of it is known, so that it can be judged. */
    readonly known: boolean;
    /** Whether it is a placeholder such as "[secret]", which names no document and so cannot be judged. */
    readonly placeholder: boolean;
}

function roleOf(resource: PolicyResource | ResourceValidationArgs): Role {
    const trust = readProperty(resource.props, "assumeRolePolicy");
    return { resource, trust, known: !containsUnknown(trust), placeholder: isPlaceholder(trust) };
}

function reportProblems(role: Role, report: ReportViolation, usedBy: readonly string[], urn?: string): void {
    const problems = serviceOnlyTrustProblems(role.trust, FLOW_LOGS_SERVICE);
    if (problems.length === 0) return;
    const use = usedBy.length > 0 ? ` (used by ${listed(usedBy)})` : "";
    const shown = problems.length > 8 ? [...problems.slice(0, 8), `${problems.length - 8} more problems`] : problems;
    report(
        `${describe("role", role.resource)}${use} must trust only ${FLOW_LOGS_SERVICE} to call sts:AssumeRole, but ${shown.join("; ")}. ${FIX}`,
        urn,
    );
}

/** A role meant for flow logs shows it in its own trust policy: judged when the engine analyzes it. */
function checkResource(args: ResourceValidationArgs, report: ReportViolation): void {
    if (args.type !== AWS_TYPES.role) return;
    const role = roleOf(args);
    if (role.known && mentionsService(role.trust, FLOW_LOGS_SERVICE)) reportProblems(role, report, []);
}

/** The roles a flow log delivers through: its `iamRoleArn`'s property dependencies, and the role with that ARN. */
function rolesOf(flowLog: PolicyResource, byUrn: ReadonlyMap<string, Role>, byArn: ReadonlyMap<string, Role>): Role[] {
    const linked = (flowLog.propertyDependencies?.iamRoleArn ?? []).map((d) => byUrn.get(d.urn));
    const arn = readProperty(flowLog.props, "iamRoleArn");
    if (typeof arn === "string") linked.push(byArn.get(arn));
    return [...new Set(linked.filter((role): role is Role => role !== undefined))];
}

/**
 * Roles only the stack shows to be flow-log roles: those a flow log uses although their trust
 * policy does not name the service (roles that name it were judged on their own). A flow log
 * whose role cannot be found, or a role whose trust policy is not known yet, is reported at
 * advisory level: never a silent pass.
 */
const checkStack: StackValidation = (args: StackValidationArgs, report: ReportViolation) => {
    reportConfigProblems(args.getConfig(), undefined, report, description);
    const byUrn = new Map<string, Role>();
    const byArn = new Map<string, Role>();
    for (const resource of args.resources) {
        if (resource.type !== AWS_TYPES.role) continue;
        const role = roleOf(resource);
        byUrn.set(resource.urn, role);
        const arn = readProperty(resource.props, "arn");
        if (typeof arn === "string") byArn.set(arn, role);
    }
    const usedBy = new Map<Role, string[]>();
    for (const flowLog of args.resources) {
        if (flowLog.type !== AWS_TYPES.flowLog) continue;
        const roles = rolesOf(flowLog, byUrn, byArn);
        const arn = readProperty(flowLog.props, "iamRoleArn");
        if (roles.length === 0 && arn !== undefined && arn !== null && arn !== "") {
            const why =
                arn === NOT_KNOWN_YET ? "is not known yet" : `(${quote(arn)}) is not a role managed in this stack`;
            advise(
                report,
                description,
                `${describe("flow log", flowLog)} delivers through a role that ${why}, so its trust policy cannot be checked here. ${FIX}`,
                flowLog.urn,
            );
        }
        for (const role of roles) {
            const users = usedBy.get(role) ?? [];
            users.push(describe("flow log", flowLog));
            usedBy.set(role, users);
        }
    }
    for (const [role, flowLogs] of usedBy) {
        const urn = role.resource.urn;
        if (!role.known) {
            advise(
                report,
                description,
                `${describe("role", role.resource)} (used by ${listed(flowLogs)}) has a trust policy that is not known yet, so it cannot be checked in this preview; it is checked once deployed.`,
                urn,
            );
        } else if (role.placeholder) {
            advise(
                report,
                description,
                `${describe("role", role.resource)} (used by ${listed(flowLogs)}) has the trust policy ${quote(role.trust)}, a placeholder rather than a document, so it cannot be judged here. ${FIX}`,
                urn,
            );
        } else if (!mentionsService(role.trust, FLOW_LOGS_SERVICE)) {
            reportProblems(role, report, flowLogs, urn);
        }
    }
};

/**
 * A resource policy that also validates the stack: a role is judged on its own before it is
 * created, and the stack shows which roles flow logs actually use.
 */
export const flowLogRoleTrust: ResourceValidationPolicy & { validateStack: StackValidation } = {
    name: "flow-log-role-trust",
    description,
    enforcementLevel: "mandatory",
    remediationSteps: `${FIX} Remove other services, accounts, federated principals, "*", NotPrincipal and NotAction, and actions other than sts:AssumeRole.`,
    validateResource: guarded(checkResource),
    validateStack: guarded(checkStack),
};
