/**
 * Which resources an IAM action can apply to, from AWS's Service Authorization Reference (SAR):
 * each service's "Resource types defined by …" table gives the ARN formats, and its "Actions
 * defined by …" table the resource types each action takes. An action whose "Resource types"
 * column is empty supports no resource-level permissions: only `"Resource": "*"` grants it, and a
 * statement naming an ARN for it never applies (IAM ignores it without an error).
 *
 * Only the actions the stack's documents use are listed. To add one: find the action in its
 * service's SAR page (URL below), list its resource types (required or optional alike), and add
 * any resource type not yet in `RESOURCE_TYPES` with its ARN format as the page spells it. A
 * missing entry fails `tests/infra/iamResourceScoping.test.ts` with the action's name.
 */

/** ARN formats: `${Name}` is a SAR variable; everything else is literal. */
export interface ResourceType {
    readonly arns: readonly string[];
}

const SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference";

/** Where each service's table comes from. */
export const SOURCES: Readonly<Record<string, string>> = {
    logs: `${SAR}/list_amazoncloudwatchlogs.html`,
    s3: `${SAR}/list_amazons3.html`,
    ssm: `${SAR}/list_awssystemsmanager.html`,
    ec2: `${SAR}/list_amazonec2.html`,
    kms: `${SAR}/list_awskeymanagementservice.html`,
    sns: `${SAR}/list_amazonsns.html`,
};

