/**
 * The partners as a running process sees them: each insurer, the bank and the data service with its URL, its active
 * secrets and its sandbox. The API verifies callbacks and the worker signs calls against `current()`, a snapshot
 * the directory replaces when the registry in the database changes (a key added or retired, a sandbox switched), so
 * a rotation needs no restart. Snapshots are plain values: a call in flight keeps the snapshot it started with.
 */
import type { PartnerRegistry } from './registry';

export const PARTNER_KINDS = ['insurer', 'bank', 'data-sources'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** The bank's and the data service's partner ids; an insurer's is its insurer id. */
export const BANK_ID = 'bank';
export const DATA_SOURCES_ID = 'data-sources';

export interface PartnerEndpoint {
  id: string;
  kind: PartnerKind;
  url: string;
  /** Active secrets, newest last: outgoing messages are signed with each, incoming ones accepted under any. */
  secrets: readonly string[];
  /** The partner's test system: test claims go there and nowhere else (undefined: no sandbox). */
  sandboxUrl?: string;
}

export interface PartnerSnapshot {
  insurers: readonly PartnerEndpoint[];
  bank: PartnerEndpoint;
  dataSources: PartnerEndpoint;
}

export interface PartnerDirectory {
  current(): PartnerSnapshot;
  /** Re-reads the registry now (coalesced: callers at the same moment share one read). */
  refresh(): Promise<void>;
  close(): void;
}

export const insurerOf = (snapshot: PartnerSnapshot, insurerId: string): PartnerEndpoint | undefined =>
  snapshot.insurers.find((i) => i.id === insurerId);

export function partnerOf(snapshot: PartnerSnapshot, partnerId: string): PartnerEndpoint | undefined {
  if (partnerId === BANK_ID) return snapshot.bank;
  if (partnerId === DATA_SOURCES_ID) return snapshot.dataSources;
  return insurerOf(snapshot, partnerId);
}

/** The file's registry as a snapshot (what the database is seeded with). */
export function snapshotOfRegistry(registry: PartnerRegistry): PartnerSnapshot {
  return {
    insurers: registry.insurers.map((i) => ({ id: i.id, kind: 'insurer', url: i.url, secrets: i.secrets })),
    bank: { id: BANK_ID, kind: 'bank', url: registry.bank.url, secrets: registry.bank.secrets },
    dataSources: {
      id: DATA_SOURCES_ID,
      kind: 'data-sources',
      url: registry.dataSources.url,
      secrets: registry.dataSources.secrets,
    },
  };
}

/** A directory that never changes: unit tests and tools that have a registry in hand. */
export function fixedPartnerDirectory(registry: PartnerRegistry): PartnerDirectory {
  const snapshot = snapshotOfRegistry(registry);
  return { current: () => snapshot, refresh: () => Promise.resolve(), close: () => undefined };
}

/**
 * A directory over a loader (the database's registry): loaded once before use, then every `refreshMs` and on demand.
 * A refresh asked for while a read is running waits for the next read, which starts after it was asked (so a key
 * added before the ask is seen), and every caller waiting meanwhile shares that one read: refused signatures arriving
 * in a flood cost one small read at a time, never one each. A failed read keeps the last snapshot.
 */
export async function loadingPartnerDirectory(
  load: () => Promise<PartnerSnapshot>,
  { refreshMs, onError = () => undefined }: { refreshMs: number; onError?: (error: unknown) => void },
): Promise<PartnerDirectory> {
  let snapshot = await load();
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (!running) {
      running = load()
        .then((next) => {
          snapshot = next;
        }, onError)
        .finally(() => {
          running = undefined;
        });
      return running;
    }
    queued ??= running.then(() => {
      queued = undefined;
      return refresh();
    });
    return queued;
  };
  const timer = refreshMs > 0 ? setInterval(() => void refresh(), refreshMs) : undefined;
  timer?.unref();
  return { current: () => snapshot, refresh, close: () => clearInterval(timer) };
}
