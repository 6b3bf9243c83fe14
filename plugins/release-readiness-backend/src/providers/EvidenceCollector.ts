/*
 * Evidence from the tools teams already run (issue 19): the providers that
 * backend modules add through `releaseReadinessEvidenceProvidersExtensionPoint`
 * are asked for the facts of a gate's release when the gate opens, on a
 * schedule for every open gate, and when a person presses "Refresh evidence".
 *
 * What a provider returns takes the path of evidence a pipeline posts
 * (`recordEvidence`, in the entity's transaction, idempotent per runId,
 * never dated in the future, judged by the items' rules and maximum age),
 * recorded as posted by `provider:<id>`. A provider that throws, times out
 * or returns a fact the rules refuse leaves a dated "could not collect" for
 * its types (`evidence_collections`): never a pass, never a crash.
 */
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import {
  EvidenceCollectionAttempt,
  EvidenceSource,
  Gate,
} from '@release-readiness/plugin-common';
import {
  CollectedEvidence,
  EvidenceProvider,
} from '@release-readiness/plugin-node';
import { z } from 'zod';
import {
  CollectionAttempt,
  DatabaseEvidenceCollectionStore,
  EvidenceStore,
} from '../database';
import { EntityChanges } from '../gates/EntityChanges';
import {
  evidenceFactFields,
  evidenceObservedAt,
  recordEvidence,
} from '../gates';

const collectedSchema = z.strictObject({
  ...evidenceFactFields,
  observedAt: z.string(),
});

/** Where the collector finds an entity (as the plugin itself sees the catalog). */
export interface EntityLoader {
  loadEntity(entityRef: string): Promise<Entity>;
}

/** The evidence types a gate's automated items read. */
export function evidenceTypesOf(gate: Pick<Gate, 'items'>): string[] {
  return [
    ...new Set(
      gate.items.flatMap(item =>
        item.automated ? [item.automated.evidenceType] : [],
      ),
    ),
  ].sort();
}

