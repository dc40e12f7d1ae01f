import { strict as assert } from "assert";
import { renderPolicyDocument } from "../../checker/program/policyDocument";

const rendered = (args: Parameters<typeof renderPolicyDocument>[0]) => JSON.parse(renderPolicyDocument(args).json);

describe("renderPolicyDocument, as the AWS provider's getPolicyDocument", () => {
    it("renders a trust policy with the provider's defaults: version, Allow, bare single values", () => {
        const json = renderPolicyDocument({
            statements: [
                { actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] },
            ],
        }).json;
        assert.equal(
            json,
            [
                "{",
                '  "Version": "2012-10-17",',
                '  "Statement": [',
                "    {",
                '      "Effect": "Allow",',
                '      "Action": "sts:AssumeRole",',
                '      "Principal": {',
                '        "Service": "ec2.amazonaws.com"',
                "      }",
                "    }",
                "  ]",
                "}",
            ].join("\n"),
        );
    });

    it("deduplicates set values and orders several in reverse, as the provider does", () => {
        const doc = rendered({
            statements: [
                { actions: ["logs:PutLogEvents", "logs:CreateLogStream", "logs:PutLogEvents"], resources: ["*"] },
            ],
        });
        assert.deepEqual(doc.Statement[0].Action, ["logs:PutLogEvents", "logs:CreateLogStream"]);
        assert.equal(doc.Statement[0].Resource, "*");
    });

    it("renders the wildcard principal bare and merges principals of one type", () => {
        assert.equal(
            rendered({ statements: [{ principals: [{ type: "*", identifiers: ["*"] }] }] }).Statement[0].Principal,
            "*",
        );
        const merged = rendered({
            statements: [
                {
                    principals: [
                        { type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] },
                        { type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] },
                        { type: "Service", identifiers: ["ec2.amazonaws.com"] },
                    ],
                },
            ],
        }).Statement[0].Principal;
        assert.deepEqual(Object.keys(merged), ["AWS", "Service"]);
        assert.deepEqual(merged.Service, ["vpc-flow-logs.amazonaws.com", "ec2.amazonaws.com"]);
    });

    it("groups conditions by test and variable, keeping the order of values", () => {
        const doc = rendered({
            statements: [
                {
                    effect: "Deny",
                    notActions: ["iam:*"],
                    conditions: [
                        { test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] },
                        { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:b", "arn:a"] },
                    ],
                },
            ],
        });
        assert.deepEqual(doc.Statement[0], {
            Effect: "Deny",
            NotAction: "iam:*",
            Condition: {
                ArnLike: { "aws:SourceArn": ["arn:b", "arn:a"] },
                StringEquals: { "aws:SourceAccount": "123456789012" },
            },
        });
    });

    it("turns the &{...} escape back into an IAM variable and keeps Sid and policy id", () => {
        const doc = rendered({
            policyId: "p1",
            statements: [{ sid: "Home", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/&{aws:username}/*"] }],
        });
        assert.equal(doc.Id, "p1");
        assert.equal(doc.Statement[0].Sid, "Home");
        assert.equal(doc.Statement[0].Resource, "arn:aws:s3:::b/${aws:username}/*");
    });

    it("gives the same document minified", () => {
        const { json, minifiedJson } = renderPolicyDocument({ statements: [{ actions: ["s3:GetObject"] }] });
        assert.equal(minifiedJson, JSON.stringify(JSON.parse(json)));
    });

    it("refuses merging source or override documents rather than guess", () => {
        assert.throws(() => renderPolicyDocument({ sourcePolicyDocuments: ["{}"] }), /not mocked/);
    });
});
