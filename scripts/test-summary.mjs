// Prints one closing line for the whole suite, "N passed, N failed", from the
// Jest and Playwright JSON reports, and fails when a report is missing or
// counts no test at all.
import { readFileSync } from 'node:fs';

const [jestFile, playwrightFile] = process.argv.slice(2);
function readReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`test-summary: no report in ${file} (${error.message})`);
    return undefined;
  }
}

const jest = readReport(jestFile) ?? {
  numPassedTests: 0,
  numFailedTests: 1,
  numPendingTests: 0,
};
const pw = readReport(playwrightFile) ?? {
  stats: { expected: 0, unexpected: 1, flaky: 0, skipped: 0 },
};

const passed =
  jest.numPassedTests + (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
const failed = jest.numFailedTests + (pw.stats.unexpected ?? 0);
const skipped = jest.numPendingTests + (pw.stats.skipped ?? 0);

console.log(
  `\nJest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed; ` +
    `Playwright: ${pw.stats.expected} passed, ${pw.stats.unexpected} failed, ${pw.stats.flaky} flaky`,
);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
