import { bucketObjectsAndItself, denyWithoutTls, PolicyDocument, PolicyStatement } from "../../model/iamDocuments";

/**
 * The policies of private S3 access, as plain data: what the instance may do to its bucket,
 * what the VPC's gateway endpoint lets through, and what the bucket refuses. Also the checks
 * on the names those policies are built from, so bad config is caught before any resource.
 */

/** Bucket-level actions the instance needs: `aws s3 ls s3://<bucket>`. */
export const INSTANCE_BUCKET_ACTIONS = ["s3:ListBucket"] as const;
/** Object-level actions the instance needs: `aws s3 cp` both ways. */
export const INSTANCE_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject"] as const;

export function bucketArnOf(partition: string, bucketName: string): string {
    return `arn:${partition}:s3:::${bucketName}`;
}

/**
 * The bucket Amazon Linux 2023 serves its dnf repositories from in a region. `dnf` fetches from
 * it over S3, so a restrictive S3 gateway endpoint must let it through or package installs fail
 * with 403. The fixed suffix is AWS's, the same in every region (AWS's guidance on dnf without
 * internet access, and the network requirements of services that run AL2023 in your VPC).
 */
export function amazonLinuxRepositoryBucket(region: string): string {
    return `al2023-repos-${region}-de612dc2`;
}

/** Regions where Distributor's service bucket is `aws-ssm-distributor-file-<region>` instead of `<region>-birdwatcher-prod`. */
const DISTRIBUTOR_FILE_REGIONS = ["af-south-1", "eu-south-1"];

/**
 * The AWS managed buckets SSM Agent reads from in a region, row by row as Systems Manager's guide
 * lists them ("SSM Agent communications with AWS managed S3 buckets"): Windows-only documents,
 * agent updates, Distributor's packages and service (`<region>-birdwatcher-prod`, or
 * `aws-ssm-distributor-file-<region>` in the two regions the guide names), AWS-owned Distributor
 * packages, patch baseline snapshots (with the guide's own name in me-south-1), and the modules
 * of SSM documents (`aws-ssm-` for Linux and Windows, `aws-patchmanager-macos-` for macOS). With S3
 * reached through a restrictive gateway endpoint, the agent needs each allowed by the endpoint
 * policy and by the instance's role. Not covered: the extended `aws-ssm-` names the guide gives
 * for "a few Regions" only on its website, not in its published source.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html
 */
export function ssmAgentBuckets(region: string): string[] {
    const distributor = DISTRIBUTOR_FILE_REGIONS.includes(region)
        ? `aws-ssm-distributor-file-${region}`
        : `${region}-birdwatcher-prod`;
    const snapshots =
        region === "me-south-1" ? "patch-baseline-snapshot-me-south-1-uduvl7q8" : `patch-baseline-snapshot-${region}`;
    return [
        `aws-windows-downloads-${region}`,
        `amazon-ssm-${region}`,
        `amazon-ssm-packages-${region}`,
        distributor,
        `aws-ssm-document-attachments-${region}`,
        snapshots,
        `aws-ssm-${region}`,
        `aws-patchmanager-macos-${region}`,
    ];
}

/** Read of every object of the region's SSM Agent buckets; `who` as for {@link instanceStatements}. */
function ssmAgentStatement(
    partition: string,
    region: string,
    who: Pick<PolicyStatement, "Principal"> = {},
): PolicyStatement {
    return {
        Sid: "SsmAgentBuckets",
        Effect: "Allow",
        ...who,
        Action: "s3:GetObject",
        Resource: ssmAgentBuckets(region).map((bucket) => `${bucketArnOf(partition, bucket)}/*`),
    };
}

/** Where the instance runs, to name its region's SSM Agent buckets. */
export interface RegionScope {
    readonly partition: string;
    readonly region: string;
}

/**
 * The identity policy of the instance role: list the bucket, read and write its objects, and read
 * the region's SSM Agent buckets, which the agent signs its requests to with this role once S3
 * goes through the endpoint (SSM's guide asks for this permission in the instance profile).
 */
export function instanceBucketPolicy(bucketArn: string, scope?: RegionScope): PolicyDocument {
    const agent = scope ? [ssmAgentStatement(scope.partition, scope.region)] : [];
    return { Version: "2012-10-17", Statement: [...instanceStatements(bucketArn), ...agent] };
}

/** The instance's statements; an endpoint policy adds who may use them (identity policies must not). */
function instanceStatements(
    bucketArn: string,
    who: Pick<PolicyStatement, "Principal" | "Condition"> = {},
): PolicyStatement[] {
    const { Principal, Condition } = who;
    const statement = (Sid: string, Action: readonly string[], Resource: string): PolicyStatement => ({
        Sid,
        Effect: "Allow",
        ...(Principal && { Principal }),
        Action: [...Action],
        Resource,
        ...(Condition && { Condition }),
    });
    return [
        statement("ListTheBucket", INSTANCE_BUCKET_ACTIONS, bucketArn),
        statement("ReadWriteItsObjects", INSTANCE_OBJECT_ACTIONS, `${bucketArn}/*`),
    ];
}

export interface EndpointPolicyArgs {
    readonly partition: string;
    readonly region: string;
    readonly bucketArn: string;
    /** The only principal that may use the endpoint to reach the bucket. */
    readonly instanceRoleArn: string;
}

