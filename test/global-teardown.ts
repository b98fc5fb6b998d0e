import fs from "node:fs";

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __sessiongraphPg?: { stop(): Promise<void> }; __sessiongraphDir?: string };
  await state.__sessiongraphPg?.stop();
  if (state.__sessiongraphDir) fs.rmSync(state.__sessiongraphDir, { recursive: true, force: true });
}
