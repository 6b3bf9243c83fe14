import { Config } from '@backstage/config';
import {
  checkTemplateSet,
  GateTemplate,
  parseGateTemplate,
} from '@release-readiness/plugin-common';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';

/**
 * Reads and validates the gate templates listed in
 * `releaseReadiness.templates`. Any problem throws, so that a bad template
 * stops the backend at start-up instead of surfacing on a release day.
 */
export async function loadTemplates(
  config: Config,
  options: { baseDir?: string } = {},
): Promise<GateTemplate[]> {
  const baseDir = options.baseDir ?? process.cwd();
  const files =
    config.getOptionalStringArray('releaseReadiness.templates') ?? [];
  const templates: GateTemplate[] = [];
  for (const [index, file] of files.entries()) {
    const path = resolve(baseDir, file);
    let content: string;
    try {
      content = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(
        `releaseReadiness.templates[${index}]: cannot read gate template ${file} (${path}): ${
          (error as Error).message
        }`,
      );
    }
    const hash = createHash('sha256').update(content).digest('hex');
    templates.push(
      parseGateTemplate(content, relative(baseDir, path) || file, hash),
    );
  }
  checkTemplateSet(templates);
  return templates;
}
