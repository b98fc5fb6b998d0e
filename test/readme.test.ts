import fs from "node:fs";
import { configMarkdownTable } from "../src/config/config";

describe("README", () => {
  const readme = fs.readFileSync("README.md", "utf8");

  it("documents every configuration variable exactly as the config object defines it", () => {
    const table = readme.split("<!-- config-table")[1].split("<!-- /config-table -->")[0].split("\n").slice(1).join("\n").trim();
    expect(table).toBe(configMarkdownTable());
  });

  it("gives the test command that .ci/run calls", () => {
    expect(readme).toContain("npm install --no-audit --no-fund && npm test");
    expect(fs.readFileSync(".ci/run", "utf8")).toContain("npm install --no-audit --no-fund && npm test");
  });
});
