/**
 * Pulumi's marker for a value not known until the resource is deployed (e.g. an IPAM-allocated
 * CIDR, or any output of a resource not created yet at preview). The engine and every SDK write
 * this string in its place: `unknownValue` in @pulumi/pulumi's runtime/rpc.ts and
 * `UnknownStringValue` in the engine's plugin/rpc.go. Written here as a literal so the shared
 * model needs no Pulumi runtime; a test holds it equal to the SDK's.
 */
export const PULUMI_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
