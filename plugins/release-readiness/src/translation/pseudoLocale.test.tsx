/*
 * Every word the gate panels write comes from the translation ref: with
 * every message "translated" into a pseudo-language (the same text in
 * full-width letters), no Latin letter is left on screen except in the data
 * the gate carries (titles, names, notes, times). A string written straight
 * into a component shows up here in plain letters and fails the test.
 */
import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  createFrontendModule,
  createTranslationMessages,
} from '@backstage/frontend-plugin-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  gateStateLabel,
  ineligibleVoterMessage,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../api';
import { ENTITY_REF, GATE_OWNERS, makeMidwayGate } from '../__fixtures__/gate';
import { mockIdentityApi } from '../__fixtures__/apis';
import { Checklist } from '../components/Checklist';
import { DecisionPanel } from '../components/DecisionPanel';
import { GateHeader } from '../components/GateHeader';
import { History } from '../components/History';
import { RiskForm } from '../components/RiskForm';
import { Signoffs } from '../components/Signoffs';
import { entityMessages } from './messages/entity';
import { gateMessages } from './messages/gate';
import { portfolioMessages } from './messages/portfolio';
import { releaseReadinessTranslationRef } from './index';

/** The messages as the ref flattens them: `checklist.title` → text. */
function flatten(
  messages: object,
  prefix = '',
  into: Record<string, string> = {},
): Record<string, string> {
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') into[`${prefix}${key}`] = value;
    else flatten(value, `${prefix}${key}.`, into);
  }
  return into;
}

/** Latin letters as full-width ones; `{{placeholders}}` stay as they are. */
function pseudo(text: string): string {
  return text.replace(/\{\{[^}]+\}\}|[A-Za-z]/g, match =>
    match.length > 1
      ? match
      : String.fromCharCode(match.charCodeAt(0) + 0xfee0),
  );
}

const english = flatten({
  ...entityMessages,
  ...gateMessages,
  ...portfolioMessages,
});

const pseudoLanguage = createFrontendModule({
  pluginId: 'app',
  extensions: [
    TranslationBlueprint.make({
      name: 'release-readiness-pseudo',
      params: {
        resource: createTranslationMessages({
          ref: releaseReadinessTranslationRef,
          messages: Object.fromEntries(
            Object.entries(english).map(([key, text]) => [key, pseudo(text)]),
          ) as any,
        }),
      },
    }),
  ],
});

/** Every string in the gate's data, and what is made of it on screen. */
function dataStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    into.push(value);
    // People and groups show by their short names without a catalog.
    const ref = /^(?:user|group):(?:[\w-]+\/)?([\w.-]+)$/.exec(value);
    if (ref) into.push(ref[1]);
  } else if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) dataStrings(inner, into);
  }
  return into;
}

/** Words of dates and times as the reader's locale writes them. */
const TIME_WORDS =
  /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|AM|PM|UTC)\b/g;

/** What is left of a text once the data in it is taken out. */
function withoutData(text: string, data: string[]): string {
  let rest = text;
  for (const value of data) rest = rest.split(value).join(' ');
  return rest.replace(TIME_WORDS, ' ');
}

describe('a pseudo-language for every message', () => {
  it('leaves no untranslated word in the gate panels', async () => {
    const gate = makeMidwayGate();
    const api = {
      listTemplates: jest.fn().mockResolvedValue([]),
      getAudit: jest.fn().mockResolvedValue([]),
    };
    await renderInTestApp(
      <>
        <GateHeader gate={gate} canAct />
        <Checklist
          gate={gate}
          canEdit
          entityRef={ENTITY_REF}
          onChange={jest.fn()}
          onConflict={jest.fn()}
        />
        <Signoffs gate={gate} gateOwners={GATE_OWNERS} onChange={jest.fn()} />
        <RiskForm
          gate={gate}
          canEdit
          onChange={jest.fn()}
          onConflict={jest.fn()}
        />
        <DecisionPanel
          gate={gate}
          entityRef={ENTITY_REF}
          templates={[]}
          canDecide
          canOpen
          onChange={jest.fn()}
        />
        <History gate={gate} earlierGates={[]} />
      </>,
      {
        features: [pseudoLanguage],
        apis: [
          [releaseReadinessApiRef, api as any],
          [identityApiRef, mockIdentityApi('user:default/jane.doe') as any],
        ],
      },
    );
    // The panels are there, in the pseudo-language.
    expect(
      await screen.findByText(pseudo(english['checklist.title'])),
    ).toBeInTheDocument();
    expect(
      screen.getByText(pseudo(english['signoffs.title'])),
    ).toBeInTheDocument();

    // Besides the gate's own data: the sentences -common writes (the README
    // says they are not messages of the ref), split where names go in.
    const fromCommon = [
      gateStateLabel(gate.state),
      ...gate.signoffRoles.flatMap(role =>
        ineligibleVoterMessage(role, GATE_OWNERS).split(
          /\b(?:user|group):[\w-]+\/[\w.-]*\w/,
        ),
      ),
      // The test app's own (empty) toast region.
      '0 notifications.',
    ];
    const data = [...dataStrings(gate), ...dataStrings(GATE_OWNERS), ...fromCommon]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    const untranslated: string[] = [];
    const check = (text: string | null | undefined) => {
      if (text && /[A-Za-z]/.test(withoutData(text, data))) {
        untranslated.push(text);
      }
    };
    const walker = document.createTreeWalker(
      document.body,
      NodeFilter.SHOW_TEXT,
    );
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Commands and code are written as they are typed, in any language.
      if (!node.parentElement?.closest('code')) check(node.textContent);
    }
    for (const element of document.body.querySelectorAll('*')) {
      for (const attribute of ['aria-label', 'placeholder', 'title', 'alt']) {
        check(element.getAttribute(attribute));
      }
    }
    expect(untranslated).toEqual([]);
  });
});
