import { describe, expect, it } from 'vitest';
import type { Event030, Results030 } from '../../contract/events-030-only';
import { uuidFrom } from '../../../shared/contract/uuid-halves';
import type { Ev } from './contract-030';
import { connectionResultFrom030 } from './events-030-connection';
import { profileFrom } from './values';

const ORIGINAL = { uuid: '8de14dc4-2b77-398d-b0be-ce2204a89f1e', username: 'Nick', properties: [] };
const event: Event030 = { tag: 'game-profile-request', val: { original: ORIGINAL, onlineMode: true, remoteAddr: '127.0.0.1:5', virtualHost: 'mc.test', protocolVersion: 769 } };
/** A listener's answer: the profile it was shown (as 0.3.0 values), renamed and with this uuid. */
const answer = (uuid: Ev.GameProfileRequestResult['profile']['uuid']): Ev.EventOutcome => ({
  tag: 'game-profile-request',
  val: { profile: { ...profileFrom(ORIGINAL), uuid, username: 'Nick2' } },
});
const resultOf = (outcome: Ev.EventOutcome, current?: Results30) => connectionResultFrom030(event, outcome, current) as Results30;
type Results30 = Results030['game-profile-request'];

describe('game-profile-request answers', () => {
  const real = uuidFrom(ORIGINAL.uuid);

  it('keep the exact uuid a QuickJS listener handed back with each half rounded to a double', () => {
    const rounded = { hi: BigInt(Number(real.hi)), lo: BigInt(Number(real.lo)) };
    expect(rounded).not.toEqual(real);
    expect(resultOf(answer(rounded)).profile).toEqual({ uuid: ORIGINAL.uuid, username: 'Nick2', properties: [] });
  });

  it('compare with the profile an earlier listener set, and take a uuid further off as a new one', () => {
    const earlier = { profile: { ...ORIGINAL, uuid: '00000000-0000-4000-8000-000000000001' } };
    expect(resultOf(answer(uuidFrom(earlier.profile.uuid)), earlier).profile.uuid).toBe(earlier.profile.uuid);
    const other = { hi: real.hi, lo: real.lo ^ (1n << 40n) };
    expect(resultOf(answer(other)).profile.uuid).toBe('8de14dc4-2b77-398d-b0be-cf2204a89f1e');
    expect(resultOf(answer(real), earlier).profile.uuid).toBe(ORIGINAL.uuid);
  });
});
