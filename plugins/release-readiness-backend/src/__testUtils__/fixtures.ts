import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { Knex } from 'knex';
import { resolve } from 'node:path';
import { releaseReadinessPlugin } from '../plugin';

/** The repository's real gate templates. */
export const TEMPLATE_FILES = [
  'component-gate.yaml',
  'system-gate.yaml',
  'business-gate.yaml',
  'rapid-release.yaml',
].map(file => resolve(__dirname, '../../../../gate-templates', file));

function component(
  name: string,
  owner: string,
  extra: Partial<Entity['metadata']> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...extra },
    spec: {
      type: 'service',
      owner,
      lifecycle: 'production',
      system: 'payments-platform',
    },
    relations: [
      { type: 'ownedBy', targetRef: owner },
      { type: 'partOf', targetRef: 'system:default/payments-platform' },
    ],
  };
}

/** A small catalog: a payments service, a rapid one, a library with no template, their system. */
export const ENTITIES: Entity[] = [
  component('payment-gateway', 'group:default/payments', {
    title: 'Payment Gateway',
  }),
  component('promotions-engine', 'group:default/checkout', {
    annotations: { 'release-readiness/template': 'rapid-release' },
  }),
  {
    ...component('money-utils', 'group:default/payments'),
    spec: {
      type: 'library',
      owner: 'group:default/payments',
      lifecycle: 'production',
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'payments-platform', namespace: 'default' },
    spec: { owner: 'group:default/payments' },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/payments' },
      { type: 'hasPart', targetRef: 'component:default/payment-gateway' },
      { type: 'hasPart', targetRef: 'component:default/promotions-engine' },
    ],
  },
];

/** Who is in which group, as the catalog would say. */
export const MEMBERSHIP: Record<string, string[]> = {
  'user:default/priya-raman': ['group:default/payments'],
  'user:default/tomasz-kowalski': ['group:default/payments'],
  'user:default/nadia-haddad': ['group:default/qa'],
  'user:default/ben-carter': ['group:default/qa'],
  'user:default/samuel-adeyemi': ['group:default/security'],
  'user:default/margaret-osei': ['group:default/release-management'],
  'user:default/hiroshi-tanaka': ['group:default/checkout'],
  'user:default/ada-admin': ['group:default/platform-admins'],
};

/** A catalog User or Group entity for a full ref such as `user:default/x`. */
export function userOrGroup(ref: string): Entity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'user' ? 'User' : 'Group',
    metadata: { name, namespace },
    spec: kind === 'user' ? { memberOf: [] } : { type: 'team', children: [] },
  };
}

/** The group of incident managers the default policy lets file incidents. */
export const INCIDENT_MANAGERS = 'group:default/incident-management';

/**
 * The users and groups of a membership map as the catalog serves them after
 * processing: users with their `memberOf` relations, groups with `hasMember`.
 */
export function peopleOf(
  membership: Record<string, string[]>,
  extraGroups: string[] = [],
): Entity[] {
  const refs = [
    ...new Set([
      ...Object.keys(membership),
      ...Object.values(membership).flat(),
      ...extraGroups,
    ]),
  ];
  return refs.map(ref => {
    const entity = userOrGroup(ref);
    const relations = ref.startsWith('user:')
      ? (membership[ref] ?? []).map(g => ({ type: 'memberOf', targetRef: g }))
      : Object.entries(membership)
          .filter(([, groups]) => groups.includes(ref))
          .map(([user]) => ({ type: 'hasMember', targetRef: user }));
    return { ...entity, relations };
  });
}

/**
 * The users and groups of {@link MEMBERSHIP} (and the incident managers) as
 * catalog entities, so that a gate owner or approver named by ref exists.
 */
export const PEOPLE: Entity[] = peopleOf(MEMBERSHIP, [INCIDENT_MANAGERS]);

export const PRIYA = 'user:default/priya-raman';
export const TOMASZ = 'user:default/tomasz-kowalski';
export const NADIA = 'user:default/nadia-haddad';
export const BEN = 'user:default/ben-carter';
export const SAMUEL = 'user:default/samuel-adeyemi';
export const MARGARET = 'user:default/margaret-osei';
export const HIROSHI = 'user:default/hiroshi-tanaka';

/** The header of a request made as this user. */
export const as = (user: string) => mockCredentials.user.header(user);

/** The catalog-backed user info of a membership map: the user and its groups. */
export function userInfoOf(membership: Record<string, string[]>) {
  return mockServices.userInfo.mock({
    getUserInfo: async credentials => {
      const user = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return {
        userEntityRef: user,
        ownershipEntityRefs: [user, ...(membership[user] ?? [])],
      };
    },
  });
}

/** The catalog-backed user info: the user and its groups. */
export const userInfoMock = userInfoOf(MEMBERSHIP);

/** Every notification the plugin sent, newest last; tests may clear it. */
export const sentNotifications: NotificationSendOptions[] = [];

let notificationsHeld: Promise<void> | undefined;

