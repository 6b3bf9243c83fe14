/*
 * The quarterly template review (issue 18) as an artifact: a Markdown record
 * of the period (the outcome table, the lead time and blockers trend, the
 * debriefs' "what to change") and a proposed patch to the template's YAML
 * that a person reviews and commits to the repository holding the
 * templates. The product proposes; people decide. The patch edits the file
 * as written (comments kept): items to retire are removed, and an item
 * that goes with incidents when waived gets its category's waivers approved
 * by the template's approvers; the version is bumped.
 */
import {
  GateTemplate,
  governanceOf,
  ItemInsight,
} from '@release-readiness/plugin-common';
import { createTwoFilesPatch } from 'diff';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type {
  DebriefTheme,
  TemplateTrendRow,
} from '../database/templateReview';

/** One change the review proposes. */
export interface ReviewProposal {
  itemId: string;
  change: 'retire' | 'approve-waivers';
  reason: string;
}

const cell = (value: unknown) =>
  String(value ?? '–')
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/\|/g, '\\|');

/** What the review proposes, from the outcome table of the template. */
export function proposalsOf(
  template: GateTemplate,
  items: ItemInsight[],
): ReviewProposal[] {
  const governance = governanceOf(template);
  return items.flatMap((item): ReviewProposal[] => {
    const definition = template.checklist.find(i => i.id === item.itemId);
    if (!definition) return [];
    if (item.finding === 'retire-candidate') {
      return [{ itemId: item.itemId, change: 'retire', reason: item.reading }];
    }
    if (
      item.finding === 'riskier' &&
      item.findingOutcome === 'waived' &&
      !governance.waiverApprovers[definition.category]?.length
    ) {
      return [
        {
          itemId: item.itemId,
          change: 'approve-waivers',
          reason: item.reading,
        },
      ];
    }
    return [];
  });
}

/** The template's YAML with the proposals applied, comments kept. */
export function patchedTemplate(
  template: GateTemplate,
  text: string,
  proposals: ReviewProposal[],
): string {
  const doc = parseDocument(text);
  const spec = doc.get('spec') as YAMLMap;
  const checklist = spec.get('checklist') as YAMLSeq;
  const retire = new Set(
    proposals.filter(p => p.change === 'retire').map(p => p.itemId),
  );
  if (isSeq(checklist)) {
    checklist.items = checklist.items.filter(
      node => !(isMap(node) && retire.has(String(node.get('id')))),
    );
  }
  const approvers = governanceOf(template).templateApprovers;
  for (const p of proposals.filter(x => x.change === 'approve-waivers')) {
    const category = template.checklist.find(i => i.id === p.itemId)!.category;
    doc.setIn(
      ['spec', 'governance', 'waiverApprovers', category],
      doc.createNode([...approvers], { flow: true }),
    );
  }
  if (proposals.length) {
    const version = Number(template.version);
    doc.setIn(
      ['spec', 'version'],
      Number.isInteger(version) ? String(version + 1) : `${template.version}.1`,
    );
  }
  return doc.toString({ lineWidth: 0 });
}

/** The review record and the patch; see the top of the file. */
export function buildTemplateReview(input: {
  template: GateTemplate;
  /** The template file as it is on disk (its hash checked by the caller). */
  text: string;
  from: string;
  to: string;
  items: ItemInsight[];
  trend: TemplateTrendRow[];
  themes: DebriefTheme[];
  windowDays: number;
  minSample: number;
}): { markdown: string; patch: string; proposals: ReviewProposal[] } {
  const { template, items } = input;
  const proposals = proposalsOf(template, items);
  const patched = patchedTemplate(template, input.text, proposals);
  const patch = createTwoFilesPatch(
    `a/${template.source}`,
    `b/${template.source}`,
    input.text,
    patched,
    undefined,
    undefined,
    { context: 3 },
  );
  const period = `${input.from.slice(0, 10)} to ${input.to.slice(0, 10)}`;
  const lines = [
    `# Template review: ${template.title} (${template.name}@${template.version})`,
    '',
    `Period: releases from ${period}. Incidents: sev1–2 within ${input.windowDays} days of a release. Nothing is claimed below ${input.minSample} releases on each side; a finding is a correlation, not a cause.`,
    '',
    '## Outcomes per checklist item',
    '',
    '| Item | Releases | Finding | What it says |',
    '| --- | --- | --- | --- |',
    ...items.map(
      i =>
        `| ${cell(i.title)} (\`${i.itemId}\`) | ${i.releases} | ${cell(
          i.finding,
        )} | ${cell(i.reading)} |`,
    ),
    '',
    '## Lead time and blockers, by month',
    '',
    '| Month | Gates | Lead time (h, mean) | Blockers per gate |',
    '| --- | --- | --- | --- |',
    ...input.trend.map(
      r =>
        `| ${r.month} | ${r.gates} | ${cell(r.leadTimeHours)} | ${cell(
          r.blockersPerGate,
        )} |`,
    ),
    '',
    '## What the debriefs said to change',
    '',
    ...(input.themes.length
      ? input.themes.map(
          t => `- ${cell(t.toChange)} (${t.entityRef} ${t.release})`,
        )
      : ['No debrief of the period said what to change.']),
    '',
    '## Proposed changes',
    '',
    ...(proposals.length
      ? proposals.map(p =>
          p.change === 'retire'
            ? `- Retire \`${p.itemId}\`: ${cell(p.reason)}`
            : `- Have waivers of \`${
                p.itemId
              }\`'s category approved by ${governanceOf(
                template,
              ).templateApprovers.join(', ')}: ${cell(p.reason)}`,
        )
      : ['None: the data of the period does not call for a change.']),
    '',
    'The patch below applies them to the template file; review it, change it as you decide, and commit it with this record.',
    '',
    '## Decisions',
    '',
    '- Decided by: ',
    '- Date: ',
    '- What was kept, changed or retired, and why: ',
    '',
    '## Proposed patch',
    '',
    '```diff',
    patch.trimEnd(),
    '```',
    '',
  ];
  return { markdown: lines.join('\n'), patch, proposals };
}
