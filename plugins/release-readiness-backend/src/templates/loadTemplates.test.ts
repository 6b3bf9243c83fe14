import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { releaseReadinessPlugin } from '../plugin';
import { TEMPLATE_FILES } from '../__testUtils__/fixtures';
import { loadTemplates } from './loadTemplates';

function config(templates: string[]) {
  return mockServices.rootConfig({ data: { releaseReadiness: { templates } } });
}

describe('loadTemplates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rr-templates-'));

  it('loads the shipped templates with their hashes', async () => {
    const templates = await loadTemplates(config(TEMPLATE_FILES));
    expect(templates.map(t => `${t.name}@${t.tier}`)).toEqual([
      'component-gate@1',
      'system-gate@2',
      'business-gate@3',
      'rapid-release@1',
    ]);
    expect(new Set(templates.map(t => t.hash)).size).toBe(4);
  });

  it('names a file that cannot be read', async () => {
    await expect(
      loadTemplates(config([join(dir, 'missing.yaml')])),
    ).rejects.toThrow(
      /releaseReadiness\.templates\[0\]: cannot read gate template .*missing\.yaml/,
    );
  });

  it('stops the backend at start-up with the file, the path and what is wrong', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'apiVersion: release-readiness/v1',
        'kind: GateTemplate',
        'metadata: { name: broken, title: Broken }',
        'spec:',
        '  tier: 1',
        "  version: '1'",
        '  checklist:',
        '    - id: tests',
        '      title: Tests pass',
        '      category: build-and-test',
        '      automated: { evidenceType: test-report, rule: "score => 90", maxAge: P1D }',
        '  signoffs:',
        '    roles: [{ id: qa, title: QA, eligible: { groups: [qa] } }]',
        '',
      ].join('\n'),
    );
    await expect(
      startTestBackend({
        features: [
          releaseReadinessPlugin,
          mockServices.rootConfig.factory({
            data: { releaseReadiness: { templates: [bad] } },
          }),
        ],
      }),
    ).rejects.toThrow(
      /bad\.yaml: spec\.checklist\[0\]\.automated\.rule \(line 11\): cannot read "score => 90"/,
    );
  });

  it('refuses two templates with one name', async () => {
    await expect(
      loadTemplates(config([TEMPLATE_FILES[0], TEMPLATE_FILES[0]])),
    ).rejects.toThrow(/component-gate/);
  });
});
