// Prints one closing line for the whole suite, "N passed, N failed, N skipped",
// from the Jest JSON reports (the main run and the reliability run) and the
// Playwright JSON report, and fails when a report is missing or counts no
// test at all.
//
//   node scripts/test-summary.mjs <jest.json>... <playwright.json>
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const files = process.argv.slice(2);
if (files.length < 2) {
  console.error(
    'usage: test-summary.mjs <jest-report.json>... <playwright-report.json>',
  );
  process.exit(2);
}
const jestFiles = files.slice(0, -1);
const playwrightFile = files[files.length - 1];

function readReport(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.error(`test-summary: no report in ${file} (${error.message})`);
    return undefined;
  }
}

// A missing report counts as one failed test, so that it cannot pass silently.
const jestReports = jestFiles.map(file => ({
  name: basename(file, '.json'),
  report: readReport(file) ?? {
    numPassedTests: 0,
    numFailedTests: 1,
    numPendingTests: 0,
  },
}));
const pw = readReport(playwrightFile) ?? {
  stats: { expected: 0, unexpected: 1, flaky: 0, skipped: 0 },
};

const sum = key => jestReports.reduce((n, j) => n + (j.report[key] ?? 0), 0);
const passed =
  sum('numPassedTests') + (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
const failed = sum('numFailedTests') + (pw.stats.unexpected ?? 0);
const skipped =
  sum('numPendingTests') + sum('numTodoTests') + (pw.stats.skipped ?? 0);

const jestParts = jestReports.map(
  ({ name, report }) =>
    `${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
);
console.log(
  `\n${jestParts.join('; ')}; ` +
    `Playwright: ${pw.stats.expected} passed, ${pw.stats.unexpected} failed, ${pw.stats.flaky} flaky`,
);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
