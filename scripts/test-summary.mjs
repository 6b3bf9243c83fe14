// Prints, at the very end of a CI run, every failed test with the first line
// of its error, then one closing line for the whole suite, "N passed, N failed,
// N skipped", from the Jest JSON reports (the main run and the reliability run)
// and the Playwright JSON report. Fails when a report is missing or counts no
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

const ANSI = /\u001b\[[0-9;]*m/g;

/** The first line of an error that says something (not blank, not "Error:"). */
export function firstErrorLine(text) {
  const lines = String(text ?? '')
    .replace(ANSI, '')
    .split('\n')
    .map(line => line.trim())
    .filter(
      line =>
        line && line !== 'Error:' && !line.startsWith('● Test suite failed'),
    );
  return lines[0] ?? '(no error message)';
}

/** Every failed test of a Jest JSON report, and every suite that failed to run. */
export function jestFailures(name, report) {
  const failures = [];
  for (const suite of report.testResults ?? []) {
    const file = suite.name ?? suite.testFilePath ?? '(unknown file)';
    const failedTests = (suite.assertionResults ?? []).filter(
      a => a.status === 'failed',
    );
    for (const test of failedTests) {
      failures.push({
        where: `${name} ${file}`,
        test: test.fullName ?? test.title,
        error: firstErrorLine((test.failureMessages ?? [])[0]),
      });
    }
    if (failedTests.length === 0 && suite.status === 'failed') {
      failures.push({
        where: `${name} ${file}`,
        test: '(the test file did not run)',
        error: firstErrorLine(suite.message),
      });
    }
  }
  return failures;
}

/** Every Playwright test whose final outcome is a failure, with its first error. */
export function playwrightFailures(report) {
  const failures = [];
  const visit = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') {
          continue;
        }
        const results = test.results ?? [];
        const errors = results.flatMap(r =>
          r.error ? [r.error] : r.errors ?? [],
        );
        failures.push({
          where: `Playwright ${spec.file ?? suite.file ?? ''}`,
          test: [...titles, spec.title].filter(Boolean).join(' › '),
          error: errors
            .map(e => firstErrorLine(e.message ?? e.value))
            .join(' | retry: '),
        });
      }
    }
    for (const child of suite.suites ?? []) {
      visit(child, [...titles, child.title === child.file ? '' : child.title]);
    }
  };
  for (const suite of report.suites ?? []) {
    visit(suite, []);
  }
  // Errors outside any test: the global setup, a file that did not load.
  for (const error of report.errors ?? []) {
    failures.push({
      where: 'Playwright',
      test: '(outside any test)',
      error: firstErrorLine(error.message ?? error.value),
    });
  }
  return failures;
}

const failures = [
  ...jestReports.flatMap(({ name, report }) => jestFailures(name, report)),
  ...playwrightFailures(pw),
];
if (failures.length > 0) {
  console.log(`\nFailed tests (${failures.length}):`);
  for (const failure of failures) {
    console.log(
      `  ✗ ${failure.where}\n      ${failure.test}\n      ${failure.error}`,
    );
  }
}

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
