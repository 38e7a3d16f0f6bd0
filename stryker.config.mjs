// Mutation testing (npm run mutate; too slow for every CI run): StrykerJS mutates core/policy.ts,
// core/runner.ts, core/outcome.ts and the checks, builds the sandbox with tsc, and runs the unit
// tests under Node's test runner through the tap runner. A mutant the tests do not kill is a
// behaviour no test states. scripts/mutate.sh runs it per group (core, checks), each against its
// own unit tests, and narrows `mutate` to the files given on its command line.
const group = process.env.MMGATE_MUTATE_GROUP === 'core' ? 'core' : 'checks';
const files = process.env.MMGATE_MUTATE?.split(',').filter(Boolean);
const GROUPS = {
  // outcome.ts is what every check returns through: node-readiness's test covers it.
  core: { mutate: ['core/policy.ts', 'core/runner.ts', 'core/outcome.ts'], tests: ['dist/core/**/*.test.js', 'dist/checks/pre/node-readiness.test.js'] },
  // metrics-fixtures.ts builds test inputs: not a check.
  checks: { mutate: ['checks/**/*.ts', '!checks/**/*.test.ts', '!checks/index.ts', '!checks/fixtures.ts', '!checks/metrics-fixtures.ts'], tests: ['dist/checks/**/*.test.js'] },
};

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: files?.length ? files : GROUPS[group].mutate,
  testRunner: 'tap',
  tap: {
    // Unit tests only: the end-to-end tests (lab, kubectl, Chromium) take minutes per mutant.
    testFiles: GROUPS[group].tests,
  },
  buildCommand: 'npx tsc -p tsconfig.mutate.json',
  // The TypeScript checker drops mutants that do not compile (they are not behaviour). It type-checks
  // the project per mutant group, several times slower than the tests on a small machine:
  // MMGATE_MUTATE_TYPES=0 runs without it (mutants that do not type-check then run as JavaScript).
  checkers: process.env.MMGATE_MUTATE_TYPES === '0' ? [] : ['typescript'],
  tsconfigFile: 'tsconfig.mutate.json',
  coverageAnalysis: 'perTest',
  // In checks, string mutants are the texts of findings (messages, remediations): about half of all
  // mutants, and what they test is wording. Left out there, so the run measures what checks decide.
  ...(group === 'checks' ? { mutator: { excludedMutations: ['StringLiteral'] } } : {}),
  // Module-level mutants (check meta, option schemas) run every test file each: left out so the run
  // finishes on a small machine. What a check decides is in its evaluate function.
  ignoreStatic: true,
  ignorePatterns: ['dist', 'mmgate-report', 'reports', 'test-results', '.stryker-tmp', '.cache', 'mmgate-lab'],
  incremental: true,
  incrementalFile: `reports/stryker-incremental-${group}.json`,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${group}.json` },
  htmlReporter: { fileName: `reports/mutation/${group}.html` },
  concurrency: Number(process.env.MMGATE_MUTATE_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
