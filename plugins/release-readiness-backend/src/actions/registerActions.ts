import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  gateReadPermission,
  GateWithEvaluation,
} from '@release-readiness/plugin-common';
import { GateStore } from '../database';
import { GateDomain } from '../gates';

/**
 * The gate of a release (or the current gate) of an entity, read as the
 * caller: the same catalog visibility and permissions as the HTTP API.
 */
export async function findGate(options: {
  domain: GateDomain;
  gates: GateStore;
  credentials: BackstageCredentials;
  entityRef: string;
  release?: string;
}): Promise<{ entityRef: string; gate?: GateWithEvaluation }> {
  const { domain, gates, credentials } = options;
  let ref;
  try {
    ref = parseEntityRef(options.entityRef, { defaultKind: 'component' });
  } catch (error) {
    throw new InputError(`entityRef: ${(error as Error).message}`);
  }
  const entity = await domain.access.loadEntity(ref, credentials);
  const info = await domain.access.syncEntity(entity);
  await domain.access.authorize(
    credentials,
    gateReadPermission,
    info.entityRef,
  );
  const gate = (await gates.listGates({ entityRef: info.entityRef })).find(
    g =>
      g.state !== 'cancelled' &&
      (options.release === undefined || g.release === options.release),
  );
  return {
    entityRef: info.entityRef,
    ...(gate ? { gate: await domain.changes.withEvaluation(gate) } : {}),
  };
}

/**
 * Actions for AI agents (through Backstage's actions registry, exposed to MCP
 * clients by the MCP actions backend): the readiness of a release, and what
 * blocks it.
 */
export function registerActions(options: {
  actionsRegistry: ActionsRegistryService;
  domain: GateDomain;
  gates: GateStore;
}) {
  const { actionsRegistry, domain, gates } = options;

  actionsRegistry.register({
    name: 'get-release-readiness',
    title: 'Get the readiness of a release',
    description:
      'Whether a release of a catalog entity may enter production: its gate state, verdict (GO, NO-GO, IN PROGRESS), health score and blockers. Without a release, the current gate.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity ref, e.g. component:default/payment-gateway'),
          release: z
            .string()
            .optional()
            .describe(
              'Release version or commit; the current gate when omitted',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          release: z.string().optional(),
          state: z.string().optional(),
          verdict: z.string(),
          ready: z.boolean(),
          score: z.number(),
          blockers: z.array(z.string()),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entityRef, gate } = await findGate({
        domain,
        gates,
        credentials,
        ...input,
      });
      if (!gate) {
        return {
          output: {
            entityRef,
            ...(input.release ? { release: input.release } : {}),
            verdict: 'NO-GO',
            ready: false,
            score: 0,
            blockers: ['No gate is open for this release'],
          },
        };
      }
      return {
        output: {
          entityRef,
          release: gate.release,
          state: gate.state,
          verdict: gate.evaluation.verdict,
          ready: gate.evaluation.ready,
          score: gate.evaluation.score,
          blockers: gate.evaluation.blockers.map(b => b.message),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-release-blockers',
    title: 'List what blocks a release',
    description:
      'Every reason a release of a catalog entity may not enter production yet, by condition (artifacts, automated quality gates, risk, rollback, communication, sign-offs, release window, components), in plain words a person can act on.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string().describe('Entity ref'),
          release: z
            .string()
            .optional()
            .describe('Release; current gate when omitted'),
        }),
      output: z =>
        z.object({
          blockers: z.array(
            z.object({ condition: z.string(), message: z.string() }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const { gate } = await findGate({
        domain,
        gates,
        credentials,
        ...input,
      });
      return {
        output: {
          blockers: gate
            ? gate.evaluation.blockers.map(b => ({
                condition: b.condition,
                message: b.message,
              }))
            : [
                {
                  condition: 'gate',
                  message: 'No gate is open for this release',
                },
              ],
        },
      };
    },
  });
}
