import { strict as assert } from "assert";
import { PolicyDocument, PolicyStatement } from "../../model/iamDocuments";
import { evaluate, isAllowed, wildcardMatch } from "./iamEvaluation";

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });
const READ = {
    action: "s3:GetObject",
    resource: "arn:aws:s3:::b/key",
    principalArn: "arn:aws:iam::111122223333:role/r",
};

describe("policy evaluation model", () => {
    it("matches IAM wildcards, actions without regard to case", () => {
        assert.ok(wildcardMatch("arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b.txt"));
        assert.ok(wildcardMatch("arn:aws:s3:::b?", "arn:aws:s3:::b1"));
        assert.ok(!wildcardMatch("arn:aws:s3:::b", "arn:aws:s3:::b/key"), "a bucket ARN is not its objects");
        assert.ok(!wildcardMatch("arn:aws:s3:::b.c", "arn:aws:s3:::bxc"), "dots are literal");
        assert.equal(evaluate(doc({ Effect: "Allow", Action: "S3:getobject", Resource: "*" }), READ), "Allow");
    });

    it("lets an explicit deny win over an allow, and says nothing when no statement applies", () => {
        const allow: PolicyStatement = { Effect: "Allow", Action: "s3:*", Resource: "*" };
        assert.equal(evaluate(doc(allow, { Effect: "Deny", Action: "s3:GetObject", Resource: "*" }), READ), "Deny");
        assert.equal(evaluate(doc({ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }), READ), "NotApplicable");
    });

    it("satisfies a negated operator, and fails a positive one, when the key is absent", () => {
        const notFrom: PolicyStatement = {
            Effect: "Deny",
            Action: "*",
            Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-1" } },
        };
        assert.equal(evaluate(doc(notFrom), READ), "Deny");
        assert.equal(evaluate(doc(notFrom), { ...READ, context: { "aws:SourceVpce": "vpce-1" } }), "NotApplicable");
        const onlyFrom: PolicyStatement = {
            Effect: "Allow",
            Action: "*",
            Condition: { StringEquals: { "aws:sourcevpce": "vpce-1" } },
        };
        assert.equal(evaluate(doc(onlyFrom), READ), "NotApplicable");
        assert.equal(
            evaluate(doc(onlyFrom), { ...READ, context: { "aws:SourceVpce": "vpce-1" } }),
            "Allow",
            "keys ignore case",
        );
    });

    it("requires every condition key, and any one value of a key", () => {
        const both: PolicyStatement = {
            Effect: "Deny",
            Action: "*",
            Condition: {
                StringNotEquals: { "aws:SourceVpce": "vpce-1" },
                ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/admin*", "x"] },
            },
        };
        assert.equal(evaluate(doc(both), READ), "Deny");
        assert.equal(
            evaluate(doc(both), { ...READ, principalArn: "arn:aws:iam::111122223333:role/admin-ops" }),
            "NotApplicable",
        );
    });

    it("lets an account principal stand for that account's principals only, and a service for itself only", () => {
        const accountMay = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "*" });
        assert.equal(evaluate(accountMay, READ), "Allow");
        assert.equal(
            evaluate(accountMay, { ...READ, principalArn: "arn:aws:sts::111122223333:assumed-role/r/s" }),
            "Allow",
        );
        assert.equal(
            evaluate(accountMay, { ...READ, principalArn: "arn:aws:iam::999999999999:root" }),
            "NotApplicable",
        );
        assert.equal(evaluate(accountMay, { ...READ, principalArn: undefined }), "NotApplicable", "anonymous");
        const serviceMay = doc({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "*" });
        const byService = { action: "sns:Publish", resource: "t", principalService: "cloudwatch.amazonaws.com" };
        assert.equal(evaluate(serviceMay, byService), "Allow");
        assert.equal(evaluate(serviceMay, { ...byService, principalService: "events.amazonaws.com" }), "NotApplicable");
        assert.equal(evaluate(serviceMay, READ), "NotApplicable");
        assert.equal(evaluate(accountMay, byService), "NotApplicable", "a service is no principal of the account");
    });

    it("refuses to guess at an operator it does not model", () => {
        const odd: PolicyStatement = {
            Effect: "Deny",
            Action: "*",
            Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
        };
        assert.throws(() => evaluate(doc(odd), READ), /IpAddress is not modelled/);
    });

    it("needs an allow from identity or resource, and from the endpoint when one is crossed", () => {
        const allowAll = doc({ Effect: "Allow", Action: "*", Resource: "*" });
        const denyAll = doc({ Effect: "Deny", Principal: "*", Action: "*", Resource: "*" });
        const nothing = doc({ Effect: "Allow", Action: "s3:PutObject", Resource: "*" });
        assert.equal(isAllowed(READ, {}), false, "implicit deny");
        assert.equal(isAllowed(READ, { identity: [allowAll] }), true);
        assert.equal(
            isAllowed(READ, {
                resource: doc({ Effect: "Allow", Principal: { AWS: READ.principalArn }, Action: "*", Resource: "*" }),
            }),
            true,
        );
        assert.equal(isAllowed(READ, { identity: [allowAll], resource: denyAll }), false);
        assert.equal(isAllowed(READ, { identity: [allowAll], endpoint: nothing }), false);
        assert.equal(isAllowed(READ, { identity: [allowAll], endpoint: allowAll }), true);
    });

    it("matches a service principal by the service making the request, and by nothing else", () => {
        const forDelivery = doc({
            Effect: "Allow",
            Principal: { Service: "delivery.logs.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "*",
        });
        const put = { action: "s3:PutObject", resource: "arn:aws:s3:::b/key" };
        assert.equal(evaluate(forDelivery, { ...put, principalService: "delivery.logs.amazonaws.com" }), "Allow");
        assert.equal(evaluate(forDelivery, { ...put, principalService: "ec2.amazonaws.com" }), "NotApplicable");
        assert.equal(evaluate(forDelivery, { ...put, principalArn: "delivery.logs.amazonaws.com" }), "NotApplicable");
        assert.equal(evaluate(forDelivery, put), "NotApplicable", "an anonymous request is no service");
        assert.equal(
            isAllowed({ ...put, principalService: "delivery.logs.amazonaws.com" }, { resource: forDelivery }),
            true,
        );
    });
});
