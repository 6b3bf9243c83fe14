/*
 * Issue 15 on the checklist: an automated item says exactly how its
 * evidence arrives (the command, copyable, and where the pipeline setup is
 * described); a waiver is said once; people by display name; focus goes
 * back where a keyboard user expects after a save and in the waiver dialog.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  MockConfigApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { configApiRef } from '@backstage/core-plugin-api';
import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { makeMidwayGate, withItem } from '../../__fixtures__/gate';
import { paragraph } from '../../__fixtures__/text';
import { Checklist } from './Checklist';
import { evidenceCommand } from './EvidenceHowTo';

const gate = makeMidwayGate();

/** An entity presentation API that knows people's display names. */
const presentationApi = {
  forEntity: (ref: string) => {
    const names: Record<string, string> = {
      'user:default/sam.lee': 'Sam Lee',
      'user:default/jane.doe': 'Jane Doe',
    };
    const snapshot = {
      entityRef: ref,
      primaryTitle: names[ref] ?? ref.split('/').pop()!,
    };
    return { snapshot, promise: Promise.resolve(snapshot) };
  },
};

function row(title: string) {
  return screen.getByRole('listitem', { name: title });
}

async function render(
  api: Partial<ReleaseReadinessApi> = {},
  options: { canEdit?: boolean; docsUrl?: string; gate?: typeof gate } = {},
) {
  const onChange = jest.fn();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, api],
        [entityPresentationApiRef, presentationApi],
        [
          configApiRef,
          new MockConfigApi(
            options.docsUrl
              ? { releaseReadiness: { pipelineDocsUrl: options.docsUrl } }
              : {},
          ),
        ],
      ]}
    >
      <Checklist
        gate={options.gate ?? gate}
        canEdit={options.canEdit ?? true}
        onChange={onChange}
        onConflict={jest.fn()}
      />
    </TestApiProvider>,
  );
  return { onChange };
}

describe('Checklist guidance (issue 15)', () => {
  it('gives the command that posts a failing automated item its evidence, with entity, release and type filled in', async () => {
    await render({}, { docsUrl: 'https://docs.example.com/rr#ci-pipelines' });
    const scan = row('Security scan');
    const command =
      'release-readiness evidence push --entity component:default/payment-gateway --release 2.4.0 --type security-scan --status passed --run-id "$CI_RUN_ID"';
    expect(within(scan).getByText(command)).toBeInTheDocument();
    expect(
      within(scan).getByText(/Passes only on security-scan evidence meeting/),
    ).toBeInTheDocument();
    expect(
      within(scan).getByRole('link', {
        name: 'How to set up the pipeline (README: CI pipelines)',
      }),
    ).toHaveAttribute('href', 'https://docs.example.com/rr#ci-pipelines');
    // A passed automated item needs no instructions.
    expect(
      within(row('Unit tests pass')).queryByRole('button', {
        name: 'Copy command',
      }),
    ).toBeNull();
  });

  it('copies the command to the clipboard, and says so', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.assign(window.navigator, { clipboard: { writeText } });
    await render();
    const scan = row('Security scan');
    await userEvent.click(
      within(scan).getByRole('button', { name: 'Copy command' }),
    );
    expect(writeText).toHaveBeenCalledWith(
      evidenceCommand({
        entityRef: 'component:default/payment-gateway',
        release: '2.4.0',
        evidenceType: 'security-scan',
      }),
    );
    expect(await within(scan).findByText('Copied.')).toBeInTheDocument();
  });

  it('names the README section in words when no docs link is configured', async () => {
    await render();
    expect(
      within(row('Security scan')).getByText(
        /see "CI pipelines" in the Release Readiness README/,
      ),
    ).toBeInTheDocument();
  });

  it('does not tell viewers to run a pipeline they cannot run', async () => {
    await render({}, { canEdit: false });
    expect(screen.queryByText(/release-readiness evidence push/)).toBeNull();
  });

  it('quotes what a shell would split', () => {
    expect(
      evidenceCommand({
        entityRef: 'component:default/x',
        release: "1.0 beta's",
        evidenceType: 'test-report',
      }),
    ).toContain(`--release '1.0 beta'\\''s'`);
  });

  it('says a waiver once, by the display name of who waived it', async () => {
    // As the evaluation reports a waived automated item: its detail repeats
    // the waiver.
    const waived = makeMidwayGate();
    waived.evaluation = {
      ...waived.evaluation,
      automated: waived.evaluation.automated.map(a =>
        a.itemId === 'load-test'
          ? {
              ...a,
              detail:
                'waived by user:default/sam.lee until 2030-06-30: Load test rig is down; traffic is unchanged.',
            }
          : a,
      ),
    };
    await render({}, { gate: waived });
    const load = row('Load test');
    expect(within(load).getAllByText(/Load test rig is down/)).toHaveLength(1);
    expect(
      within(load).getByText(
        paragraph(
          'Waived by Sam Lee on 2030-06-11 16:00 UTC, expires 2030-06-30 00:00 UTC: Load test rig is down; traffic is unchanged.',
        ),
      ),
    ).toBeInTheDocument();
    expect(within(load).queryByText(/user:default/)).toBeNull();
  });

  it('returns focus to the status button after saving, not to the page body', async () => {
    const updated = withItem(gate, 'staging-smoke-test', {
      status: 'passed',
      version: 2,
    });
    // A browser drops focus from a control that becomes disabled while it
    // saves; jsdom does not, so the save does it here.
    const updateItem = jest.fn(async () => {
      (document.activeElement as HTMLElement | null)?.blur();
      return updated;
    });
    await render({ updateItem });
    const button = within(row('Manual smoke test in staging')).getByRole(
      'button',
      { name: 'Passed' },
    );
    await userEvent.click(button);
    expect(updateItem).toHaveBeenCalled();
    await waitFor(() =>
      expect(document.activeElement).toBe(
        document.getElementById('item-staging-smoke-test-status-passed'),
      ),
    );
    expect(document.activeElement).not.toBe(document.body);
  });

  it('focuses the first field of the waiver dialog, and the Waive button again when it closes', async () => {
    await render({});
    const smoke = row('Manual smoke test in staging');
    await userEvent.click(
      within(smoke).getByRole('button', { name: 'Waive…' }),
    );
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(document.activeElement).toBe(
        within(dialog).getByRole('textbox', { name: 'Justification' }),
      ),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Keep item as it is' }),
    );
    await waitFor(() =>
      expect(document.activeElement).toBe(
        document.getElementById('item-staging-smoke-test-waiver'),
      ),
    );
  });

  it('gives each item an anchor that blocker links focus', async () => {
    await render();
    expect(row('Release notes written')).toHaveAttribute(
      'id',
      'item-release-notes',
    );
  });
});
