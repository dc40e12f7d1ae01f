import { strict as assert } from "assert";
import { analyzeReachability, ReachabilityResult } from "../../model/reachability";
import { AWS_TYPES } from "../../model/awsTypes";
import {
    devConfig,
    devStackRun,
    fromRecorded,
    ProgramRun,
    registrationsOf,
    runInfraProgram,
    withConfig,
} from "../helpers/pulumi";
import { parentsOf } from "../helpers/registrations";

/** Instance 1's echo request to instance 2, as the reachability model judges the run's resources. */
function firstPing(run: ProgramRun): ReachabilityResult {
    const { vpc1, vpc2 } = run.outputs.privateIps;
    const results = analyzeReachability(fromRecorded(run.resources));
    const found = results.filter((r) => r.from.privateIp === vpc1 && r.to.privateIp === vpc2);
    assert.equal(found.length, 1);
    return found[0];
}

/** The seeds' two failing pings, replayed by stack config alone (README: "Reproduce the seeds' ping test"). */
interface Setting {
    readonly what: string;
    /** The `peering` key; undefined for the default, the dev stack's own. */
    readonly peering?: object;
    readonly verdict: "blocked" | "reachable";
    readonly reason: RegExp;
    /** What the setting removes from the dev stack, and nothing else. */
    readonly gone: readonly string[];
}

const settings: Setting[] = [
    {
        what: "peering.enabled: false, the VPCs without their peering connection",
        peering: { enabled: false },
        verdict: "blocked",
        reason: /\(vpc1-public-rt\) of subnet .* has no route to 10\.2\.0\.\d+ \(only 0\.0\.0\.0\/0 to internet gateway/,
        gone: [
            "vpc-flow-monitoring:network:VpcPeering vpc1-vpc2",
            `${AWS_TYPES.peering} vpc1-vpc2-pcx`,
            `${AWS_TYPES.route} vpc1-vpc2-vpc1-to-vpc2-0`,
            `${AWS_TYPES.route} vpc1-vpc2-vpc2-to-vpc1-0`,
        ],
    },
    {
        what: "peering.routes: false, the connection without its routes",
        peering: { routes: false },
        verdict: "blocked",
        reason: /\(vpc1-public-rt\) of subnet .* has no route to 10\.2\.0\.\d+/,
        gone: [`${AWS_TYPES.route} vpc1-vpc2-vpc1-to-vpc2-0`, `${AWS_TYPES.route} vpc1-vpc2-vpc2-to-vpc1-0`],
    },
    {
        what: "both back on (the default, as in Pulumi.dev.yaml), the answered ping",
        verdict: "reachable",
        reason: /10\.2\.0\.0\/16 -> pcx-\w+/,
        gone: [],
    },
];

describe("replaying the seeds' failing ping by stack config", () => {
    let dev: ReadonlyMap<string, string>;

    before(async () => {
        dev = parentsOf(registrationsOf((await devStackRun()).mocks));
    });

    for (const setting of settings) {
        describe(setting.what, () => {
            let run: ProgramRun;

            before(async () => {
                // The default is the dev stack's own setting: its shared run serves.
                run = setting.peering
                    ? await runInfraProgram(withConfig(devConfig(), "peering", () => setting.peering))
                    : await devStackRun();
            });

            it(`leaves instance 1's ping ${setting.verdict}`, () => {
                const ping = firstPing(run);
                assert.equal(ping.verdict, setting.verdict, ping.reason);
                assert.match(ping.reason, setting.reason);
            });

            it("removes only the peering's resources, and changes no other resource's URN", () => {
                const toggled = parentsOf(registrationsOf(run.mocks));
                const moved = [...toggled].filter(([identity, parent]) => dev.get(identity) !== parent);
                assert.deepEqual(moved, [], "every resource keeps its type, name and parent");
                assert.deepEqual(
                    [...dev.keys()].filter((identity) => !toggled.has(identity)).sort(),
                    [...setting.gone].sort(),
                );
            });
        });
    }
});
