import { strict as assert } from "assert";
import { engineUrn, qualifiedType } from "../../checker/program/engineUrn";
import { AWS_TYPES } from "../../model/awsTypes";

// The engine's rule: sdk/go/common/urn/urn.go `New` with the parent's QualifiedType(), except the
// root stack's (pkg/resource/deploy/deployment.go `generateURN`).
const cases: { name: string; parent: string; type: string; urn: string }[] = [
    {
        name: "a resource without a parent has its own type only",
        parent: "",
        type: AWS_TYPES.vpc,
        urn: "urn:pulumi:dev::web::aws:ec2/vpc:Vpc::main",
    },
    {
        name: "a child of the root stack has its own type only",
        parent: "urn:pulumi:dev::web::pulumi:pulumi:Stack::web-dev",
        type: AWS_TYPES.vpc,
        urn: "urn:pulumi:dev::web::aws:ec2/vpc:Vpc::main",
    },
    {
        name: "a grandchild keeps its parent's whole qualified type, not only the last",
        parent: "urn:pulumi:dev::web::acme:web:WebServer$acme:web:Firewall::www-firewall",
        type: AWS_TYPES.securityGroup,
        urn: "urn:pulumi:dev::web::acme:web:WebServer$acme:web:Firewall$aws:ec2/securityGroup:SecurityGroup::main",
    },
];

describe("URNs as the engine forms them", () => {
    for (const c of cases) it(c.name, () => assert.equal(engineUrn("dev", "web", c.parent, c.type, "main"), c.urn));

    it("reads the qualified type of a URN whose name holds '::'", () => {
        assert.equal(qualifiedType("urn:pulumi:dev::web::a:b:C$d:e:F::odd::name"), "a:b:C$d:e:F");
    });
});
