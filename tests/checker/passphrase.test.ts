import { strict as assert } from "assert";
import { passphraseDecrypter } from "../../checker/program/passphrase";

// Test vectors from Pulumi's own sources, encrypted by the passphrase provider itself.
describe("the passphrase secrets provider", () => {
    it("accepts the passphrase of pkg/secrets/passphrase/manager_test.go's state, whose check value decrypts to 'pulumi'", async function () {
        this.timeout(30_000); // 1,000,000 rounds of PBKDF2, on a busy machine
        const decrypt = await passphraseDecrypter(
            "password",
            "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==",
        );
        assert.equal(decrypt("v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ=="), "pulumi");
    });

    it("decrypts the secure value of tests/roundtrip/roundtrip_test.go with its stack's salt and passphrase", async function () {
        this.timeout(30_000);
        const decrypt = await passphraseDecrypter(
            "TestConfigRoundtripComments",
            "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==",
        );
        assert.equal(decrypt("v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA=="), "secret-value");
        assert.throws(() => decrypt("v1:T1ftqhY0hqr+EJK6:AAAA5PMecFx80tcavzuZY4tLatgIfoe/xR72GA=="), /auth/i);
    });

    it("refuses a state that is not the provider's v1 format, without deriving a key", async () => {
        await assert.rejects(passphraseDecrypter("password", "fozI5u6B030=:v1:x:y"), /not a v1 passphrase state/);
    });
});
