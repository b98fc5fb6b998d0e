import fs from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config/config";
import { newSigningKeySpec, parseSigningKeys, type SigningKeys } from "../shared/signing";

/**
 * The URL signing keys: SIGNING_KEYS when set; otherwise one key generated on first start and
 * kept in DATA_DIR/signing-keys (mode 0600), so links stay valid across restarts of a single
 * instance. Several instances must share SIGNING_KEYS.
 */
export async function loadSigningKeys(config: Config): Promise<SigningKeys> {
  if (config.signingKeys.length > 0) return parseSigningKeys(config.signingKeys.join(","), config.signingKeyId);
  const file = path.join(config.dataDir, "signing-keys");
  let spec = (await fs.readFile(file, "utf8").catch(() => "")).trim();
  if (!spec) {
    spec = newSigningKeySpec("local1");
    await fs.mkdir(config.dataDir, { recursive: true });
    await fs.writeFile(file, spec + "\n", { mode: 0o600 });
  }
  return parseSigningKeys(spec, config.signingKeyId);
}
