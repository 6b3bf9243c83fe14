import authPlugin from '@backstage/plugin-auth-backend';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { UserEntity, GroupEntity } from '@backstage/catalog-model';
import request from 'supertest';
import { assertDevelopment } from './assertDevelopment';
import { demoSignInAuthModule, readDemoUserRef } from './authModule';
import { demoSignInUsersPlugin } from './usersPlugin';

const priya: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: {
    name: 'priya-raman',
    namespace: 'default',
    description: 'Payments tech lead',
  },
  spec: {
    profile: { displayName: 'Priya Raman', email: 'priya.raman@example.com' },
    memberOf: ['payments'],
  },
  relations: [{ type: 'memberOf', targetRef: 'group:default/payments' }],
};
const nadia: UserEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'nadia-haddad', namespace: 'default' },
  spec: { profile: { displayName: 'Nadia Haddad' }, memberOf: ['qa'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/qa' }],
};
const payments: GroupEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const catalog = catalogServiceMock.factory({
  entities: [priya, nadia, payments],
});

describe('demo sign-in', () => {
  const originalNodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = originalNodeEnv;
  });

  describe('assertDevelopment', () => {
    it.each([['production'], ['test'], [''], [undefined]])(
      'refuses NODE_ENV=%s',
      nodeEnv => {
        expect(() => assertDevelopment({ NODE_ENV: nodeEnv })).toThrow(
          /only runs in development/,
        );
      },
    );

    it('allows development', () => {
      expect(() =>
        assertDevelopment({ NODE_ENV: 'development' }),
      ).not.toThrow();
    });
  });

  it.each([['production'], ['test']])(
    'refuses to start when NODE_ENV is %s',
    async nodeEnv => {
      process.env.NODE_ENV = nodeEnv;
      await expect(
        startTestBackend({ features: [demoSignInUsersPlugin, catalog] }),
      ).rejects.toThrow(/only runs in development/);
      await expect(
        startTestBackend({
          features: [authPlugin, demoSignInAuthModule, catalog],
        }),
      ).rejects.toThrow(/only runs in development/);
    },
  );

  it('lists the catalog users without credentials, in development', async () => {
    process.env.NODE_ENV = 'development';
    const { server } = await startTestBackend({
      features: [demoSignInUsersPlugin, catalog],
    });

    const res = await request(server).get('/api/demo-sign-in/users');

    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        ref: 'user:default/nadia-haddad',
        displayName: 'Nadia Haddad',
        groups: ['group:default/qa'],
      },
      {
        ref: 'user:default/priya-raman',
        displayName: 'Priya Raman',
        email: 'priya.raman@example.com',
        description: 'Payments tech lead',
        groups: ['group:default/payments'],
      },
    ]);
  });

  it('signs in as the chosen catalog user, with their groups', async () => {
    process.env.NODE_ENV = 'development';
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        demoSignInAuthModule,
        catalog,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: { providers: { demo: {} } },
          },
        }),
      ],
    });

    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set('x-demo-user', 'user:default/priya-raman')
      .set('X-Requested-With', 'XMLHttpRequest');

    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toMatchObject({
      userEntityRef: 'user:default/priya-raman',
      ownershipEntityRefs: expect.arrayContaining(['group:default/payments']),
    });
    expect(res.body.backstageIdentity.token).toEqual(expect.any(String));
  });

  it('refuses a user that is not in the catalog', async () => {
    process.env.NODE_ENV = 'development';
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        demoSignInAuthModule,
        catalog,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: { providers: { demo: {} } },
          },
        }),
      ],
    });

    const res = await request(server)
      .get('/api/auth/demo/refresh')
      .set('x-demo-user', 'user:default/mallory')
      .set('X-Requested-With', 'XMLHttpRequest');

    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  describe('readDemoUserRef', () => {
    it('accepts a full ref or a bare user name', () => {
      expect(readDemoUserRef('user:default/priya-raman')).toBe(
        'user:default/priya-raman',
      );
      expect(readDemoUserRef('priya-raman')).toBe('user:default/priya-raman');
    });

    it('rejects a missing header and refs to other kinds', () => {
      expect(() => readDemoUserRef(undefined)).toThrow(/Missing x-demo-user/);
      expect(() => readDemoUserRef('group:default/payments')).toThrow(
        /must name a user/,
      );
    });
  });
});
