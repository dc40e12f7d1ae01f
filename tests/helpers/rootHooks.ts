import { checkerRuns, removeCheckerRuns } from "./checkerRuns";

/** Mocha root hooks: the checker's end-to-end runs start first and overlap the other tests. */
export const mochaHooks = {
    beforeAll(): void {
        // Awaited by the tests that read them; a failure surfaces there, not here.
        checkerRuns().catch(() => undefined);
    },
    async afterAll(): Promise<void> {
        await removeCheckerRuns();
    },
};