/**
 * Makes the notification service hang, as a slow or unreachable one would,
 * until the returned function is called.
 */
export function holdNotifications(): () => void {
  let release: () => void = () => {};
  notificationsHeld = new Promise(done => {
    release = done;
  });
  return () => {
    notificationsHeld = undefined;
    release();
  };
}

let notificationsFail = false;

/** Makes the notification service fail every send, or work again. */
export function failNotifications(fail: boolean) {
  notificationsFail = fail;
}

/** Notifications go to {@link sentNotifications} instead of the backend. */
export const notificationsMock = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({
    send: async (options: NotificationSendOptions) => {
      if (notificationsHeld) {
        await notificationsHeld;
      }
      if (notificationsFail) {
        throw new Error('the notifications backend is down');
      }
      sentNotifications.push(options);
    },
  }),
});

/** The signals published, as the signals service received them. */
export const sentSignals: SignalPayload[] = [];

/** Signals go to {@link sentSignals} instead of the events bus. */
export const signalsMock = createServiceFactory({
  service: signalsServiceRef,
  deps: {},
  factory: () => ({
    publish: async (signal: SignalPayload) => {
      sentSignals.push(signal);
    },
  }),
});

/**
 * The first notification sent that matches, waiting for it: notifications
 * go out in the background, after the change that caused them was answered.
 */
export async function notificationSent(
  matches: (sent: NotificationSendOptions) => boolean,
  timeoutMs = 10_000,
): Promise<NotificationSendOptions> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = sentNotifications.find(matches);
    if (found) {
      return found;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `No matching notification within ${timeoutMs} ms; sent: ${sentNotifications
          .map(n => n.payload.title)
          .join(', ')}`,
      );
    }
    await new Promise(done => setTimeout(done, 20));
  }
}

/** The entities, and the people among them unless they are there already. */
/**
 * The test database for the Release Readiness plugin; any other plugin of
 * the test backend (the events backend, with migrations of its own) gets
 * an in-memory SQLite database of its own, as it would in an app.
 */
function databaseFactory(knex: Knex) {
  const others = new Map<string, Knex>();
  return createServiceFactory({
    service: coreServices.database,
    deps: {
      pluginMetadata: coreServices.pluginMetadata,
      lifecycle: coreServices.lifecycle,
    },
    async factory({ pluginMetadata, lifecycle }) {
      const pluginId = pluginMetadata.getId();
      if (pluginId === 'release-readiness') {
        return { getClient: async () => knex };
      }
      if (!others.has(pluginId)) {
        const own = knexFactory({
          client: 'better-sqlite3',
          connection: ':memory:',
          useNullAsDefault: true,
        });
        others.set(pluginId, own);
        lifecycle.addShutdownHook(() => own.destroy());
      }
      const own = others.get(pluginId)!;
      return { getClient: async () => own };
    },
  });
}

function withPeople(entities: Entity[], people: Entity[]): Entity[] {
  const refOf = (e: Entity) => stringifyEntityRef(e).toLocaleLowerCase('en-US');
  const known = new Set(entities.map(refOf));
  return [...entities, ...people.filter(p => !known.has(refOf(p)))];
}

/**
 * Starts the plugin on the given database with the real templates, the small
 * catalog above and, unless given, a permission service that allows all.
 */
export async function startReadinessBackend(options: {
  knex: Knex;
  features?: any[];
  defaultCredentials?: ReturnType<typeof mockCredentials.none>;
  /** `releaseReadiness.windows` config. */
  windows?: unknown[];
  /** The catalog; {@link ENTITIES} unless given ({@link PEOPLE} are added). */
  entities?: Entity[];
  /** More of the `releaseReadiness` config. */
  config?: Record<string, unknown>;
  /** Config of other plugins (top-level keys, e.g. `events`). */
  otherConfig?: Record<string, unknown>;
  /**
   * Another organisation: its users and groups replace {@link PEOPLE} in the
   * catalog and {@link MEMBERSHIP} in the user info.
   */
  membership?: Record<string, string[]>;
  /** The user info service, instead of the one of {@link MEMBERSHIP}. */
  userInfo?: ReturnType<typeof userInfoOf>;
}) {
  return startTestBackend({
    features: [
      releaseReadinessPlugin,
      databaseFactory(options.knex),
      mockServices.rootConfig.factory({
        data: {
          ...(options.otherConfig as any),
          releaseReadiness: {
            templates: TEMPLATE_FILES,
            ...(options.windows ? { windows: options.windows as any } : {}),
            ...(options.config as any),
          },
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials:
          options.defaultCredentials ?? mockCredentials.none(),
      }),
      catalogServiceMock.factory({
        entities: withPeople(
          options.entities ?? ENTITIES,
          options.membership ? peopleOf(options.membership) : PEOPLE,
        ),
      }),
      (
        options.userInfo ??
        (options.membership ? userInfoOf(options.membership) : userInfoMock)
      ).factory,
      notificationsMock,
      signalsMock,
      ...(options.features ?? []),
    ],
  });
}
