import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { ENTITY_REF, makeGate } from '../../__fixtures__/gate';
import { OpenGateForm, OpenGateFormProps } from './OpenGateForm';

const TEMPLATES = [
  { name: 'standard-service', title: 'Standard service', rapid: false },
  { name: 'hotfix', title: 'Hotfix', rapid: true },
];

function renderForm(
  options: {
    api?: Partial<ReleaseReadinessApi>;
    props?: Partial<OpenGateFormProps>;
  } = {},
) {
  const onChange = jest.fn();
  const view = renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, options.api ?? {}]]}>
      <OpenGateForm
        entityRef={ENTITY_REF}
        templates={TEMPLATES}
        defaultTemplate="standard-service"
        canOpen
        onChange={onChange}
        {...options.props}
      />
    </TestApiProvider>,
  );
  return { onChange, view };
}

describe('OpenGateForm', () => {
  it('opens a gate with the release, planned time and default template', async () => {
    const opened = makeGate();
    const openGate = jest.fn().mockResolvedValue(opened);
    const { onChange } = await renderForm({ api: { openGate } });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Open gate' }),
    );
    expect(
      screen.getByText('Name the release, for example 1.5.0.'),
    ).toBeInTheDocument();
    expect(openGate).not.toHaveBeenCalled();

    await userEvent.type(
      screen.getByRole('textbox', { name: /Release/ }),
      '1.5.0',
    );
    await userEvent.type(
      screen.getByLabelText('Planned release time'),
      '2026-07-01T10:00',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));

    expect(openGate).toHaveBeenCalledWith(ENTITY_REF, {
      release: '1.5.0',
      template: 'standard-service',
      plannedAt: new Date('2026-07-01T10:00').toISOString(),
    });
    expect(onChange).toHaveBeenCalledWith(opened);
  });

  it('requires a reason to expedite with a rapid template', async () => {
    const openGate = jest.fn().mockResolvedValue(makeGate());
    await renderForm({ api: { openGate } });

    await userEvent.type(
      await screen.findByRole('textbox', { name: /Release/ }),
      '1.5.1',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Template' }),
      'hotfix',
    );
    expect(screen.getByText(/recorded in the audit trail/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    expect(
      screen.getByText('Say why this release must be expedited.'),
    ).toBeInTheDocument();
    expect(openGate).not.toHaveBeenCalled();

    await userEvent.type(
      screen.getByRole('textbox', { name: /Why expedite\?/ }),
      'Card data leak fix',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    expect(openGate).toHaveBeenCalledWith(ENTITY_REF, {
      release: '1.5.1',
      template: 'hotfix',
      templateReason: 'Card data leak fix',
    });
  });

  it('asks why when the template chosen is not the one that applies, and not otherwise', async () => {
    const openGate = jest.fn().mockResolvedValue(makeGate());
    await renderForm({
      api: { openGate },
      props: {
        templates: [
          ...TEMPLATES,
          { name: 'system-gate', title: 'System gate', rapid: false },
        ],
      },
    });

    await userEvent.type(
      await screen.findByRole('textbox', { name: /Release/ }),
      '1.5.2',
    );
    expect(
      screen.queryByRole('textbox', { name: /Why this template\?/ }),
    ).not.toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Template' }),
      'system-gate',
    );
    expect(
      screen.getByText(/is not the template that applies to this entity/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    expect(
      screen.getByText(
        'Say why this template instead of the one that applies.',
      ),
    ).toBeInTheDocument();
    expect(openGate).not.toHaveBeenCalled();

    await userEvent.type(
      screen.getByRole('textbox', { name: /Why this template\?/ }),
      'The component is being folded into the system',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    expect(openGate).toHaveBeenCalledWith(ENTITY_REF, {
      release: '1.5.2',
      template: 'system-gate',
      templateReason: 'The component is being folded into the system',
    });
  });

  it('offers the templates of the API when none are given', async () => {
    const listTemplates = jest.fn().mockResolvedValue([
      { name: 'standard-service', title: 'Standard service', rapid: false },
      { name: 'hotfix', title: 'Hotfix', rapid: true },
    ]);
    await renderForm({
      api: { listTemplates },
      props: { templates: undefined, defaultTemplate: undefined },
    });

    expect(
      await screen.findByRole('option', { name: 'Hotfix (expedited)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('option', {
        name: 'The template that applies to this entity',
      }),
    ).toBeInTheDocument();
    expect(listTemplates).toHaveBeenCalledTimes(1);
  });

  it('says who opens the next gate, with no greyed-out form, to people who may not open one', async () => {
    const openGate = jest.fn();
    await renderForm({ api: { openGate }, props: { canOpen: false } });

    expect(
      await screen.findByText(
        'Only the gate owners or a release manager can decide.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Open a gate for the next release' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Open gate' })).toBeNull();
    expect(screen.queryByRole('textbox', { name: /Release/ })).toBeNull();
    expect(openGate).not.toHaveBeenCalled();
  });
});
