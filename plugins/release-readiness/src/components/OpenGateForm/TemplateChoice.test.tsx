/*
 * Issue 15 on the open-gate form: the template that applies is preselected
 * with why; when none applies the form says why in plain words and which
 * one to pick, instead of failing on "no gate template applies … name one".
 */
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import { releaseReadinessApiRef } from '../../api';
import { ENTITY_REF, makeGate } from '../../__fixtures__/gate';
import { OpenGateForm } from './OpenGateForm';

const TEMPLATES = [
  {
    name: 'component-gate',
    title: 'Component gate',
    rapid: false,
    appliesTo: [{ kind: 'Component', types: ['service', 'website'] }],
  },
  {
    name: 'system-gate',
    title: 'System gate',
    rapid: false,
    appliesTo: [{ kind: 'System' }],
  },
  {
    name: 'rapid-release',
    title: 'Rapid release (expedited)',
    rapid: true,
    appliesTo: [],
  },
];

const entity = (type: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', title: 'Checkout' },
  spec: { type },
});

async function render(type: string, openGate = jest.fn()) {
  await renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, { openGate }]]}>
      <OpenGateForm
        entityRef={ENTITY_REF}
        templates={TEMPLATES}
        entity={entity(type)}
        canOpen
        onChange={jest.fn()}
      />
    </TestApiProvider>,
  );
  return openGate;
}

describe('OpenGateForm template choice (issue 15)', () => {
  it('preselects the template that applies and says why', async () => {
    const openGate = await render(
      'service',
      jest.fn().mockResolvedValue(makeGate()),
    );
    const select = screen.getByRole('combobox', { name: 'Template' });
    expect(select).toHaveValue('component-gate');
    expect(
      screen.getByText(
        'This template applies to components of type service or website, and Checkout is a component of type service.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('option', {
        name: 'Component gate (applies to this entity)',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('no-template-applies')).toBeNull();

    await userEvent.type(
      screen.getByRole('textbox', { name: /Release/ }),
      '2.0.0',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    expect(openGate).toHaveBeenCalledWith(ENTITY_REF, {
      release: '2.0.0',
      template: 'component-gate',
    });
  });

  it('says expedited once', async () => {
    await render('service');
    expect(
      screen.getByRole('option', { name: 'Rapid release (expedited)' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/\(expedited\) \(expedited\)/)).toBeNull();
  });

  it('when none applies, says why and which to pick, and asks for a choice instead of failing', async () => {
    const openGate = await render('library');
    expect(screen.getByTestId('no-template-applies')).toHaveTextContent(
      'No template applies to Checkout: it is a component of type library, and Component gate applies to components of type service or website; System gate applies to systems. Pick Component gate below if it fits what this entity is',
    );
    const select = screen.getByRole('combobox', { name: 'Template' });
    expect(select).toHaveValue('');

    await userEvent.type(
      screen.getByRole('textbox', { name: /Release/ }),
      '2.0.0',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    expect(
      screen.getByText(
        'Choose a template: none applies to this entity on its own (Component gate is the closest).',
      ),
    ).toBeInTheDocument();
    expect(openGate).not.toHaveBeenCalled();

    await userEvent.selectOptions(select, 'component-gate');
    expect(
      screen.getByText(
        'This template applies to components of type service or website; Checkout is a component of type library.',
      ),
    ).toBeInTheDocument();
    // A template that does not apply needs a reason (governance), and the
    // form asks for it rather than letting the backend refuse.
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    expect(openGate).not.toHaveBeenCalled();
    await userEvent.type(
      screen.getByRole('textbox', { name: /Why this template\?/ }),
      'The library ships to production like a service',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    expect(openGate).toHaveBeenCalledWith(ENTITY_REF, {
      release: '2.0.0',
      template: 'component-gate',
      templateReason: 'The library ships to production like a service',
    });
  });
});
