/** Somewhere to write text, such as `process.stdout`. */
export interface Writable {
  write(text: string): unknown;
}

/** Line-oriented output of a command: results on stdout, the rest on stderr. */
export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
}

export function lineOutput(stdout: Writable, stderr: Writable): Output {
  return {
    stdout: line => stdout.write(`${line}\n`),
    stderr: line => stderr.write(`${line}\n`),
  };
}
