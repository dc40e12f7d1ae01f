import { strict as assert } from "assert";
import { RecordedResource } from "../../checker/program/awsMocks";
import { AWS_TYPES } from "../../model/awsTypes";
import { FLOW_LOG_DELIVERY_ACTIONS } from "../../model/iamDocuments";
import { ACTION_RESOURCE_TYPES, actionResourceTypes, resourceProblem } from "../helpers/iamResourceTypes";
import { devStackRun } from "../helpers/pulumi";

/**
 * Every action an IAM document of the stack names can apply to the resources the statement names.
 * IAM accepts a statement whose resources no action of it can ever match and silently ignores
 * it: the grant looks scoped in review and does nothing in AWS. The action-to-resource-type table
 * (tests/helpers/iamResourceTypes.ts) comes from the Service Authorization Reference.
 */

interface Statement {
    readonly Effect: string;
    readonly Action?: string | string[];
    readonly Resource?: string | string[];
}
interface FoundDocument {
    readonly where: string;
    readonly statements: readonly Statement[];
}

const list = (value: string | string[] | undefined): string[] =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every policy document among a resource's inputs: `policy`, `assumeRolePolicy`, `inlinePolicies[].policy`, any `…Policy`. */
function documentsOf(resource: RecordedResource): FoundDocument[] {
    const found: FoundDocument[] = [];
    const visit = (value: unknown, path: string) => {
        if (typeof value === "string" && /^\s*\{/.test(value)) {
            try {
                visit(JSON.parse(value), path);
            } catch {
                /* not JSON: not a document */
            }
        } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
        else if (value && typeof value === "object") {
            const statement = (value as { Statement?: unknown }).Statement;
            if (statement !== undefined) {
                const where = `${resource.type} ${resource.name} ${path}`;
                found.push({ where, statements: (Array.isArray(statement) ? statement : [statement]) as Statement[] });
            } else for (const [key, inner] of Object.entries(value)) visit(inner, `${path}.${key}`);
        }
    };
    for (const [key, value] of Object.entries(resource.inputs)) if (/polic/i.test(key)) visit(value, key);
    return found;
}

/** One line per action and resource that cannot meet. */
function problemsIn(documents: readonly FoundDocument[]): string[] {
    return documents.flatMap(({ where, statements }) =>
        statements.flatMap((statement, index) =>
            list(statement.Action).flatMap((action) =>
                list(statement.Resource).flatMap((resource) => {
                    const problem = resourceProblem(action, resource);
                    return problem ? [`${where} Statement[${index}]: ${problem}`] : [];
                }),
            ),
        ),
    );
}

/**
 * AWS managed policies the stack attaches: their documents are AWS's, not in the stack's state.
 * Each entry says why it cannot name a resource its actions miss.
 */
const AWS_MANAGED_POLICIES: Readonly<Record<string, string>> = {
    AmazonSSMManagedInstanceCore: 'every statement names "Resource": "*" (AWS managed policy reference)',
};

describe("IAM documents grant only what can apply (Service Authorization Reference)", () => {
    describe("the action-to-resource-type check", () => {
        const logGroup = "arn:aws:logs:us-east-1:123456789012:log-group:flow";
        const bucket = "arn:aws:s3:::seed-bucket";
        const cases: { action: string; resource: string; applies: true | RegExp }[] = [
            { action: "logs:CreateLogStream", resource: `${logGroup}:*`, applies: true },
            { action: "logs:DescribeLogStreams", resource: `${logGroup}:*`, applies: true },
            { action: "logs:PutLogEvents", resource: `${logGroup}:*`, applies: true },
            { action: "logs:PutLogEvents", resource: `${logGroup}:log-stream:eni-1-all`, applies: true },
            { action: "logs:DescribeLogGroups", resource: `${logGroup}:*`, applies: /no resource-level permissions/ },
            { action: "logs:DescribeLogGroups", resource: "*", applies: true },
            { action: "logs:PutLogEvents", resource: `${bucket}/*`, applies: /names none of them/ },
            { action: "s3:ListBucket", resource: bucket, applies: true },
            { action: "s3:ListBucket", resource: `${bucket}/*`, applies: /applies to s3:bucket/ },
            { action: "s3:GetObject", resource: bucket, applies: /applies to s3:object/ },
            { action: "s3:GetObject", resource: "arn:aws:s3:::amazon-ssm-us-east-1/*", applies: true },
            { action: "s3:GetObject", resource: "arn:aws:s3:::*-birdwatcher-prod/*", applies: true },
            { action: "s3:*", resource: bucket, applies: true },
            { action: "s3:*", resource: `${bucket}/*`, applies: true },
            { action: "s3:*", resource: logGroup, applies: /names none of them/ },
            { action: "kms:GenerateDataKey*", resource: "*", applies: true },
            { action: "kms:GenerateDataKey*", resource: "arn:aws:kms:us-east-1:123456789012:key/1234", applies: true },
            { action: "sns:Publish", resource: "arn:aws:sns:us-east-1:123456789012:alarms", applies: true },
            { action: "SNS:Publish", resource: "arn:aws:sns:us-east-1:123456789012:alarms", applies: true },
            { action: "S3:GetObject", resource: bucket, applies: /applies to s3:object/ },
            {
                action: "logs:DeleteLogGroup",
                resource: logGroup,
                applies:
                    /logs:DeleteLogGroup is not in the action-to-resource-type table .*list_amazoncloudwatchlogs\.html/,
            },
        ];
        for (const c of cases) {
            it(`${c.action} on ${c.resource}: ${c.applies === true ? "applies" : `refused (${c.applies.source})`}`, () => {
                const problem = resourceProblem(c.action, c.resource);
                if (c.applies === true) assert.equal(problem, undefined);
                else assert.match(problem ?? "(applies)", c.applies);
            });
        }

        it('lists a resource type for every action it knows, or says none (only "*")', () => {
            for (const [action, types] of Object.entries(ACTION_RESOURCE_TYPES))
                assert.deepEqual(actionResourceTypes(action), types, action);
        });
    });

    describe("the dev stack", () => {
        let resources: readonly RecordedResource[];
        let documents: FoundDocument[];
        before(async () => {
            resources = (await devStackRun()).resources;
            documents = resources.flatMap(documentsOf);
        });

        it("finds every document: role trusts, inline role policies, the endpoint and bucket policies", () => {
            const kinds = new Set(documents.map((d) => d.where.split(" ")[0]));
            for (const type of [AWS_TYPES.role, AWS_TYPES.rolePolicy, AWS_TYPES.vpcEndpoint, AWS_TYPES.bucketPolicy])
                assert.ok(kinds.has(type), `no document found on a ${type}`);
        });

        it("names, in each statement, only resources every one of its actions can apply to", () => {
            assert.deepEqual(problemsIn(documents), []);
        });

        it("would catch the flow-log role's former logs:DescribeLogGroups on the log group", () => {
            const delivery = documents.find((d) => d.where.startsWith(`${AWS_TYPES.rolePolicy} flow-logs-delivery`));
            assert.ok(delivery, "the flow-log delivery policy");
            const widened = [
                { ...delivery.statements[0], Action: [...FLOW_LOG_DELIVERY_ACTIONS, "logs:DescribeLogGroups"] },
            ];
            assert.match(
                problemsIn([{ where: delivery.where, statements: widened }]).join("\n"),
                /logs:DescribeLogGroups supports no resource-level permissions/,
            );
        });

        it('attaches only managed policies whose documents it records, or AWS managed policies known to name "*"', () => {
            const ownPolicyArns = new Set(
                resources.filter((r) => r.type === AWS_TYPES.iamPolicy).map((r) => r.state.arn),
            );
            for (const attachment of resources.filter((r) => r.type === AWS_TYPES.rolePolicyAttachment)) {
                const arn = String(attachment.inputs.policyArn);
                const awsManaged = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
                assert.ok(
                    ownPolicyArns.has(arn) || (awsManaged !== undefined && awsManaged in AWS_MANAGED_POLICIES),
                    `${attachment.name} attaches ${arn}: neither a policy of this stack nor a known AWS managed policy; add it to AWS_MANAGED_POLICIES with why its resources apply`,
                );
            }
        });
    });

    it("grants the flow-log role exactly what AWS CDK's flow-log role has: CreateLogStream, PutLogEvents, DescribeLogStreams", () => {
        assert.deepEqual([...FLOW_LOG_DELIVERY_ACTIONS].sort(), [
            "logs:CreateLogStream",
            "logs:DescribeLogStreams",
            "logs:PutLogEvents",
        ]);
    });
});
