import { z } from "zod";

/**
 * Stack config of the peering between the two VPCs. Both settings exist to replay the seeds'
 * failing ping without editing code: switch one off, `pulumi up`, and the ping goes unanswered;
 * switch it back on, `pulumi up`, and it is answered. The other resources keep their URNs either way.
 */

/** The defaults: the connection with its routes, the working architecture. */
export const PEERING_DEFAULTS = { enabled: true, routes: true } as const;

export const PeeringConfigSchema = z.strictObject({
    /** false: the two VPCs without their peering connection (the seeds' first failing ping). */
    enabled: z.boolean().default(PEERING_DEFAULTS.enabled),
    /** false: the connection without a route to it on either side (the seeds' second failing ping). */
    routes: z.boolean().default(PEERING_DEFAULTS.routes),
});
