/**
 * The default availability zone: the region's first zone (in the order AWS lists them) that offers
 * the instance type. Zone names map to different physical zones in each account, and not every
 * zone offers every type (t3.micro is missing from some), so the choice is made from the
 * account's own answers rather than from a fixed letter.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceTypeOfferings.html
 */
export function firstZoneOffering(
    zones: readonly string[],
    offeredIn: readonly string[],
    instanceType: string,
): string {
    const offered = new Set(offeredIn);
    const zone = zones.find((name) => offered.has(name));
    if (zone === undefined) {
        throw new Error(
            `no availability zone of the region (${zones.join(", ") || "none listed"}) offers ${instanceType}; set pingHosts.instanceType to a type the region offers, or vpcs.<name>.availabilityZone`,
        );
    }
    return zone;
}
