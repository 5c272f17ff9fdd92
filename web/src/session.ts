/** Who is signed in (from GET /session, which the HttpOnly cookie answers), shared by every page. */
import { reactive } from 'vue';
import { ApiError, get, remove } from './api';
import type { Actor, SessionInfo } from './types';

export const session = reactive<{ loaded: boolean; actor: Actor | null; mustChangePassword: boolean; ended: boolean }>({
  loaded: false,
  actor: null,
  mustChangePassword: false,
  ended: false,
});

export async function loadSession(): Promise<void> {
  try {
    const info = await get<SessionInfo>('/session');
    session.actor = info.actor;
    session.mustChangePassword = info.user?.mustChangePassword ?? false;
  } catch (error) {
    session.actor = null;
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  } finally {
    session.loaded = true;
  }
}

export async function signOut(): Promise<void> {
  await remove('/session').catch(() => undefined);
  session.actor = null;
  session.ended = false;
}

/** A request refused because the session ended (expired, password changed, account disabled): back to sign-in. */
export function whenSessionEnded(error: unknown): boolean {
  if (error instanceof ApiError && error.status === 401) {
    session.actor = null;
    session.ended = true;
    return true;
  }
  if (error instanceof ApiError && error.code === 'PASSWORD_CHANGE_REQUIRED') {
    session.mustChangePassword = true;
    return true;
  }
  return false;
}

/** Whether the signed-in person is county staff (village, township or county), who file and act; ops and admins do not. */
export const isStaff = (): boolean => ['village', 'township', 'county'].includes(session.actor?.role ?? '');
