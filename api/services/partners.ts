/**
 * Ops on the partner registry: a partner's keys (add the next, retire the old), its URL and sandbox, which key each
 * recent message was signed with, and every change audited. Changes go to the database; this process re-reads its
 * directory at once, the others on their next refresh or on the first message only the new key verifies.
 */
import { AppError } from '../../common/errors';
import type { PartnerDirectory } from '../../common/partners/directory';
import { newSecret } from '../../common/partners/registry';
import type { PartnerActor, PartnerChangeRefusal, PartnerRepository, PartnerView } from '../../db/repositories/partners';

/** Messages are logged this long (the ops list reads a key's last use within it). */
export const MESSAGE_RETENTION_MS = 30 * 24 * 3_600_000;

export interface PartnerAdminOptions {
  partners: PartnerRepository;
  directory: PartnerDirectory;
  /** A key that verified a message this recently is in use: retiring it needs `force`. */
  inUseWithinMs: number;
  now?: () => Date;
}

const notFound = (partnerId: string) =>
  new AppError('NOT_FOUND', { zh: `没有合作方 ${partnerId}。`, en: `No partner ${partnerId}.` });

function refusal(partnerId: string, r: PartnerChangeRefusal): AppError {
  switch (r.refused) {
    case 'NOT_FOUND':
      return notFound(partnerId);
    case 'STALE':
      return new AppError(
        'CONFLICT',
        { zh: '合作方配置已被他人修改，请刷新后重试。', en: 'The partner was changed meanwhile; reload and try again.' },
        { currentVersion: r.currentVersion },
      );
    case 'TWO_ACTIVE_KEYS':
      return new AppError('CONFLICT', {
        zh: '该合作方已有两个有效密钥（当前和下一个），请先停用旧密钥。',
        en: 'The partner has two active keys already (current and next): retire the old one first.',
      });
    case 'KEY_EXISTS':
      return new AppError(
        'CONFLICT',
        { zh: '该密钥已登记过，不能重复使用。', en: 'This key was registered before and cannot be used again.' },
        { keyId: r.keyId },
      );
    case 'KEY_NOT_ACTIVE':
      return new AppError(
        'NOT_FOUND',
        { zh: `合作方 ${partnerId} 没有有效密钥 ${r.keyId}。`, en: `Partner ${partnerId} has no active key ${r.keyId}.` },
        { keyId: r.keyId },
      );
    case 'LAST_ACTIVE_KEY':
      return new AppError(
        'UNPROCESSABLE',
        {
          zh: '这是该合作方唯一的有效密钥：请先添加新密钥，待对方改用新密钥后再停用。',
          en: "This is the partner's only active key: add the next key first, and retire this one once the partner uses the new one.",
        },
        { keyId: r.keyId },
      );
  }
}

const changed = (partnerId: string, result: PartnerView | PartnerChangeRefusal): PartnerView => {
  if ('refused' in result) throw refusal(partnerId, result);
  return result;
};

export function createPartnerAdminService({ partners, directory, inUseWithinMs, now = () => new Date() }: PartnerAdminOptions) {
  const since = (ms: number) => new Date(now().getTime() - ms);
  /**
   * When the key last verified a message, looked for in widening windows: the database sorts every message a window
   * holds, so a key in daily use is answered from its last hour, and only a quiet key costs the whole retention.
   */
  const lastUse = async (partnerId: string, keyId: string) => {
    for (const window of [3_600_000, 86_400_000, MESSAGE_RETENTION_MS]) {
      const at = await partners.lastUse(partnerId, keyId, since(window));
      if (at) return at;
    }
    return null;
  };
  /** A view with each key's last verified message (within the retention). */
  const withUse = async (view: PartnerView) => ({
    ...view,
    sandbox: view.sandboxUrl !== null,
    keys: await Promise.all(view.keys.map(async (k) => ({ ...k, lastUsedAt: await lastUse(view.partnerId, k.keyId) }))),
  });
  const after = async (view: PartnerView) => {
    await directory.refresh();
    return withUse(view);
  };

  return {
    async list() {
      return Promise.all((await partners.list()).map(withUse));
    },

    async get(partnerId: string) {
      const view = await partners.get(partnerId);
      if (!view) throw notFound(partnerId);
      return withUse(view);
    },

    async history(partnerId: string) {
      const history = await partners.history(partnerId);
      if (!history) throw notFound(partnerId);
      return history;
    },

    async messages(partnerId: string, { hours, limit }: { hours: number; limit: number }) {
      if (!(await partners.get(partnerId))) throw notFound(partnerId);
      return partners.messages(partnerId, since(hours * 3_600_000), limit);
    },

    /** Adds the next key; the secret (made here unless given) is answered this once and never again. */
    async addKey(partnerId: string, body: { reason: string; secret?: string | undefined }, actor: PartnerActor) {
      const secret = body.secret ?? newSecret();
      const view = changed(partnerId, await partners.addKey(partnerId, secret, actor, body.reason, now()));
      const keyId = view.keys.at(-1)!.keyId;
      return { partner: await after(view), key: { keyId, secret } };
    },

    async retireKey(partnerId: string, keyId: string, body: { reason: string; force: boolean }, actor: PartnerActor) {
      if (!body.force) {
        const lastUsedAt = await partners.lastUse(partnerId, keyId, since(inUseWithinMs));
        if (lastUsedAt)
          throw new AppError(
            'CONFLICT',
            {
              zh: `密钥 ${keyId} 在 ${Math.round(inUseWithinMs / 60_000)} 分钟内仍在签名消息：对方尚未改用新密钥。确认后可强制停用（force）。`,
              en: `Key ${keyId} signed a message within the last ${Math.round(inUseWithinMs / 60_000)} minutes: the partner has not switched yet. Retire with force to do it anyway.`,
            },
            { keyId, lastUsedAt, code: 'KEY_IN_USE' },
          );
      }
      return after(changed(partnerId, await partners.retireKey(partnerId, keyId, actor, body.reason, now())));
    },

    async update(
      partnerId: string,
      body: { expectedVersion: number; reason: string; url?: string | undefined; sandboxUrl?: string | null | undefined },
      actor: PartnerActor,
    ) {
      const endpoints = {
        ...(body.url !== undefined ? { url: body.url } : {}),
        ...(body.sandboxUrl !== undefined ? { sandboxUrl: body.sandboxUrl } : {}),
      };
      return after(
        changed(partnerId, await partners.setEndpoints(partnerId, body.expectedVersion, endpoints, actor, body.reason, now())),
      );
    },

    async pruneMessages() {
      return partners.pruneMessages(since(MESSAGE_RETENTION_MS));
    },
  };
}

export type PartnerAdminService = ReturnType<typeof createPartnerAdminService>;
