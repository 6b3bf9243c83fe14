/*
 * A system gate's release manifest: which release of each component the
 * system release ships (issue 16). A system's components rarely share one
 * version string, so the roll-up matches each component on the release its
 * manifest names, and on the system's own release where it names none.
 *
 * When the gate opens, the manifest is proposed from the components' current
 * gates (or taken from the request, checked the same way); the gate owners
 * replace it while the gate is in progress (PUT /gates/:id/manifest), each
 * change audited and making earlier sign-offs stale (database/manifest.ts).
 * A key must be a component the roll-up counts under the gate's template.
 */
import { ConflictError, InputError } from '@backstage/errors';
import {
  Gate,
  GATE_STATE_LABELS,
  GateTemplateSpec,
  GateWithEvaluation,
  OpenGateRequest,
  ReleaseManifest,
  ReleaseManifestRequest,
} from '@release-readiness/plugin-common';
import { GateStore } from '../database';
import { EntityChanges } from './EntityChanges';
import type { GateEvaluator } from './GateEvaluator';

const MAX_RELEASE_LENGTH = 255;

/**
 * The manifest proposed for a new system gate: each counted component's
 * current gate's release; components without a gate are left out (they are
 * matched on the system's release).
 */
export async function proposeManifest(
  gates: Pick<GateStore, 'currentReleases'>,
  counted: string[],
): Promise<ReleaseManifest> {
  const current = await gates.currentReleases({ entityRefs: counted });
  return Object.fromEntries(
    counted.flatMap(ref => {
      const release = current.get(ref);
      return release ? [[ref, release]] : [];
    }),
  );
}

/**
 * A manifest from a request, checked: an object of component refs (those
 * the roll-up counts) to non-empty release strings. Keys are lower-cased,
 * values trimmed.
 */
export function checkManifest(
  manifest: unknown,
  counted: string[],
): ReleaseManifest {
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new InputError(
      'manifest: must be an object of component refs to releases, e.g. { "component:default/ledger-service": "4.2.0" }',
    );
  }
  const allowed = new Set(counted);
  const out: ReleaseManifest = {};
  for (const [key, value] of Object.entries(manifest)) {
    const ref = key.trim().toLocaleLowerCase('en-US');
    if (!allowed.has(ref)) {
      throw new InputError(
        `manifest: ${key} is not a component this system's roll-up counts${
          counted.length ? ` (it counts ${counted.join(', ')})` : ''
        }`,
      );
    }
    const release = typeof value === 'string' ? value.trim() : '';
    if (!release || release.length > MAX_RELEASE_LENGTH) {
      throw new InputError(
        `manifest: the release of ${key} must be a non-empty string of at most ${MAX_RELEASE_LENGTH} characters`,
      );
    }
    if (ref in out && out[ref] !== release) {
      throw new InputError(`manifest: ${key} is named twice`);
    }
    out[ref] = release;
  }
  return out;
}

/** The components a system gate of this template counts. */
export async function countedComponents(
  evaluator: GateEvaluator,
  entityRef: string,
  template: Pick<GateTemplateSpec, 'rollup'> | undefined,
): Promise<string[]> {
  return (await evaluator.partsOf(entityRef, template ? { template } : {}))
    .filter(part => !part.excluded)
    .map(part => part.entityRef);
}

/**
 * A new system gate's release manifest: the one asked for, checked, or the
 * one proposed from its components' current gates. Undefined for other
 * tiers, which take none.
 */
export async function openingManifest(
  deps: { evaluator: GateEvaluator; gates: GateStore },
  entityRef: string,
  template: GateTemplateSpec,
  request: OpenGateRequest,
): Promise<ReleaseManifest | undefined> {
  if (template.tier !== 2) {
    if (request.manifest !== undefined) {
      throw new InputError(
        `manifest: only a system (tier 2) gate has a release manifest; the ${template.name} template is tier ${template.tier}`,
      );
    }
    return undefined;
  }
  const counted = await countedComponents(deps.evaluator, entityRef, template);
  return request.manifest !== undefined
    ? checkManifest(request.manifest, counted)
    : proposeManifest(deps.gates, counted);
}

/** Replaces a system gate's manifest; the route has checked the caller. */
export async function setReleaseManifest(
  deps: { changes: EntityChanges; evaluator: GateEvaluator; gates: GateStore },
  gate: Gate,
  request: ReleaseManifestRequest,
  actor: string,
): Promise<GateWithEvaluation> {
  if (gate.tier !== 2) {
    throw new InputError(
      `manifest: only a system (tier 2) gate has a release manifest; this is a tier ${gate.tier} gate`,
    );
  }
  // A first, friendlier answer; the check that counts is in the transaction.
  if (gate.state !== 'in-progress') {
    throw new ConflictError(
      `The gate is ${
        GATE_STATE_LABELS[gate.state].inSentence
      }; its release manifest can only be changed while it is in progress`,
    );
  }
  const template = await deps.gates.getGateTemplate({ gateId: gate.id });
  const counted = await countedComponents(
    deps.evaluator,
    gate.entityRef,
    template,
  );
  const manifest = checkManifest(request.manifest, counted);
  return deps.changes.changeGate(gate.entityRef, stores =>
    stores.gates.setManifest({
      gateId: gate.id,
      manifest,
      ...(request.version !== undefined
        ? { expectedVersion: request.version }
        : {}),
      actor,
    }),
  );
}
