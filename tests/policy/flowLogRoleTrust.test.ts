import { strict as assert } from "assert";
import { PolicyResource } from "@pulumi/policy";
import { ec2TrustPolicy, flowLogsTrustPolicy } from "../../model/iamDocuments";
import { flowLogRoleTrust } from "../../policy/policies/flowLogRoleTrust";
import { stackResource, PULUMI_UNKNOWN, urnOf, validateResource, validateStack } from "./helpers";
import { AWS_TYPES } from "../../model/awsTypes";

const ROLE = AWS_TYPES.role;
const FLOW_LOG = AWS_TYPES.flowLog;
const SERVICE = "vpc-flow-logs.amazonaws.com";

const good = flowLogsTrustPolicy({ partition: "aws", region: "us-east-1", accountId: "123456789012" });
/** The good policy with its one statement changed. */
const withStatement = (change: Record<string, unknown>) => ({
    ...good,
    Statement: [{ ...good.Statement[0], ...change }],
});
const onRole = (assumeRolePolicy: unknown) =>
    validateResource(flowLogRoleTrust, ROLE, "delivery", { assumeRolePolicy });

const role = (name: string, assumeRolePolicy: unknown) =>
    stackResource(ROLE, name, { assumeRolePolicy, arn: `arn:aws:iam::123456789012:role/${name}` });
const flowLog = (name: string, iamRoleArn: unknown, roleResource?: PolicyResource) =>
    stackResource(
        FLOW_LOG,
        name,
        { iamRoleArn, vpcId: "vpc-1", trafficType: "ALL" },
        roleResource ? { propertyDependencies: { iamRoleArn: [roleResource] } } : {},
    );
const onStack = (...resources: PolicyResource[]) => validateStack(flowLogRoleTrust, resources);

