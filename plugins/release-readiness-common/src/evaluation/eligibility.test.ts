import { SignoffRole } from '../types';
import {
  eligibleRefs,
  eligibleVotersInWords,
  ineligibleVoterMessage,
  isEligibleVoter,
} from './eligibility';

const role = (eligible: SignoffRole['eligible']): SignoffRole => ({
  id: 'qa',
  title: 'Quality assurance',
  eligible,
  min: 1,
});

const nadia = {
  userEntityRef: 'user:default/nadia',
  ownershipEntityRefs: ['user:default/nadia', 'group:default/Payments'],
};

describe('isEligibleVoter', () => {
  it('lets gate owners vote for a role open to gate owners', () => {
    const owners = role({ gateOwners: true });
    expect(isEligibleVoter(owners, nadia, ['group:default/payments'])).toBe(
      true,
    );
    expect(isEligibleVoter(owners, nadia, ['group:default/checkout'])).toBe(
      false,
    );
  });

  it('does not count gate ownership for a role that does not name it', () => {
    expect(
      isEligibleVoter(role({ groups: ['group:default/qa'] }), nadia, [
        'group:default/payments',
      ]),
    ).toBe(false);
  });

  it('lets members of a named group vote, whatever the case of the refs', () => {
    expect(
      isEligibleVoter(role({ groups: ['Group:default/payments'] }), nadia, []),
    ).toBe(true);
  });

  it('lets a named user vote, but not through a group of that name', () => {
    expect(
      isEligibleVoter(role({ users: ['user:default/NADIA'] }), nadia, []),
    ).toBe(true);
    expect(
      isEligibleVoter(role({ users: ['group:default/payments'] }), nadia, []),
    ).toBe(false);
  });

  it('lets nobody vote for a role that names no one', () => {
    expect(isEligibleVoter(role({}), nadia, ['user:default/nadia'])).toBe(
      false,
    );
  });
});

describe('who may vote, in words', () => {
  it('names every way to be eligible', () => {
    expect(
      eligibleVotersInWords(
        role({
          gateOwners: true,
          groups: ['group:default/qa', 'group:default/sre'],
          users: ['user:default/ann'],
        }),
        ['group:default/payments'],
      ),
    ).toBe(
      'the gate owners (group:default/payments) or members of group:default/qa or group:default/sre or user:default/ann',
    );
  });

  it('says "nobody" when the role names no one', () => {
    expect(ineligibleVoterMessage(role({}), [])).toBe(
      'Only nobody can sign off as Quality assurance.',
    );
  });

  it('says the gate owners even when the entity has none assigned', () => {
    expect(ineligibleVoterMessage(role({ gateOwners: true }), [])).toBe(
      'Only the gate owners can sign off as Quality assurance.',
    );
  });
});

describe('eligibleRefs', () => {
  it('splits the refs a role names into groups and users, owners included when named', () => {
    const engineering = {
      id: 'eng',
      title: 'Engineering',
      min: 1,
      eligible: {
        gateOwners: true,
        groups: ['group:default/qa'],
        users: ['user:default/ada'],
      },
    };
    expect(
      eligibleRefs(engineering, [
        'group:default/payments',
        'user:default/priya',
      ]),
    ).toEqual({
      groups: ['group:default/payments', 'group:default/qa'],
      users: ['user:default/priya', 'user:default/ada'],
    });
    expect(
      eligibleRefs(
        { ...engineering, eligible: { groups: ['group:default/qa'] } },
        ['group:default/payments'],
      ),
    ).toEqual({ groups: ['group:default/qa'], users: [] });
  });
});
