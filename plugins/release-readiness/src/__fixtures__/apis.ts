import { ResponseError } from '@backstage/errors';

/** An identity API signed in as `userEntityRef`, owning `ownershipEntityRefs`. */
export function mockIdentityApi(
  userEntityRef: string,
  ownershipEntityRefs: string[] = [userEntityRef],
) {
  return {
    getBackstageIdentity: async () => ({
      type: 'user' as const,
      userEntityRef,
      ownershipEntityRefs,
    }),
    getProfileInfo: async () => ({}),
    getCredentials: async () => ({ token: 'token' }),
    signOut: async () => {},
  };
}

/** A ResponseError as the API client throws it. */
export async function responseError(
  status: number,
  statusText: string,
  message: string,
): Promise<ResponseError> {
  const response = new Response(
    JSON.stringify({
      error: { name: 'Error', message },
      response: { statusCode: status },
    }),
    {
      status,
      statusText,
      headers: { 'Content-Type': 'application/json' },
    },
  );
  return ResponseError.fromResponse(response);
}