describe("flow-log-role-trust", () => {
    describe("a role whose trust policy names the flow-logs service, on its own", () => {
        it("passes exactly the service and sts:AssumeRole, with conditions, in every accepted spelling", () => {
            for (const policy of [
                good,
                JSON.stringify(good),
                {
                    Version: "2012-10-17",
                    Statement: { Effect: "Allow", Principal: { Service: [SERVICE] }, Action: ["sts:AssumeRole"] },
                },
                withStatement({ Action: "STS:assumerole" }),
                {
                    ...good,
                    Statement: [
                        ...good.Statement,
                        {
                            Effect: "Deny",
                            Principal: "*",
                            Action: "*",
                            Condition: { Bool: { "aws:SecureTransport": "false" } },
                        },
                    ],
                },
            ]) {
                assert.deepEqual(onRole(policy), [], JSON.stringify(policy));
            }
        });

        it("rejects anything trusted beside the service or instead of exactly it, saying what", () => {
            // Conditions narrow a statement but never make a wrong principal right.
            const mentioning = { Condition: { StringEquals: { "aws:PrincipalServiceName": SERVICE } } };
            const cases: [Record<string, unknown>, RegExp][] = [
                [
                    { Principal: { Service: [SERVICE, "ec2.amazonaws.com"] } },
                    /trusts the service "ec2\.amazonaws\.com"/,
                ],
                [{ Principal: "*", ...mentioning }, /trusts Principal "\*", i\.e\. anyone/],
                [{ Principal: { Service: SERVICE, AWS: "*" } }, /also trusts AWS "\*"/],
                [
                    { Principal: { Service: SERVICE, AWS: "arn:aws:iam::210987654321:root" } },
                    /also trusts AWS "arn:aws:iam::210987654321:root"/,
                ],
                [
                    { Principal: { Service: SERVICE, Federated: "cognito-identity.amazonaws.com" } },
                    /also trusts Federated/,
                ],
                [
                    { Principal: { Service: "vpc-flow-logs.amazonaws.com.evil.example" } },
                    /trusts the service "vpc-flow-logs\.amazonaws\.com\.evil\.example"/,
                ],
                [
                    { Principal: { Service: "VPC-Flow-Logs.amazonaws.com" } },
                    /trusts the service "VPC-Flow-Logs\.amazonaws\.com"/,
                ],
                [{ Principal: { Service: [] }, ...mentioning }, /names no service/],
                [{ Principal: undefined, NotPrincipal: { Service: SERVICE } }, /uses NotPrincipal/],
                [{ Action: undefined, NotAction: "sts:TagSession" }, /uses NotAction/],
                [{ Action: "sts:*" }, /allows the action "sts:\*"/],
                [{ Action: "*" }, /allows the action "\*"/],
                [
                    { Action: ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"] },
                    /allows the action "sts:AssumeRoleWithWebIdentity"/,
                ],
                [{ Action: 42 }, /has Action 42, not an action name/],
            ];
            for (const [change, expected] of cases) {
                const reported = onRole(withStatement(change));
                assert.equal(reported.length, 1, JSON.stringify(change));
                assert.equal(reported[0].level, "policy");
                assert.match(reported[0].message, expected);
                assert.match(reported[0].message, /role "delivery" must trust only vpc-flow-logs\.amazonaws\.com/);
            }
        });

        it("rejects every offending Allow statement, not just the first", () => {
            const policy = {
                Statement: [
                    good.Statement[0],
                    { Sid: "Extra", Effect: "Allow", Principal: { Service: SERVICE }, Action: "sts:TagSession" },
                ],
            };
            assert.match(onRole(policy)[0].message, /statement "Extra" allows the action "sts:TagSession"/);
        });

        it("rejects a trust policy that does not parse, with a clear message and without throwing", () => {
            const cases: [unknown, RegExp][] = [
                [`{"Statement": [{"Principal": {"Service": "${SERVICE}"}`, /not valid JSON/],
                [
                    { Statement: [{ Effect: "allow", Principal: { Service: SERVICE }, Action: "sts:AssumeRole" }] },
                    /Effect "allow"; IAM accepts only "Allow" or "Deny"/,
                ],
                [{ Statement: [SERVICE] }, /statement #1 is not an object/],
                [{ Version: "2012-10-17", Principal: { Service: SERVICE } }, /has no Statement/],
                [`["${SERVICE}"]`, /is not a JSON object/],
            ];
            for (const [policy, expected] of cases) {
                const reported = onRole(policy);
                assert.equal(reported.length, 1, JSON.stringify(policy));
                assert.match(reported[0].message, expected);
            }
        });

        it("leaves roles that do not mention the service to the stack check", () => {
            assert.deepEqual(onRole(ec2TrustPolicy()), []);
            assert.deepEqual(onRole("not json at all"), []);
            assert.deepEqual(onRole(PULUMI_UNKNOWN), []);
        });
    });

    describe("the roles flow logs use, across the stack", () => {
        const ec2Role = role("instance", JSON.stringify(ec2TrustPolicy()));

        it("finds the role through the flow log's property dependencies and rejects a trust meant for others", () => {
            const [violation, ...rest] = onStack(ec2Role, flowLog("vpc1", PULUMI_UNKNOWN, ec2Role));
            assert.deepEqual(rest, []);
            assert.equal(violation.urn, ec2Role.urn);
            assert.match(
                violation.message,
                /role "instance" \(used by flow log "vpc1"\) must trust only vpc-flow-logs\.amazonaws\.com/,
            );
            assert.match(violation.message, /trusts the service "ec2\.amazonaws\.com"/);
        });

        it("finds the role by ARN, and names every flow log using it", () => {
            const arn = "arn:aws:iam::123456789012:role/instance";
            const [violation] = onStack(ec2Role, flowLog("vpc1", arn), flowLog("vpc2", arn));
            assert.match(violation.message, /used by flow log "vpc1", flow log "vpc2"/);
        });

        it("rejects a flow-log role whose trust policy is missing or broken", () => {
            assert.match(
                onStack(role("bare", undefined), flowLog("f", "arn:aws:iam::123456789012:role/bare"))[0].message,
                /trust policy is not a JSON object/,
            );
            assert.match(
                onStack(role("broken", "{"), flowLog("f", "arn:aws:iam::123456789012:role/broken"))[0].message,
                /not valid JSON/,
            );
        });

        it("does not repeat the verdict on a role that names the service", () => {
            const named = role("delivery", withStatement({ Action: "sts:*" }));
            assert.deepEqual(onStack(named, flowLog("f", PULUMI_UNKNOWN, named)), []);
        });

        it("passes a flow log without a role, and unrelated roles", () => {
            assert.deepEqual(
                onStack(
                    ec2Role,
                    stackResource(FLOW_LOG, "to-s3", { logDestinationType: "s3", logDestination: "arn:aws:s3:::logs" }),
                ),
                [],
            );
        });

        it("says at advisory level what it cannot check: a role outside the stack, or not known yet", () => {
            const cases: PolicyResource[][] = [
                [flowLog("elsewhere", "arn:aws:iam::123456789012:role/managed-elsewhere")],
                [flowLog("pending", PULUMI_UNKNOWN)],
                [role("later", PULUMI_UNKNOWN), flowLog("f", PULUMI_UNKNOWN, role("later", PULUMI_UNKNOWN))],
            ];
            for (const resources of cases) {
                const reported = onStack(...resources);
                assert.deepEqual(
                    reported.map((r) => r.level),
                    ["advisory"],
                    resources.map((r) => r.name).join(),
                );
                assert.match(reported[0].message, /cannot be checked/);
            }
            assert.equal(onStack(flowLog("pending", PULUMI_UNKNOWN))[0].urn, urnOf(FLOW_LOG, "pending"));
        });
    });
});

describe("flow-log-role-trust on the decoded document, the same in both calls", () => {
    const escaped = `{"Statement":[{"Effect":"Allow","Principal":{"Service":["\\u0076pc-flow-logs.amazonaws.com","ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`;
    const wildcard = withStatement({ Principal: { Service: "vpc-flow-logs.*" } });
    const cases: [string, unknown, RegExp][] = [
        ["a service name written with JSON escapes", escaped, /trusts the service "ec2\.amazonaws\.com"/],
        ["a wildcard that matches the service", wildcard, /trusts the service "vpc-flow-logs\.\*"/],
        ["a wildcard as a JSON text", JSON.stringify(wildcard), /trusts the service "vpc-flow-logs\.\*"/],
        [
            "a wildcard in any case, with ?",
            withStatement({ Principal: { Service: ["VPC-FLOW-LOGS.amazonaws.co?"] } }),
            /trusts the service "VPC-FLOW-LOGS\.amazonaws\.co\?"/,
        ],
    ];
    for (const [name, policy, expected] of cases) {
        it(`catches ${name} when the role is analyzed on its own, and not again on the stack`, () => {
            const alone = onRole(policy);
            assert.deepEqual(
                alone.map((r) => r.level),
                ["policy"],
            );
            assert.match(alone[0].message, expected);
            const delivery = role("delivery", policy);
            assert.deepEqual(onStack(delivery, flowLog("f", PULUMI_UNKNOWN, delivery)), []);
        });
    }

    it("holds no role to the flow-logs service for a wildcard outside Service", () => {
        assert.deepEqual(onRole(withStatement({ Principal: { Service: "ec2.amazonaws.com" }, Sid: "vpc-*" })), []);
    });

    it("says at advisory level that a placeholder trust policy cannot be judged", () => {
        const hidden = role("hidden", "[secret]");
        const reported = onStack(hidden, flowLog("f", PULUMI_UNKNOWN, hidden));
        assert.deepEqual(
            reported.map((r) => r.level),
            ["advisory"],
        );
        assert.match(reported[0].message, /"\[secret\]", a placeholder/);
    });

    it("quotes a 10 MB service name shortened, and lists a handful of flow logs", () => {
        const huge = withStatement({ Principal: { Service: [SERVICE, "x".repeat(10 * 1024 * 1024)] } });
        const [alone] = onRole(huge);
        assert.ok(alone.message.length < 2000, `${alone.message.length} characters`);
        const ec2 = role("instance", JSON.stringify(ec2TrustPolicy()));
        const logs = Array.from({ length: 1000 }, (_, i) => flowLog(`f${i}`, PULUMI_UNKNOWN, ec2));
        const [used] = onStack(ec2, ...logs);
        assert.match(used.message, /flow log "f4" and 995 more/);
        assert.ok(used.message.length < 2000, `${used.message.length} characters`);
    });
});
