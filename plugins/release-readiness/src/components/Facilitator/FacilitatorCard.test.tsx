/*
 * Who runs the gate meeting (issue 18): shown to everyone; a gate owner
 * passes the turn on or names another gate owner, at the gate's version;
 * what the backend refuses is said on the card.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { responseError } from '../../__fixtures__/apis';
import { makeGate } from '../../__fixtures__/gate';
import { FacilitatorCard } from './FacilitatorCard';

const PRIYA = 'user:default/priya-raman';
const TOMASZ = 'user:default/tomasz-kowalski';

async function renderCard(options: {
  canEdit: boolean;
  api?: Partial<ReleaseReadinessApi>;
  gate?: ReturnType<typeof makeGate>;
}) {
  const onChange = jest.fn();
  const onConflict = jest.fn();
  const gate = options.gate ?? makeGate({ facilitator: PRIYA });
  await renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, options.api ?? {}]]}>
      <FacilitatorCard
        gate={gate}
        canEdit={options.canEdit}
        onChange={onChange}
        onConflict={onConflict}
      />
    </TestApiProvider>,
  );
  return { onChange, onConflict, gate };
}

describe('FacilitatorCard', () => {
  it('tells everyone who runs the meeting and how they were chosen; a viewer may not change it', async () => {
    await renderCard({ canEdit: false });
    expect(screen.getByTestId('facilitator')).toHaveTextContent(
      /priya-raman runs the release meeting of this gate\./,
    );
    expect(
      screen.getByText(
        /in turn among the gate owners: whoever facilitated least recently/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('lets a gate owner pass the turn on, at the version seen', async () => {
    const next = makeGate({ facilitator: TOMASZ, version: 3 });
    const setFacilitator = jest.fn().mockResolvedValue(next);
    const { onChange, gate } = await renderCard({
      canEdit: true,
      api: { setFacilitator },
    });
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Pass the turn on: priya-raman is away',
      }),
    );
    expect(setFacilitator).toHaveBeenCalledWith(gate.id, {
      skip: true,
      version: gate.version,
    });
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(next));
  });

  it('asks for a name before naming another gate owner, and shows what the backend refuses', async () => {
    const setFacilitator = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError(
          400,
          'Bad Request',
          'facilitator: user:default/margaret-osei is not a gate owner of component:default/payment-gateway',
        ),
      )
      .mockResolvedValueOnce(makeGate({ facilitator: TOMASZ }));
    const { onChange, gate } = await renderCard({
      canEdit: true,
      api: { setFacilitator },
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Make facilitator' }),
    );
    expect(
      screen.getByText('Name the gate owner who runs the meeting instead.'),
    ).toBeInTheDocument();
    expect(setFacilitator).not.toHaveBeenCalled();

    const field = screen.getByRole('textbox', {
      name: /Another gate owner/,
    });
    await userEvent.type(field, 'margaret-osei');
    await userEvent.click(
      screen.getByRole('button', { name: 'Make facilitator' }),
    );
    expect(
      await screen.findByText(/margaret-osei is not a gate owner/),
    ).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();

    await userEvent.clear(field);
    await userEvent.type(field, 'tomasz-kowalski');
    await userEvent.click(
      screen.getByRole('button', { name: 'Make facilitator' }),
    );
    expect(setFacilitator).toHaveBeenLastCalledWith(gate.id, {
      facilitator: 'tomasz-kowalski',
      version: gate.version,
    });
    await waitFor(() => expect(onChange).toHaveBeenCalled());
  });

  it('says when someone else changed the gate first, and asks the tab to reload', async () => {
    const setFacilitator = jest
      .fn()
      .mockRejectedValue(
        await responseError(
          409,
          'Conflict',
          'version: the gate is at version 4, not 3',
        ),
      );
    const { onConflict } = await renderCard({
      canEdit: true,
      api: { setFacilitator },
    });
    await userEvent.click(
      screen.getByRole('button', { name: /Pass the turn on/ }),
    );
    expect(
      await screen.findByText(/The gate was reloaded; look at who facilitates/),
    ).toBeInTheDocument();
    expect(onConflict).toHaveBeenCalled();
  });

  it('offers nothing to change once the gate is decided', async () => {
    await renderCard({
      canEdit: true,
      gate: makeGate({ facilitator: PRIYA, state: 'go' }),
    });
    expect(screen.queryByRole('button')).toBeNull();
  });
});
