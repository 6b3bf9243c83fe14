import { useState } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { responseError } from '../../__fixtures__/apis';
import { paragraph } from '../../__fixtures__/text';
import { makeMidwayGate, withItem } from '../../__fixtures__/gate';
import { Checklist } from './Checklist';

const midwayGate = makeMidwayGate();

function row(title: string) {
  return screen.getByRole('listitem', { name: title });
}

async function renderChecklist(
  api: Partial<ReleaseReadinessApi>,
  props: Partial<React.ComponentProps<typeof Checklist>> = {},
) {
  const onChange = jest.fn();
  const onConflict = jest.fn();
  const result = await renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, api]]}>
      <Checklist
        gate={midwayGate}
        canEdit
        onChange={onChange}
        onConflict={onConflict}
        {...props}
      />
    </TestApiProvider>,
  );
  return { onChange, onConflict, result };
}

describe('Checklist', () => {
  it('groups items under a heading per category', async () => {
    await renderChecklist({}, { canEdit: false });

    expect(document.getElementById('checklist')).toBeInTheDocument();
    const headings = screen
      .getAllByRole('heading', { level: 3 })
      .map(h => h.textContent);
    expect(headings).toEqual([
      'Build and test',
      'Manual validation',
      'Security',
      'Performance',
      'Documentation',
    ]);
    const manual = screen.getByRole('region', { name: 'Manual validation' });
    expect(within(manual).getAllByRole('listitem')).toHaveLength(2);
    expect(
      within(manual).getByText('Feature flags reviewed'),
    ).toBeInTheDocument();
  });

  it('shows a read-only view to people who are not gate owners', async () => {
    await renderChecklist({}, { canEdit: false });

    expect(
      screen.getByText('Only the gate owners can mark this checklist.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();

    // Status as text, automated outcome with detail and both evidence
    // times: when the pipeline observed it and when the plugin received it.
    const scan = row('Security scan');
    expect(within(scan).getByText('Failed')).toBeInTheDocument();
    expect(
      within(scan).getByText(/score 84, needs score >= 90/),
    ).toHaveTextContent(
      'score 84, needs score >= 90 · evidence observed 2030-06-12 08:10 UTC, received 2030-06-12 08:12 UTC',
    );
    // Evidence from before receive times were reported shows the one it has.
    expect(
      within(row('Unit tests pass')).getByText(/passed true/),
    ).toHaveTextContent(
      'passed true, needs passed == true · evidence observed 2030-06-12 07:45 UTC',
    );
    expect(
      within(row('Unit tests pass')).getByText('Passed'),
    ).toBeInTheDocument();

    // Optional marker, who and when, note.
    const flags = row('Feature flags reviewed');
    expect(within(flags).getByText('optional')).toBeInTheDocument();
    expect(within(flags).getByText(/Updated by/)).toHaveTextContent(
      'Updated by jane.doe on 2030-06-11 10:15 UTC',
    );
    expect(
      within(flags).getByText('Note: Old checkout flag removed.'),
    ).toBeInTheDocument();

    // Waiver: justification, expiry, by whom.
    const load = row('Load test');
    expect(within(load).getByText('Waived')).toBeInTheDocument();
    expect(within(load).getByText(/Load test rig is down/)).toHaveTextContent(
      'Waived by sam.lee on 2030-06-11 16:00 UTC, expires 2030-06-30 00:00 UTC: Load test rig is down; traffic is unchanged.',
    );
  });

  it('lets a gate owner mark a manual item passed', async () => {
    const updated = withItem(midwayGate, 'staging-smoke-test', {
      status: 'passed',
      version: 3,
    });
    const updateItem = jest.fn().mockResolvedValue(updated);
    const { onChange } = await renderChecklist({ updateItem });
    const user = userEvent.setup();

    const smoke = row('Manual smoke test in staging');
    await user.type(
      within(smoke).getByRole('textbox', {
        name: 'Note on Manual smoke test in staging',
      }),
      'All three flows fine',
    );
    await user.click(
      within(
        within(smoke).getByRole('group', {
          name: 'Status of Manual smoke test in staging',
        }),
      ).getByRole('button', { name: 'Passed' }),
    );

    await waitFor(() => expect(onChange).toHaveBeenCalledWith(updated));
    expect(updateItem).toHaveBeenCalledWith('gate-1', 'staging-smoke-test', {
      status: 'passed',
      note: 'All three flows fine',
      version: 2,
    });
  });

  it('offers only Waive on an automated item, and Clear waiver once waived', async () => {
    const updateItem = jest.fn().mockResolvedValue(midwayGate);
    const { onChange } = await renderChecklist({ updateItem });
    const user = userEvent.setup();

    const scan = row('Security scan');
    expect(
      within(scan)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Copy command', 'Waive…']);
    expect(within(scan).queryByRole('textbox')).not.toBeInTheDocument();

    const load = row('Load test');
    expect(
      within(load)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Clear waiver']);
    await user.click(
      within(load).getByRole('button', { name: 'Clear waiver' }),
    );
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(updateItem).toHaveBeenCalledWith('gate-1', 'load-test', {
      status: 'pending',
      version: 5,
    });
  });

  it('validates the waiver before any request', async () => {
    const updateItem = jest.fn();
    await renderChecklist({ updateItem });
    const user = userEvent.setup();

    await user.click(
      within(row('Security scan')).getByRole('button', { name: 'Waive…' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Waive "Security scan"',
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Waive item' }),
    );
    expect(
      within(dialog).getByText('Give a justification for the waiver.'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Choose when the waiver expires.'),
    ).toBeInTheDocument();

    await user.type(
      within(dialog).getByLabelText(/Justification/),
      'Findings are in test fixtures only.',
    );
    fireEvent.change(within(dialog).getByLabelText(/Expires/), {
      target: { value: '2020-01-01T10:00' },
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Waive item' }),
    );
    expect(
      within(dialog).getByText('The expiry must be in the future.'),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByText('Give a justification for the waiver.'),
    ).not.toBeInTheDocument();
    expect(updateItem).not.toHaveBeenCalled();
  });

  it('waives an item with a justification and a future expiry', async () => {
    const updateItem = jest.fn().mockResolvedValue(midwayGate);
    const { onChange } = await renderChecklist({ updateItem });
    const user = userEvent.setup();

    await user.click(
      within(row('Security scan')).getByRole('button', { name: 'Waive…' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByLabelText(/Justification/),
      'Findings are in test fixtures only.',
    );
    fireEvent.change(within(dialog).getByLabelText(/Expires/), {
      target: { value: '2099-01-01T10:00' },
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Waive item' }),
    );

    await waitFor(() => expect(onChange).toHaveBeenCalledWith(midwayGate));
    expect(updateItem).toHaveBeenCalledWith('gate-1', 'security-scan', {
      status: 'waived',
      waiver: {
        justification: 'Findings are in test fixtures only.',
        expiresAt: new Date('2099-01-01T10:00').toISOString(),
      },
      version: 1,
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('on a conflict says so, reloads and keeps the typed note', async () => {
    const conflict = await responseError(
      409,
      'Conflict',
      'The item was changed',
    );
    const reloaded = withItem(midwayGate, 'staging-smoke-test', {
      status: 'failed',
      version: 3,
      updatedBy: 'user:default/sam.lee',
      updatedAt: '2030-06-12T10:00:00.000Z',
    });
    const updateItem = jest
      .fn()
      .mockRejectedValueOnce(conflict)
      .mockResolvedValueOnce(reloaded);
    const onConflict = jest.fn();

    // A parent that reloads the gate on conflict, as the Readiness tab does.
    function Parent() {
      const [gate, setGate] = useState(midwayGate);
      return (
        <Checklist
          gate={gate}
          canEdit
          onChange={setGate}
          onConflict={() => {
            onConflict();
            setGate(reloaded);
          }}
        />
      );
    }
    await renderInTestApp(
      <TestApiProvider apis={[[releaseReadinessApiRef, { updateItem }]]}>
        <Parent />
      </TestApiProvider>,
    );
    const user = userEvent.setup();

    const note = () =>
      screen.getByRole('textbox', {
        name: 'Note on Manual smoke test in staging',
      });
    await user.type(note(), 'Refund flow checked');
    await user.click(
      within(
        screen.getByRole('group', {
          name: 'Status of Manual smoke test in staging',
        }),
      ).getByRole('button', { name: 'Passed' }),
    );

    expect(
      await screen.findByText(
        'Someone else changed "Manual smoke test in staging" first. The checklist was reloaded; your input is still here — check it and save again.',
      ),
    ).toBeInTheDocument();
    expect(onConflict).toHaveBeenCalledTimes(1);
    // The reloaded gate is shown, and the typed note is still there.
    expect(
      within(row('Manual smoke test in staging')).getByText(
        paragraph(/Updated by sam.lee/),
      ),
    ).toBeInTheDocument();
    expect(note()).toHaveValue('Refund flow checked');

    // Saving again sends the reloaded version.
    await user.click(
      within(
        screen.getByRole('group', {
          name: 'Status of Manual smoke test in staging',
        }),
      ).getByRole('button', { name: 'Passed' }),
    );
    await waitFor(() => expect(updateItem).toHaveBeenCalledTimes(2));
    expect(updateItem).toHaveBeenLastCalledWith(
      'gate-1',
      'staging-smoke-test',
      { status: 'passed', note: 'Refund flow checked', version: 3 },
    );
  });

  it('keeps the typed waiver in the dialog on a conflict', async () => {
    const conflict = await responseError(
      409,
      'Conflict',
      'The item was changed',
    );
    const updateItem = jest.fn().mockRejectedValue(conflict);
    const { onConflict, result } = await renderChecklist({ updateItem });
    const user = userEvent.setup();

    await user.click(
      within(row('Release notes written')).getByRole('button', {
        name: 'Waive…',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByLabelText(/Justification/),
      'Internal change only',
    );
    fireEvent.change(within(dialog).getByLabelText(/Expires/), {
      target: { value: '2099-01-01T10:00' },
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Waive item' }),
    );

    expect(
      await within(dialog).findByText(
        /Someone else changed "Release notes written" first/,
      ),
    ).toBeInTheDocument();
    expect(onConflict).toHaveBeenCalled();

    // The parent passes a reloaded gate.
    result.rerender(
      <TestApiProvider apis={[[releaseReadinessApiRef, { updateItem }]]}>
        <Checklist
          gate={withItem(midwayGate, 'release-notes', { version: 7 })}
          canEdit
          onChange={jest.fn()}
          onConflict={onConflict}
        />
      </TestApiProvider>,
    );
    const again = screen.getByRole('dialog');
    expect(within(again).getByLabelText(/Justification/)).toHaveValue(
      'Internal change only',
    );
    expect(within(again).getByLabelText(/Expires/)).toHaveValue(
      '2099-01-01T10:00',
    );
  });

  it('shows the message of other errors', async () => {
    const error = await responseError(
      400,
      'Bad Request',
      'status: Unit tests pass is automated; a person may only waive it',
    );
    const updateItem = jest.fn().mockRejectedValue(error);
    const { onChange, onConflict } = await renderChecklist({ updateItem });
    const user = userEvent.setup();

    await user.click(
      within(
        screen.getByRole('group', { name: 'Status of Release notes written' }),
      ).getByRole('button', { name: 'Failed' }),
    );

    expect(
      await within(row('Release notes written')).findByText(
        'status: Unit tests pass is automated; a person may only waive it',
      ),
    ).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
    expect(onConflict).not.toHaveBeenCalled();
  });

  it('is read-only once the gate is decided GO', async () => {
    await renderChecklist({}, { gate: { ...midwayGate, state: 'go' } });

    expect(
      screen.getByText(
        'This gate is go; its checklist can no longer be changed.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('adds a service item for the next gate', async () => {
    const addServiceItem = jest.fn().mockResolvedValue(undefined);
    const entityRef = {
      kind: 'component',
      namespace: 'default',
      name: 'payment-gateway',
    };
    await renderChecklist({ addServiceItem }, { entityRef });
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Add item' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Add a service checklist item',
    });
    await user.type(within(dialog).getByLabelText(/Id/), 'PCI review');
    await user.click(within(dialog).getByRole('button', { name: 'Add item' }));
    expect(
      within(dialog).getByText(
        /Use lower-case letters, digits and single dashes/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Give the item a title.'),
    ).toBeInTheDocument();
    expect(addServiceItem).not.toHaveBeenCalled();

    await user.clear(within(dialog).getByLabelText(/Id/));
    await user.type(within(dialog).getByLabelText(/Id/), 'pci-review');
    await user.type(within(dialog).getByLabelText(/Title/), 'PCI review done');
    await user.selectOptions(
      within(dialog).getByLabelText('Category'),
      'compliance',
    );
    await user.click(within(dialog).getByLabelText('Required for GO'));
    await user.click(within(dialog).getByRole('button', { name: 'Add item' }));

    expect(
      await screen.findByText(
        'Added "PCI review done" to the service checklist; it applies from the next gate.',
      ),
    ).toBeInTheDocument();
    expect(addServiceItem).toHaveBeenCalledWith(entityRef, {
      id: 'pci-review',
      title: 'PCI review done',
      category: 'compliance',
      required: false,
    });
  });

  it('hides Add item without an entity or for non-owners', async () => {
    await renderChecklist(
      {},
      {
        canEdit: false,
        entityRef: { kind: 'component', namespace: 'default', name: 'x' },
      },
    );
    expect(
      screen.queryByRole('button', { name: 'Add item' }),
    ).not.toBeInTheDocument();
  });
});
