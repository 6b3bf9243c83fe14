/*
 * A synthetic organisation of any size, for the benchmark: teams of five
 * people, systems of ten components, each team owning as many systems as it
 * takes to give it about fifty components, and the QA, security and release
 * management groups the gate templates name.
 *
 * Everything is a pure function of the size and of the entity's number, so
 * the benchmark's catalog can answer for any entity without holding 100,000
 * of them in memory, and a second run sees exactly the same organisation.
 */
import {
  Entity,
  RELATION_MEMBER_OF,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import type { GeneratedEntity, People } from './history/types';

const COMPONENTS_PER_SYSTEM = 10;
const COMPONENTS_PER_TEAM = 50;
const PEOPLE_PER_TEAM = 5;
const PEOPLE_PER_FUNCTION = 10;
/** The cross-functional groups of the templates' sign-off roles. */
export const FUNCTION_GROUPS = ['qa', 'security', 'release-management'];

const pad = (n: number) => String(n).padStart(6, '0');
const LANGUAGES = ['java', 'go', 'python', 'typescript', 'kotlin'];

/** The shape of an organisation of `size` components. */
export class SyntheticCatalog {
  readonly teams: number;
  readonly systems: number;

  constructor(readonly size: number) {
    this.teams = Math.max(1, Math.ceil(size / COMPONENTS_PER_TEAM));
    this.systems = Math.max(1, Math.ceil(size / COMPONENTS_PER_SYSTEM));
  }

  static componentName(index: number) {
    return `svc-${pad(index)}`;
  }

  teamOfSystem(system: number) {
    return system % this.teams;
  }

  teamOf(component: number) {
    return this.teamOfSystem(Math.floor(component / COMPONENTS_PER_SYSTEM));
  }

  /** The index row of component `index`, as the entity index sync would write it. */
  component(index: number): GeneratedEntity {
    const system = Math.floor(index / COMPONENTS_PER_SYSTEM);
    const tags = [LANGUAGES[index % LANGUAGES.length]];
    if (index % 7 === 0) tags.push('pci');
    if (index % 3 === 0) tags.push('tier-1');
    return {
      entityRef: `component:default/${SyntheticCatalog.componentName(index)}`,
      kind: 'component',
      title: `Service ${pad(index)}`,
      type: index % 10 === 9 ? 'website' : 'service',
      lifecycle: index % 20 === 19 ? 'experimental' : 'production',
      ownerRef: `group:default/team-${pad(this.teamOf(index))}`,
      systemRef: `system:default/sys-${pad(system)}`,
      tags,
      templateName: 'component-gate',
      tier: 1,
    };
  }

  *components(): Generator<GeneratedEntity> {
    for (let i = 0; i < this.size; i++) yield this.component(i);
  }

  /** Who is in which team, and in the groups the sign-off roles name. */
  people(): People {
    const byTeam = new Map<string, string[]>();
    for (let t = 0; t < this.teams; t++) {
      const members: string[] = [];
      for (let p = 0; p < PEOPLE_PER_TEAM; p++) {
        members.push(`user:default/u-${pad(t)}-${p}`);
      }
      byTeam.set(`group:default/team-${pad(t)}`, members);
    }
    const byGroup = new Map<string, string[]>();
    for (const group of FUNCTION_GROUPS) {
      const members: string[] = [];
      for (let p = 0; p < PEOPLE_PER_FUNCTION; p++) {
        members.push(`user:default/${group}-${p}`);
      }
      byGroup.set(`group:default/${group}`, members);
    }
    return { byTeam, byGroup };
  }

  /**
   * The catalog entity behind a ref, or undefined when the organisation has
   * no such entity: components, their systems, teams, people and groups.
   */
  entity(ref: string): Entity | undefined {
    const match = /^([a-z]+):default\/([a-z0-9-]+)$/.exec(
      ref.toLocaleLowerCase('en-US'),
    );
    if (!match) return undefined;
    const [, kind, name] = match;
    const numbered = (prefix: string, limit: number) => {
      const m = new RegExp(`^${prefix}-(\\d{6})$`).exec(name);
      const n = m ? Number(m[1]) : -1;
      return n >= 0 && n < limit ? n : undefined;
    };
    if (kind === 'component') {
      const index = numbered('svc', this.size);
      return index === undefined ? undefined : this.componentEntity(index);
    }
    if (kind === 'system') {
      const index = numbered('sys', this.systems);
      if (index === undefined) return undefined;
      const owner = `group:default/team-${pad(this.teamOfSystem(index))}`;
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: { name, namespace: 'default' },
        spec: { owner },
        relations: [{ type: RELATION_OWNED_BY, targetRef: owner }],
      };
    }
    if (kind === 'group') {
      const team = numbered('team', this.teams);
      if (team === undefined && !FUNCTION_GROUPS.includes(name)) {
        return undefined;
      }
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name, namespace: 'default' },
        spec: { type: 'team', children: [] },
      };
    }
    if (kind === 'user') {
      const group = this.groupOfUser(name);
      if (!group) return undefined;
      return {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name, namespace: 'default' },
        spec: { memberOf: [group] },
        relations: [{ type: RELATION_MEMBER_OF, targetRef: group }],
      };
    }
    return undefined;
  }

  private groupOfUser(name: string): string | undefined {
    const member = /^u-(\d{6})-(\d+)$/.exec(name);
    if (member) {
      const team = Number(member[1]);
      return team < this.teams && Number(member[2]) < PEOPLE_PER_TEAM
        ? `group:default/team-${member[1]}`
        : undefined;
    }
    const fn = /^([a-z-]+)-(\d+)$/.exec(name);
    if (
      fn &&
      FUNCTION_GROUPS.includes(fn[1]) &&
      Number(fn[2]) < PEOPLE_PER_FUNCTION
    ) {
      return `group:default/${fn[1]}`;
    }
    return undefined;
  }

  private componentEntity(index: number): Entity {
    const info = this.component(index);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: SyntheticCatalog.componentName(index),
        namespace: 'default',
        title: info.title,
        tags: info.tags,
      },
      spec: {
        type: info.type,
        lifecycle: info.lifecycle,
        owner: info.ownerRef,
        system: info.systemRef,
      },
      relations: [
        { type: RELATION_OWNED_BY, targetRef: info.ownerRef! },
        { type: RELATION_PART_OF, targetRef: info.systemRef! },
      ],
    };
  }
}
