import { strict as assert } from "assert";
import { parseStackConfig } from "../../infra/config";
import { onlyConfigProblem, rawConfig, TWO_VPCS } from "../helpers/config";
import { PROJECT } from "../helpers/pulumi";
import { lockoutProblem } from "../../infra/lib/s3Policies";

const NS = PROJECT;
const withS3Access = (s3Access: unknown) => rawConfig({ vpcs: TWO_VPCS, s3Access });
const onlyProblem = (s3Access: unknown) => onlyConfigProblem({ vpcs: TWO_VPCS, s3Access });

describe("stack config: s3Access", () => {
    it("is off unless asked for, and exempts the deployer by default", () => {
        const { s3Access } = parseStackConfig({ [`${NS}:vpcs`]: JSON.stringify(TWO_VPCS) }, NS);
        assert.deepEqual(s3Access, {
            enabled: false,
            adminPrincipalArns: [],
            includeDeployer: true,
            forceDestroy: false,
        });
    });

    it("accepts the dev stack's shape, with named administrators", () => {
        const admins = [
            "arn:aws:iam::123456789012:role/admin",
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*",
        ];
        const { s3Access } = parseStackConfig(
            withS3Access({ enabled: true, vpc: "vpc1", bucketName: "seed-report", adminPrincipalArns: admins }),
            NS,
        );
        assert.equal(s3Access.vpc, "vpc1");
        assert.deepEqual(s3Access.adminPrincipalArns, admins);
    });

    describe("rejects, naming the key and its value", () => {
        it("an endpoint for a VPC the stack does not have", () =>
            assert.equal(
                onlyProblem({ enabled: true, vpc: "vpc3" }),
                `${NS}:s3Access.vpc = "vpc3": names no VPC of this stack; use one of vpc1, vpc2`,
            ));

        it("an exemption that is not an IAM ARN", () =>
            assert.match(
                onlyProblem({ enabled: true, vpc: "vpc1", adminPrincipalArns: ["admin"] }),
                /^vpc-flow-monitoring:s3Access\.adminPrincipalArns\[0\] = "admin": not an IAM user, role/,
            ));

        it("an exemption given as a role session, with the role ARN to use instead", () =>
            assert.match(
                onlyProblem({
                    enabled: true,
                    vpc: "vpc1",
                    adminPrincipalArns: ["arn:aws:sts::123456789012:assumed-role/admin/me"],
                }),
                /s3Access\.adminPrincipalArns\[0\] = "arn:aws:sts::123456789012:assumed-role\/admin\/me": is a role session.*arn:aws:iam::123456789012:role\/admin$/,
            ));

        it("a bucket name S3 would reject", () =>
            assert.equal(
                onlyProblem({ enabled: true, vpc: "vpc1", bucketName: "Seed_Report" }),
                `${NS}:s3Access.bucketName = "Seed_Report": S3 bucket names use only lower-case letters, digits, dots and hyphens`,
            ));

        it("turning it on without saying for which VPC", () =>
            assert.equal(onlyProblem({ enabled: true }), `${NS}:s3Access.vpc is not set, and it is required`));

        it("an endpoint-only policy that nobody outside the VPC, Pulumi included, is exempt from", () =>
            assert.equal(
                onlyProblem({ enabled: true, vpc: "vpc1", includeDeployer: false }),
                `${NS}:s3Access.includeDeployer = false: ${lockoutProblem([], false)}`,
            ));

        it("a misspelled key, suggesting the right one", () =>
            assert.equal(
                onlyProblem({ enabled: true, vpc: "vpc1", adminPrincipalArn: [] }),
                `${NS}:s3Access.adminPrincipalArn = []: unknown key; did you mean adminPrincipalArns?`,
            ));
    });
});
