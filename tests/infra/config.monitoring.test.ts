import { strict as assert } from "assert";
import { parseStackConfig } from "../../infra/config";
import { configProblems, onlyConfigProblem, rawConfig, TWO_VPCS } from "../helpers/config";
import { PROJECT, withoutFlowLogs } from "../helpers/pulumi";

const NS = PROJECT;
const onlyProblem = (monitoring: unknown) => onlyConfigProblem({ vpcs: TWO_VPCS, monitoring });

describe("stack config: monitoring", () => {
    it("is off unless a stack asks for it, with alarm defaults from one place", () => {
        const { monitoring } = parseStackConfig(rawConfig({ vpcs: TWO_VPCS }), NS);
        assert.deepEqual(monitoring, {
            enabled: false,
            rejectedFlowsAlarm: { threshold: 100, periodSeconds: 300, evaluationPeriods: 3 },
            pingStoppedAlarm: { enabled: false, periodSeconds: 300, evaluationPeriods: 3 },
            alarmEmails: [],
        });
    });

    it("accepts alarms, periods and addresses CloudWatch and SNS take", () => {
        const { monitoring } = parseStackConfig(
            rawConfig({
                vpcs: TWO_VPCS,
                monitoring: {
                    enabled: true,
                    rejectedFlowsAlarm: { threshold: 0.5, periodSeconds: 3600, evaluationPeriods: 168 },
                    pingStoppedAlarm: { enabled: true, periodSeconds: 60, evaluationPeriods: 1440 },
                    alarmEmails: ["ops@example.com", "first.last+alerts@sub.example.org"],
                },
            }),
            NS,
        );
        assert.equal(monitoring.pingStoppedAlarm.enabled, true);
        assert.equal(monitoring.alarmEmails.length, 2);
    });

    describe("rejects, naming the key and its value", () => {
        const cases = [
            {
                name: "a threshold of zero",
                monitoring: { rejectedFlowsAlarm: { threshold: 0 } },
                problem: `${NS}:monitoring.rejectedFlowsAlarm.threshold = 0: a threshold must be positive`,
            },
            {
                name: "a negative threshold",
                monitoring: { rejectedFlowsAlarm: { threshold: -5 } },
                problem: `${NS}:monitoring.rejectedFlowsAlarm.threshold = -5: a threshold must be positive`,
            },
            {
                name: "a period CloudWatch does not accept",
                monitoring: { rejectedFlowsAlarm: { periodSeconds: 90 } },
                problem: `${NS}:monitoring.rejectedFlowsAlarm.periodSeconds = 90: not a period CloudWatch alarms accept (10, 20, 30 or a multiple of 60)`,
            },
            {
                name: "a sub-minute period, which only high-resolution metrics support",
                monitoring: { pingStoppedAlarm: { periodSeconds: 30 } },
                problem: `${NS}:monitoring.pingStoppedAlarm.periodSeconds = 30: sub-minute periods need high-resolution metrics, and metric filters publish one-minute data; use a multiple of 60`,
            },
            {
                name: "zero evaluation periods",
                monitoring: { rejectedFlowsAlarm: { evaluationPeriods: 0 } },
                problem: `${NS}:monitoring.rejectedFlowsAlarm.evaluationPeriods = 0: must be 1 or more`,
            },
            {
                name: "an evaluation longer than CloudWatch's one day for periods under an hour",
                monitoring: { rejectedFlowsAlarm: { periodSeconds: 600, evaluationPeriods: 145 } },
                problem: `${NS}:monitoring.rejectedFlowsAlarm.evaluationPeriods = 145: times periodSeconds 600 spans 87000 s; CloudWatch evaluates at most 86400 s for periods under an hour`,
            },
            {
                name: "an evaluation of the default period that is too long",
                monitoring: { pingStoppedAlarm: { evaluationPeriods: 300 } },
                problem: `${NS}:monitoring.pingStoppedAlarm.evaluationPeriods = 300: times periodSeconds 300 spans 90000 s; CloudWatch evaluates at most 86400 s for periods under an hour`,
            },
            {
                name: "an address that is no email address",
                monitoring: { alarmEmails: ["ops@example.com", "ops at example.com"] },
                problem: `${NS}:monitoring.alarmEmails[1] = "ops at example.com": not an email address`,
            },
            {
                name: "a misspelled key",
                monitoring: { alarmEmail: ["ops@example.com"] },
                problem: `${NS}:monitoring.alarmEmail = ["ops@example.com"]: unknown key; did you mean alarmEmails?`,
            },
        ];
        for (const c of cases)
            it(c.name, () => assert.equal(onlyProblem({ enabled: true, ...c.monitoring }), c.problem));

        it("monitoring on while every VPC's flow logs are off, naming both keys", () => {
            const vpcs = withoutFlowLogs(TWO_VPCS);
            assert.deepEqual(configProblems({ vpcs, monitoring: { enabled: true } }), [
                `${NS}:monitoring.enabled = true: needs flow logs, but vpcs.vpc1.flowLogs and vpcs.vpc2.flowLogs are all false; set one of them to true, or monitoring.enabled to false`,
            ]);
        });
    });

    it("lets monitoring off coexist with flow logs off, and on with one VPC recorded", () => {
        const off = withoutFlowLogs(TWO_VPCS);
        assert.doesNotThrow(() => parseStackConfig(rawConfig({ vpcs: off }), NS));
        const one = { ...off, vpc2: TWO_VPCS.vpc2 };
        assert.doesNotThrow(() => parseStackConfig(rawConfig({ vpcs: one, monitoring: { enabled: true } }), NS));
    });
});
