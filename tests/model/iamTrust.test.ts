import { strict as assert } from "assert";
import fc from "fast-check";
import { FLOW_LOGS_SERVICE, flowLogsTrustPolicy } from "../../model/iamDocuments";
import { mentionsService, parseTrustPolicy, serviceOnlyTrustProblems, wildcardMatches } from "../../model/iamTrust";

describe("IAM trust policies", () => {
    const good = flowLogsTrustPolicy({ partition: "aws", region: "eu-west-1", accountId: "123456789012" });

    it("accepts the flow-logs trust policy the component writes, as an object or as JSON text", () => {
        assert.deepEqual(serviceOnlyTrustProblems(good, FLOW_LOGS_SERVICE), []);
        assert.deepEqual(serviceOnlyTrustProblems(JSON.stringify(good), FLOW_LOGS_SERVICE), []);
    });

    it("reads Statement as one object or a list, and labels statements by Sid or position", () => {
        const single = parseTrustPolicy({ Statement: { Effect: "Deny", Principal: "*", Action: "*" } });
        assert.ok(single.ok);
        assert.deepEqual(
            single.statements.map((s) => [s.label, s.effect]),
            [["statement #1", "Deny"]],
        );
        const listed = parseTrustPolicy(good);
        assert.ok(listed.ok);
        assert.equal(listed.statements[0].label, `statement "VpcFlowLogsOnly"`);
    });

    it("holds a role to one service's rules only when its trust policy mentions that service, in any case", () => {
        assert.equal(mentionsService(good, FLOW_LOGS_SERVICE), true);
        assert.equal(
            mentionsService('{"Principal":{"Service":"VPC-FLOW-LOGS.AMAZONAWS.COM"}}', FLOW_LOGS_SERVICE),
            true,
        );
        assert.equal(mentionsService({ Principal: { Service: "ec2.amazonaws.com" } }, FLOW_LOGS_SERVICE), false);
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        assert.equal(mentionsService(cyclic, FLOW_LOGS_SERVICE), false);
    });

    it("reads the document decoded, and wildcards under Service, before asking whether it names the service", () => {
        assert.equal(
            mentionsService('{"Principal":{"Service":"\\u0076pc-flow-logs.amazonaws.com"}}', FLOW_LOGS_SERVICE),
            true,
        );
        assert.equal(mentionsService({ Principal: { Service: ["vpc-flow-logs.*"] } }, FLOW_LOGS_SERVICE), true);
        assert.equal(mentionsService({ Principal: { Service: "*.amazonaws.com" } }, FLOW_LOGS_SERVICE), true);
        assert.equal(
            mentionsService({ Sid: "vpc-flow-logs.*", Principal: { Service: "ec2.amazonaws.com" } }, FLOW_LOGS_SERVICE),
            false,
        );
        assert.equal(mentionsService({ Principal: { Service: "ec2.*" } }, FLOW_LOGS_SERVICE), false);
    });

    it("matches IAM wildcards, * for any run and ? for one character, in any case", () => {
        const cases: [string, string, boolean][] = [
            ["vpc-flow-logs.*", FLOW_LOGS_SERVICE, true],
            ["*", FLOW_LOGS_SERVICE, true],
            ["VPC-FLOW-LOGS.amazonaws.co?", FLOW_LOGS_SERVICE, true],
            ["*flow*logs*", FLOW_LOGS_SERVICE, true],
            ["vpc-flow-logs.amazonaws.com?", FLOW_LOGS_SERVICE, false],
            ["ec2.*", FLOW_LOGS_SERVICE, false],
        ];
        for (const [pattern, text, expected] of cases) assert.equal(wildcardMatches(pattern, text), expected, pattern);
    });

    it("never throws, and never calls a document right unless it parses", () => {
        fc.assert(
            fc.property(fc.oneof(fc.anything(), fc.json()), (document) => {
                const problems = serviceOnlyTrustProblems(document, FLOW_LOGS_SERVICE);
                mentionsService(document, FLOW_LOGS_SERVICE);
                if (!parseTrustPolicy(document).ok) assert.ok(problems.length > 0);
            }),
        );
    });
});
