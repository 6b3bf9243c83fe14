import { Config } from '@backstage/config';
import {
  ReleaseWindow,
  validateWindow,
} from '@release-readiness/plugin-common';

/**
 * Reads `releaseReadiness.windows`. A window that is not valid stops the
 * backend at start-up, naming it and the field that is wrong.
 */
export function loadWindows(config: Config): ReleaseWindow[] {
  const entries =
    config.getOptionalConfigArray('releaseReadiness.windows') ?? [];
  const windows = entries.map((entry, index): ReleaseWindow => {
    const scope = entry.getOptionalConfig('scope');
    const window: ReleaseWindow = {
      id: entry.getString('id'),
      name: entry.getString('name'),
      ...(entry.getOptionalString('description')
        ? { description: entry.getString('description') }
        : {}),
      kind: entry.getString('kind') as ReleaseWindow['kind'],
      ...(entry.getOptionalString('cron')
        ? { cron: entry.getString('cron') }
        : {}),
      ...(entry.getOptionalString('duration')
        ? { duration: entry.getString('duration') }
        : {}),
      ...(entry.getOptionalString('timezone')
        ? { timezone: entry.getString('timezone') }
        : {}),
      ...(entry.getOptionalString('from')
        ? { from: entry.getString('from') }
        : {}),
      ...(entry.getOptionalString('to') ? { to: entry.getString('to') } : {}),
      scope: {
        ...(scope?.getOptionalBoolean('all') ? { all: true } : {}),
        ...(scope?.getOptionalStringArray('systems')
          ? { systems: scope.getStringArray('systems') }
          : {}),
        ...(scope?.getOptionalStringArray('entities')
          ? { entities: scope.getStringArray('entities') }
          : {}),
        ...(scope?.getOptionalStringArray('tags')
          ? { tags: scope.getStringArray('tags') }
          : {}),
      },
      approvers: entry.getOptionalStringArray('approvers') ?? [],
      source: 'config',
    };
    const problems = [
      ...(['freeze', 'train'].includes(window.kind)
        ? []
        : [`kind: must be freeze or train, not "${window.kind}"`]),
      ...validateWindow(window),
    ];
    if (problems.length) {
      throw new Error(
        problems
          .map(p => `releaseReadiness.windows[${index}] (${window.id}).${p}`)
          .join('\n'),
      );
    }
    return window;
  });
  const ids = new Set<string>();
  for (const window of windows) {
    if (ids.has(window.id)) {
      throw new Error(
        `releaseReadiness.windows: two windows have the id ${window.id}`,
      );
    }
    ids.add(window.id);
  }
  return windows;
}
