import type { Actor } from '../../workflows/claim/types';
import { tokenFor } from './claim-harness';

export interface StaffAnswer<T> {
  status: number;
  body: T;
  /** The raw text, to assert what must never appear in it (a secret, a full ID number). */
  text: string;
}

/** The staff API as a person's client calls it: a bearer token for `actor`, JSON in and out. */
export function staffApi(h: () => { apiUrl: string }) {
  return async <T = Record<string, unknown>>(
    actor: Actor,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<StaffAnswer<T>> => {
    const res = await fetch(`${h().apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await tokenFor(actor)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T, text };
  };
}
