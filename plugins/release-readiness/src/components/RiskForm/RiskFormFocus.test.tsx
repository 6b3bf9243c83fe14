/*
 * Issue 15 on the risk form: focus stays where a keyboard user expects —
 * on the save button after a save (not the page body), and in the new row
 * after "Add row".
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { releaseReadinessApiRef } from '../../api';
import { makeGate } from '../../__fixtures__/gate';
import { RiskForm } from './RiskForm';

async function render(updateRisk = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, { updateRisk }]]}>
      <RiskForm
        gate={makeGate()}
        canEdit
        onChange={jest.fn()}
        onConflict={jest.fn()}
      />
    </TestApiProvider>,
  );
}

describe('RiskForm focus (issue 15)', () => {
  it('"Add row" puts focus in the new row', async () => {
    await render();
    await userEvent.click(screen.getByRole('button', { name: 'Add row' }));
    await waitFor(() =>
      expect(document.activeElement).toBe(
        document.getElementById('risk-row-0-failure'),
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add row' }));
    await waitFor(() =>
      expect(document.activeElement).toBe(
        document.getElementById('risk-row-1-failure'),
      ),
    );
    // Typing goes into the new row.
    await userEvent.keyboard('DNS outage');
    expect(document.getElementById('risk-row-1-failure')).toHaveValue(
      'DNS outage',
    );
  });

  it('gives focus back to the save button after saving', async () => {
    // A browser drops focus from a button that becomes disabled while it
    // saves; jsdom does not, so the save does it here.
    const updateRisk = jest.fn(async () => {
      (document.activeElement as HTMLElement | null)?.blur();
      return makeGate();
    });
    await render(updateRisk);
    const save = screen.getByRole('button', { name: 'Save risk assessment' });
    await userEvent.click(save);
    expect(updateRisk).toHaveBeenCalled();
    await waitFor(() => expect(document.activeElement).toBe(save));
  });
});
