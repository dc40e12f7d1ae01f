import * as crypto from "crypto";
import { promisify } from "util";

/**
 * The passphrase secrets provider, as Pulumi implements it (`pkg/secrets/passphrase/manager.go`,
 * `sdk/go/common/resource/config/crypt.go`): the stack file's `encryptionsalt` is
 * `v1:<base64 salt>:<a v1 ciphertext of "pulumi">`; the key is PBKDF2-SHA256 of the passphrase and
 * salt, 1,000,000 iterations, 32 bytes; each `secure:` value is `v1:<base64 12-byte nonce>:<base64
 * AES-256-GCM ciphertext with its 16-byte tag>`. A wrong passphrase fails the check value.
 */

const pbkdf2 = promisify(crypto.pbkdf2);
const keys = new Map<string, Promise<Buffer>>();

/** PBKDF2 is deliberately slow (about a second); derive each key once per process. */
function keyOf(passphrase: string, salt: Buffer): Promise<Buffer> {
    const id = `${salt.toString("base64")}\0${passphrase}`;
    let key = keys.get(id);
    if (!key) keys.set(id, (key = pbkdf2(passphrase, salt, 1_000_000, 32, "sha256")));
    return key;
}

function open(key: Buffer, ciphertext: string): string {
    const [version, nonce, sealed, ...rest] = ciphertext.split(":");
    if (version !== "v1" || !nonce || !sealed || rest.length > 0) throw new Error("bad value: not a v1 ciphertext");
    const bytes = Buffer.from(sealed, "base64");
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
}

export type Decrypt = (ciphertext: string) => string;

/** A decrypter for the stack's `encryptionsalt`; rejects when the passphrase is not the stack's. */
export async function passphraseDecrypter(passphrase: string, encryptionSalt: string): Promise<Decrypt> {
    const parts = encryptionSalt.split(":");
    if (parts.length < 3 || parts[0] !== "v1") throw new Error("encryptionsalt is not a v1 passphrase state");
    const key = await keyOf(passphrase, Buffer.from(parts[1], "base64"));
    let check: string | undefined;
    try {
        check = open(key, parts.slice(2).join(":"));
    } catch {
        check = undefined;
    }
    if (check !== "pulumi") throw new Error("incorrect passphrase");
    return (ciphertext) => open(key, ciphertext);
}