/** Rejects after `ms` and aborts `controller`, unless `work` settles first. */
async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${what} did not answer within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class EvidenceCollector {
  private readonly providers: EvidenceProvider[];

  constructor(
    private readonly deps: {
      providers: EvidenceProvider[];
      entities: EntityLoader;
      changes: EntityChanges;
      evidence: EvidenceStore;
      collections: DatabaseEvidenceCollectionStore;
      logger: LoggerService;
      timeoutMs: number;
      maxClockSkewMs: number;
      now?: () => Date;
    },
  ) {
    const seen = new Set<string>();
    for (const provider of deps.providers) {
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(provider.id)) {
        throw new Error(
          `Evidence provider id '${provider.id}' must be lower-case kebab-case`,
        );
      }
      if (seen.has(provider.id)) {
        throw new Error(
          `Two evidence providers have the id '${provider.id}'; each needs its own`,
        );
      }
      seen.add(provider.id);
    }
    this.providers = deps.providers;
  }

  /** Whether any provider is installed. */
  get hasProviders(): boolean {
    return this.providers.length > 0;
  }

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  /**
   * The providers whose types the gate reads, with their last attempts,
   * what each reads for a type and its newest fact of each type.
   */
  async sources(gate: Gate): Promise<EvidenceSource[]> {
    const wanted = evidenceTypesOf(gate);
    const [collections, recorded] = await Promise.all([
      this.deps.collections.listAttempts(gate.entityRef, gate.release),
      this.providers.length
        ? this.deps.evidence.listNewestEvidence({
            entityRef: gate.entityRef,
            release: gate.release,
            per: 'poster',
          })
        : Promise.resolve([]),
    ]);
    const attempts = new Map(collections.map(a => [a.providerId, a]));
    return this.providers.flatMap(provider => {
      const types = provider.types.filter(t => wanted.includes(t));
      if (!types.length) return [];
      const attempt = attempts.get(provider.id);
      const reads: Record<string, string> = {};
      const latest: NonNullable<EvidenceSource['latest']> = {};
      for (const type of types) {
        const words = describeSafely(provider, type);
        if (words) reads[type] = words;
        // The newest fact of this provider and type (one per poster).
        const fact = recorded.find(
          e => e.type === type && e.postedBy === `provider:${provider.id}`,
        );
        if (fact) {
          latest[type] = {
            observedAt: fact.observedAt,
            ...(fact.commit ? { commit: fact.commit } : {}),
            ...(fact.link ? { link: fact.link } : {}),
          };
        }
      }
      return [
        {
          provider: provider.id,
          title: provider.title,
          types,
          ...(attempt ? { lastAttempt: toWire(attempt) } : {}),
          ...(Object.keys(reads).length ? { reads } : {}),
          ...(Object.keys(latest).length ? { latest } : {}),
        },
      ];
    });
  }

  /**
   * Asks every provider whose types the gate reads for the facts of its
   * release, one after another, and records what each came to.
   */
  async collect(
    gate: Gate,
    trigger: CollectionAttempt['trigger'],
  ): Promise<EvidenceSource[]> {
    const wanted = evidenceTypesOf(gate);
    const providers = this.providers.filter(p =>
      p.types.some(t => wanted.includes(t)),
    );
    if (!providers.length) return [];
    const entity = await this.deps.entities.loadEntity(gate.entityRef);
    const commit = (
      await this.deps.evidence.listEvidence({
        entityRef: gate.entityRef,
        release: gate.release,
      })
    ).find(e => e.commit)?.commit;
    for (const provider of providers) {
      const types = provider.types.filter(t => wanted.includes(t));
      const attempt = await this.collectFrom(provider, {
        gate,
        entity,
        types,
        ...(commit ? { commit } : {}),
      });
      await this.deps.collections.recordAttempt(gate.entityRef, gate.release, {
        ...attempt,
        trigger,
      });
    }
    return this.sources(gate);
  }

  private async collectFrom(
    provider: EvidenceProvider,
    request: { gate: Gate; entity: Entity; types: string[]; commit?: string },
  ): Promise<Omit<CollectionAttempt, 'trigger'>> {
    const { gate } = request;
    let facts: CollectedEvidence[];
    try {
      facts = await withTimeout(
        signal =>
          provider.collect({
            entity: request.entity,
            entityRef: gate.entityRef,
            release: gate.release,
            types: request.types,
            signal,
            ...(request.commit ? { commit: request.commit } : {}),
          }),
        this.deps.timeoutMs,
        provider.title,
      );
      if (!Array.isArray(facts)) {
        throw new Error(
          `${provider.title} answered something other than a list`,
        );
      }
    } catch (error) {
      this.deps.logger.warn(
        `Evidence provider ${provider.id} could not collect ${gate.entityRef} ${gate.release}: ${error}`,
      );
      return {
        providerId: provider.id,
        at: this.now().toISOString(),
        ok: false,
        message: (error as Error).message ?? String(error),
        collected: 0,
      };
    }
    const refused: string[] = [];
    let collected = 0;
    for (const fact of facts) {
      const problem = await this.record(provider, request.types, gate, fact);
      if (problem) refused.push(problem);
      else collected += 1;
    }
    return {
      providerId: provider.id,
      at: this.now().toISOString(),
      ok: refused.length === 0,
      ...(refused.length
        ? {
            message: `${refused.length} of ${
              facts.length
            } facts refused: ${refused.slice(0, 3).join('; ')}`,
          }
        : {}),
      collected,
    };
  }

  /** Records one fact; answers why it was refused, or undefined. */
  private async record(
    provider: EvidenceProvider,
    types: string[],
    gate: Gate,
    fact: unknown,
  ): Promise<string | undefined> {
    const parsed = collectedSchema.safeParse(fact);
    if (!parsed.success) {
      return parsed.error.issues
        .map(i => `${i.path.join('.') || 'fact'}: ${i.message}`)
        .join(', ');
    }
    const value = parsed.data;
    if (!types.includes(value.type)) {
      return `type ${value.type} was not asked for (${types.join(', ')})`;
    }
    try {
      const observedAt = evidenceObservedAt(
        value.observedAt,
        this.now(),
        this.deps.maxClockSkewMs,
      );
      await this.deps.changes.changeEntity(
        gate.entityRef,
        (stores, context) =>
          recordEvidence(
            stores,
            {
              entityRef: gate.entityRef,
              release: gate.release,
              type: value.type,
              status: value.status,
              metrics: value.metrics ?? {},
              ...(value.link ? { link: value.link } : {}),
              ...(value.commit ? { commit: value.commit } : {}),
              runId: value.runId,
              observedAt,
              postedBy: `provider:${provider.id}`,
            },
            true,
            context,
          ),
        { onlyForRelease: gate.release },
      );
      return undefined;
    } catch (error) {
      return `run ${value.runId}: ${(error as Error).message}`;
    }
  }

  /**
   * The scheduled collection: every open gate, a page at a time. One gate's
   * failure is logged and the next one goes on.
   */
  async collectOpenGates(
    loadGate: (entityRef: string, release: string) => Promise<Gate | undefined>,
  ): Promise<{ gates: number }> {
    if (!this.hasProviders) return { gates: 0 };
    let after: string | undefined;
    let gates = 0;
    for (;;) {
      const page = await this.deps.collections.listOpenGates({
        limit: 100,
        ...(after ? { after } : {}),
      });
      if (!page.length) break;
      for (const { entityRef, release } of page) {
        try {
          const gate = await loadGate(entityRef, release);
          if (gate) {
            await this.collect(gate, 'schedule');
            gates += 1;
          }
        } catch (error) {
          this.deps.logger.warn(
            `Scheduled evidence collection for ${entityRef} ${release} failed: ${error}`,
          );
        }
      }
      after = page[page.length - 1].entityRef;
    }
    return { gates };
  }
}

function toWire(attempt: CollectionAttempt): EvidenceCollectionAttempt {
  return {
    at: attempt.at,
    trigger: attempt.trigger,
    ok: attempt.ok,
    ...(attempt.message ? { message: attempt.message } : {}),
    collected: attempt.collected,
  };
}

/** Loads entities as the plugin itself, through the gate access. */
export function pluginEntityLoader(
  access: {
    loadEntity(
      ref: ReturnType<typeof parseEntityRef>,
      credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>,
    ): Promise<Entity>;
  },
  auth: AuthService,
): EntityLoader {
  return {
    async loadEntity(entityRef) {
      return access.loadEntity(
        parseEntityRef(entityRef),
        await auth.getOwnServiceCredentials(),
      );
    },
  };
}

/** A provider's words for a type: a short string, or none if it throws. */
function describeSafely(
  provider: EvidenceProvider,
  type: string,
): string | undefined {
  try {
    const words = provider.describe?.(type);
    return typeof words === 'string' && words.trim()
      ? words.trim().slice(0, 200)
      : undefined;
  } catch {
    return undefined;
  }
}
