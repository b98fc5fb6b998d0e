// Runs the import-boundary lint over `<dir>/src` for each dir given, in one process, the way
// `npm run lint` does from `<dir>` (the config's paths and tsconfig.json are relative to the cwd).
// Used by test/lint.test.ts: dependency-cruiser is ESM-only and jest runs CommonJS, and one process
// for all fixtures keeps the test fast.
//
//   node test/support/depcruise.mjs <config> <dir>...   → JSON [{ dir, errors, violations }]
//
// `errors` is what `depcruise --output-type err` (the lint script) exits with: the number of errors.
import path from "node:path";
import { cruise } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

const [configArgument, ...dirs] = process.argv.slice(2);
const config = path.resolve(configArgument);
const results = [];
for (const dir of dirs) {
  process.chdir(dir);
  const options = await extractDepcruiseOptions(config);
  const tsConfig = options.tsConfig?.fileName ? extractTSConfig(path.resolve(options.tsConfig.fileName)) : {};
  const { output } = await cruise(["src"], options, {}, { tsConfig });
  results.push({
    dir,
    errors: output.summary.error,
    violations: output.summary.violations.map((v) => ({ rule: v.rule.name, severity: v.rule.severity, from: v.from, to: v.to })),
  });
}
process.stdout.write(JSON.stringify(results));
