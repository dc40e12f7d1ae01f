import * as aws from "./lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameTags, typeToken } from "./lib/component";
import { defaultAmiParameter, PING_HOST_DEFAULTS, pingHostArgsProblems } from "./lib/pingHostArgs";
import { ec2TrustPolicy } from "../model/iamDocuments";

/** ICMP type of an echo request; replies return through the security group's connection tracking. */
export const ICMP_ECHO_REQUEST = 8;

export interface PingHostSshArgs {
    /** Blocks SSH (TCP 22) may come from; at least one, never the whole internet. */
    readonly allowedCidrs: readonly string[];
    /**
     * An existing EC2 key pair for the instance.
     * @default none: use EC2 Instance Connect or Session Manager
     */
    readonly keyPairName?: string;
}

export interface PingHostArgs {
    /** The VPC the host lives in. */
    readonly vpcId: pulumi.Input<string>;
    /** The public subnet the host is launched in. */
    readonly subnetId: pulumi.Input<string>;
    /**
     * Blocks allowed to ping the host, and that the host may ping: the peer VPCs. Never `0.0.0.0/0`.
     * Plain strings: one rule per block.
     */
    readonly peerCidrBlocks: readonly string[];
    /**
     * Instance type; its architecture must match `amiParameter`'s.
     * @default "t3.micro"
     */
    readonly instanceType?: string;
    /**
     * Public SSM parameter that names the AMI, resolved at deploy time (no hard-coded AMI id).
     * @default Amazon Linux 2023 for the instance type's architecture ("…/al2023-ami-kernel-default-x86_64" or "…-arm64")
     * @see https://docs.aws.amazon.com/linux/al2023/ug/ec2.html#launch-via-aws-cli
     */
    readonly amiParameter?: string;
    /**
     * SSH access. Off unless given: the ping test runs through Session Manager.
     * @default undefined (no SSH rule, no key pair)
     */
    readonly ssh?: PingHostSshArgs;
    /**
     * Tags for every resource of the component; each also gets a `Name`.
     * @default {}
     */
    readonly tags?: Record<string, string>;
}

/**
 * An Amazon Linux 2023 instance that can ping, and be pinged by, the peer VPCs over private
 * addresses, and that operators reach through Session Manager: no keys, no open ports.
 */
export class PingHost extends pulumi.ComponentResource {
    /** The instance's id, the target of `aws ssm start-session`. */
    public readonly instanceId: pulumi.Output<string>;
    /** The instance's private IPv4 address, the one the peer pings. */
    public readonly privateIp: pulumi.Output<string>;
    /** The instance's security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The instance role's name, to attach further permissions (e.g. to one S3 bucket). */
    public readonly roleName: pulumi.Output<string>;
    /** The instance role's ARN. */
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: PingHostArgs, opts: pulumi.ComponentResourceOptions = {}) {
        const problems = pingHostArgsProblems(args);
        if (problems.length > 0) throw new Error(`PingHost ${name}: ${problems.join("; ")}`);
        super(typeToken("compute", "PingHost"), name, {}, opts);
        const tags = args.tags ?? {};
        const instanceType = args.instanceType ?? PING_HOST_DEFAULTS.instanceType;

        const securityGroup = this.securityGroup(name, args, tags);
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `Instance role of ${name}: Session Manager only`,
                assumeRolePolicy: JSON.stringify(ec2TrustPolicy()),
                tags: nameTags(`${name}-role`, tags),
            },
            { parent: this },
        );
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        new aws.iam.RolePolicyAttachment(
            `${name}-ssm-core`,
            {
                role: role.name,
                policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
            },
            { parent: role },
        );
        const profile = new aws.iam.InstanceProfile(
            `${name}-profile`,
            { role: role.name, tags: nameTags(`${name}-profile`, tags) },
            { parent: role },
        );

        const ami = aws.ssm.getParameterOutput(
            { name: args.amiParameter ?? defaultAmiParameter(instanceType) },
            { parent: this },
        );
        const instance = new aws.ec2.Instance(
            `${name}-instance`,
            {
                ami: ami.value,
                instanceType,
                subnetId: args.subnetId,
                vpcSecurityGroupIds: [securityGroup.id],
                iamInstanceProfile: profile.name,
                // Session Manager's agent reaches its public endpoints through the internet gateway.
                associatePublicIpAddress: true,
                keyName: args.ssh?.keyPairName,
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true, volumeType: "gp3", deleteOnTermination: true },
                tags: nameTags(name, tags),
            },
            // A newer AMI behind the parameter must not replace a running host on every `up`:
            // replace it on purpose with `pulumi up --replace <urn>`.
            { parent: this, ignoreChanges: ["ami"] },
        );

        this.instanceId = instance.id;
        this.privateIp = instance.privateIp;
        this.securityGroupId = securityGroup.id;
        this.roleName = role.name;
        this.roleArn = role.arn;
        this.registerOutputs({
            instanceId: this.instanceId,
            privateIp: this.privateIp,
            securityGroupId: this.securityGroupId,
            roleName: this.roleName,
        });
    }

    /** ICMP echo from and to each peer block; HTTPS out for Session Manager and dnf; SSH only if asked. */
    private securityGroup(name: string, args: PingHostArgs, tags: Record<string, string>): aws.ec2.SecurityGroup {
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `${name}: ICMP echo from peer VPCs, HTTPS out`,
                tags: nameTags(`${name}-sg`, tags),
            },
            { parent: this },
        );
        args.peerCidrBlocks.forEach((cidrIpv4, index) => {
            const echo = {
                securityGroupId: group.id,
                cidrIpv4,
                ipProtocol: "icmp",
                fromPort: ICMP_ECHO_REQUEST,
                toPort: -1,
            };
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-icmp-in-${index}`,
                { ...echo, description: "ICMP echo request from a peer VPC" },
                { parent: group },
            );
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-icmp-out-${index}`,
                { ...echo, description: "ICMP echo request to a peer VPC" },
                { parent: group },
            );
        });
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-https-out`,
            {
                securityGroupId: group.id,
                cidrIpv4: "0.0.0.0/0",
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS to Session Manager, S3 and the Amazon Linux repositories",
            },
            { parent: group },
        );
        (args.ssh?.allowedCidrs ?? []).forEach((cidrIpv4, index) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-ssh-in-${index}`,
                {
                    securityGroupId: group.id,
                    cidrIpv4,
                    ipProtocol: "tcp",
                    fromPort: 22,
                    toPort: 22,
                    description: "SSH from an allowed network",
                },
                { parent: group },
            );
        });
        return group;
    }
}