/** `service:type` → its ARN formats. */
export const RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = {
    // CloudWatch Logs' own guide names both spellings of a log group's ARN, the one ending in `:*`
    // being the one "for specifying permissions in IAM policies" (iam-access-control-overview-cwl).
    "logs:log-group": {
        arns: [
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:*",
        ],
    },
    "logs:log-stream": {
        arns: ["arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}"],
    },
    "s3:bucket": { arns: ["arn:${Partition}:s3:::${BucketName}"] },
    "s3:object": { arns: ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"] },
    "ssm:parameter": {
        arns: ["arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}"],
    },
    "ec2:vpc": { arns: ["arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}"] },
    "ec2:vpc-flow-log": { arns: ["arn:${Partition}:ec2:${Region}:${Account}:vpc-flow-log/${VpcFlowLogId}"] },
    "kms:key": { arns: ["arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"] },
    "kms:alias": { arns: ["arn:${Partition}:kms:${Region}:${Account}:alias/${Alias}"] },
    "sns:topic": { arns: ["arn:${Partition}:sns:${Region}:${Account}:${TopicName}"] },
};

/** Action → the resource types it can apply to; `[]` means it takes only `"Resource": "*"`. */
export const ACTION_RESOURCE_TYPES: Readonly<Record<string, readonly string[]>> = {
    // CloudWatch Logs
    "logs:CreateLogGroup": ["logs:log-group"],
    "logs:CreateLogStream": ["logs:log-group"],
    "logs:PutLogEvents": ["logs:log-stream"],
    "logs:DescribeLogStreams": ["logs:log-group"],
    "logs:DescribeLogGroups": [],
    // S3
    "s3:ListBucket": ["s3:bucket"],
    "s3:GetBucketAcl": ["s3:bucket"],
    "s3:GetBucketLocation": ["s3:bucket"],
    "s3:GetObject": ["s3:object"],
    "s3:PutObject": ["s3:object"],
    // Systems Manager
    "ssm:GetParameter": ["ssm:parameter"],
    "ssm:GetParameters": ["ssm:parameter"],
    // KMS (key policies name `"Resource": "*"`, the key itself)
    "kms:Encrypt": ["kms:key"],
    "kms:Decrypt": ["kms:key"],
    "kms:ReEncryptFrom": ["kms:key"],
    "kms:ReEncryptTo": ["kms:key"],
    "kms:GenerateDataKey": ["kms:key"],
    "kms:GenerateDataKeyWithoutPlaintext": ["kms:key"],
    "kms:DescribeKey": ["kms:key"],
    // SNS
    "sns:Publish": ["sns:topic"],
};

/** The table's action names by their lower-case spelling. */
const KNOWN_ACTIONS = new Map(Object.keys(ACTION_RESOURCE_TYPES).map((name) => [name.toLowerCase(), name]));

/** Characters a SAR variable cannot hold, so that `${BucketName}` never swallows `/key`. */
function excludedBy(variable: string): string {
    if (variable === "ObjectName") return "";
    if (variable === "BucketName") return ":/";
    if (/^(LogGroupName|LogStreamName|ParameterNameWithoutLeadingSlash|TopicName)$/.test(variable)) return ":";
    return ":/";
}

type PatternAtom = { kind: "char"; char: string } | { kind: "any" } | { kind: "star" };
type TemplateAtom = { kind: "char"; char: string } | { kind: "class"; excluded: string; repeat: boolean };

function patternAtoms(pattern: string): PatternAtom[] {
    return [...pattern].map((c) =>
        c === "*" ? { kind: "star" } : c === "?" ? { kind: "any" } : { kind: "char", char: c },
    );
}

function templateAtoms(template: string): TemplateAtom[] {
    const atoms: TemplateAtom[] = [];
    for (const part of template.split(/(\$\{\w+\})/)) {
        const variable = /^\$\{(\w+)\}$/.exec(part)?.[1];
        if (variable === undefined) atoms.push(...[...part].map((char) => ({ kind: "char" as const, char })));
        else {
            const excluded = excludedBy(variable);
            atoms.push({ kind: "class", excluded, repeat: false }, { kind: "class", excluded, repeat: true });
        }
    }
    return atoms;
}

/**
 * Whether some ARN of the format is matched by the policy's resource pattern (`*` any run of
 * characters, `?` one, as IAM reads `Resource`): the two languages intersect.
 */
export function patternMeetsArnFormat(pattern: string, format: string): boolean {
    const p = patternAtoms(pattern);
    const t = templateAtoms(format);
    const memo = new Map<number, boolean>();
    const meets = (i: number, j: number): boolean => {
        const key = i * (t.length + 1) + j;
        const known = memo.get(key);
        if (known !== undefined) return known;
        let result: boolean;
        const pa = p[i];
        const ta = t[j];
        if (pa === undefined && ta === undefined) result = true;
        else if (pa?.kind === "star") result = meets(i + 1, j) || (ta !== undefined && meets(i, j + 1));
        else if (ta?.kind === "class" && ta.repeat)
            result = meets(i, j + 1) || (pa !== undefined && accepts(pa, ta) && meets(i + 1, j));
        else result = pa !== undefined && ta !== undefined && accepts(pa, ta) && meets(i + 1, j + 1);
        memo.set(key, result);
        return result;
    };
    return meets(0, 0);
}

/** Whether one pattern character can stand for one template character. */
function accepts(pa: Exclude<PatternAtom, { kind: "star" }>, ta: TemplateAtom): boolean {
    if (pa.kind === "any") return true;
    return ta.kind === "char" ? ta.char === pa.char : !ta.excluded.includes(pa.char);
}

/** Why an action cannot apply to a resource pattern, or undefined when it can. */
export function resourceProblem(action: string, resource: string): string | undefined {
    if (resource === "*") return undefined;
    const service = action.split(":")[0].toLowerCase();
    const types = actionResourceTypes(action);
    if (types === undefined)
        return `${action} is not in the action-to-resource-type table (tests/helpers/iamResourceTypes.ts); add it from ${SOURCES[service] ?? `the Service Authorization Reference page of "${service}"`}`;
    if (types.length === 0)
        return `${action} supports no resource-level permissions (Service Authorization Reference: ${SOURCES[service]}); only "Resource": "*" grants it, so ${resource} never applies`;
    const missing = types.filter((type) => RESOURCE_TYPES[type] === undefined);
    if (missing.length > 0)
        return `resource type ${missing.join(", ")} of ${action} is not in RESOURCE_TYPES; add its ARN format`;
    if (types.some((type) => RESOURCE_TYPES[type].arns.some((format) => patternMeetsArnFormat(resource, format))))
        return undefined;
    return `${action} applies to ${types.join(" or ")} (${types.flatMap((t) => RESOURCE_TYPES[t].arns).join(", ")}), and ${resource} names none of them`;
}

/**
 * The resource types of an action, a wildcard action (`s3:Get*`) standing for every listed action
 * it matches, and `service:*` for every resource type of the service. Undefined when unknown.
 */
export function actionResourceTypes(action: string): readonly string[] | undefined {
    // IAM reads action names without regard to case (`SNS:Publish` is `sns:Publish`).
    const known = KNOWN_ACTIONS.get(action.toLowerCase());
    if (!/[*?]/.test(action)) return known === undefined ? undefined : ACTION_RESOURCE_TYPES[known];
    const service = action.split(":")[0].toLowerCase();
    if (action.toLowerCase() === `${service}:*`) {
        const types = Object.keys(RESOURCE_TYPES).filter((type) => type.startsWith(`${service}:`));
        return types.length > 0 ? types : undefined;
    }
    const regex = new RegExp(
        `^${action
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
    const matched = Object.keys(ACTION_RESOURCE_TYPES).filter((name) => regex.test(name));
    if (matched.length === 0) return undefined;
    return [...new Set(matched.flatMap((name) => ACTION_RESOURCE_TYPES[name]))];
}