/**
 * The gateway endpoint's policy: the instance role's actions on this bucket, reads of the Amazon
 * Linux repositories (dnf does not sign its requests) and reads of the region's SSM Agent buckets
 * (agent updates, documents, Run Command plugins, patching). Everything else that leaves the VPC
 * for S3 through the endpoint is refused, so the endpoint is no path for exfiltration to other
 * buckets: reads of AWS's own buckets carry nothing out. The role is matched by `aws:PrincipalArn` rather than named as a principal:
 * a recreated role keeps working instead of leaving a dangling unique id in the policy.
 * @see https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html#edit-vpc-endpoint-policy-s3
 */
export function endpointPolicy(args: EndpointPolicyArgs): PolicyDocument {
    const repository = bucketArnOf(args.partition, amazonLinuxRepositoryBucket(args.region));
    return {
        Version: "2012-10-17",
        Statement: [
            ...instanceStatements(args.bucketArn, {
                Principal: "*",
                Condition: { ArnEquals: { "aws:PrincipalArn": args.instanceRoleArn } },
            }),
            {
                Sid: "AmazonLinuxRepositories",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: `${repository}/*`,
            },
            ssmAgentStatement(args.partition, args.region, { Principal: "*" }),
        ],
    };
}

export interface BucketPolicyArgs {
    readonly bucketArn: string;
    /** The gateway endpoint every non-administrative request must come through. */
    readonly endpointId: string;
    /**
     * `aws:PrincipalArn` patterns (IAM users, roles, account root) exempt from the endpoint rule:
     * the console's operators and Pulumi's deploying role. Never empty.
     */
    readonly adminPrincipalArns: readonly string[];
}

/**
 * The bucket's policy: only deny statements, so it grants nothing and S3 never counts it as public.
 * 1. Any request without TLS is refused, administrators' included.
 * 2. Any request that does not come through the endpoint is refused, unless its principal is an
 *    administrator: without that exemption the console and `pulumi refresh/destroy` are locked out.
 *    Both conditions must hold for the deny to apply, which is how IAM combines condition keys.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
 */
export function bucketPolicy(args: BucketPolicyArgs): PolicyDocument {
    const admins = [...new Set(args.adminPrincipalArns)];
    const lockout = lockoutProblem(admins, false);
    if (lockout) throw new Error(`bucketPolicy: ${lockout}`);
    const everything = bucketObjectsAndItself(args.bucketArn);
    return {
        Version: "2012-10-17",
        Statement: [
            denyWithoutTls("s3:*", everything),
            {
                Sid: "DenyOutsideTheEndpointExceptAdministrators",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: everything,
                Condition: {
                    StringNotEquals: { "aws:SourceVpce": args.endpointId },
                    ArnNotLike: { "aws:PrincipalArn": admins },
                },
            },
        ],
    };
}

/**
 * The rule that keeps the bucket manageable, in its one wording: someone outside the VPC must stay
 * exempt from the endpoint-only deny, the deploying role or a listed administrator. Undefined when
 * someone is.
 */
export function lockoutProblem(adminPrincipalArns: readonly string[], includeDeployer: boolean): string | undefined {
    if (includeDeployer || adminPrincipalArns.length > 0) return undefined;
    return "no administrator is exempt from the endpoint-only bucket policy, which would lock out everyone outside the VPC, Pulumi and the console included; list adminPrincipalArns or set includeDeployer: true";
}

const RESERVED_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * Why S3 would refuse a general purpose bucket name, or undefined when it would accept it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function bucketNameProblem(name: string): string | undefined {
    if (name.length < 3 || name.length > 63) return "S3 bucket names are 3 to 63 characters long";
    if (!/^[a-z0-9.-]+$/.test(name)) return "S3 bucket names use only lower-case letters, digits, dots and hyphens";
    if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return "S3 bucket names begin and end with a letter or digit";
    if (name.includes("..")) return "S3 bucket names have no two adjacent dots";
    if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "S3 bucket names are not formatted as IP addresses";
    const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
    if (prefix) return `S3 reserves the prefix ${prefix}`;
    const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
    if (suffix) return `S3 reserves the suffix ${suffix}`;
    return undefined;
}

const SESSION_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(root|(user|role)\/([\w+=,.@/*?-]+))$/;

/**
 * Why an ARN cannot name a principal in `aws:PrincipalArn`, or undefined when it can. Wildcards
 * are allowed (the policy matches with `ArnNotLike`, e.g. for SSO roles), but not a name made only
 * of wildcards: that would exempt every role or user of the account, the instance's included.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function principalArnProblem(arn: string): string | undefined {
    const session = SESSION_ARN.exec(arn);
    if (session) {
        const [, partition, account, role] = session;
        return `is a role session; aws:PrincipalArn carries the role's ARN, e.g. arn:${partition}:iam::${account}:role/${role}`;
    }
    const match = PRINCIPAL_ARN.exec(arn);
    if (!match) return "not an IAM user, role or account-root ARN (arn:aws:iam::<12-digit account>:role/<name>)";
    const name = match[3]?.split("/").pop();
    if (name !== undefined && /^[*?]*$/.test(name))
        return "names every user or role of the account; name the administrators";
    return undefined;
}
