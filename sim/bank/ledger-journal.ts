/**
 * The bank simulator's durable ledger, as a real bank keeps one: every booking and settlement is appended to a
 * journal file (one JSON line per change, fsync'd before the bank answers), and a restarted bank reads it back, so an
 * idempotency key is paid at most once across restarts and instructions booked before a crash are still settled.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

export interface Journal<E extends { idempotencyKey: string }> {
  /** The entries as last recorded, one per idempotency key (a torn last line from a crash is skipped). */
  load(): E[];
  /** Appends the entry's current state and waits until it is on disk. */
  record(entry: E): void;
}

function appendNewline(path: string): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function openJournal<E extends { idempotencyKey: string }>(path: string): Journal<E> {
  return {
    load() {
      if (!existsSync(path)) return [];
      const text = readFileSync(path, 'utf8');
      // a torn last line is closed off, so the next change starts a line of its own
      if (text.length > 0 && !text.endsWith('\n')) appendNewline(path);
      const latest = new Map<string, E>();
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as E;
          latest.set(entry.idempotencyKey, entry);
        } catch {
          // a line cut short by a crash mid-write: that change never answered, so it never happened
        }
      }
      return [...latest.values()];
    },
    record(entry) {
      const fd = openSync(path, 'a');
      try {
        writeSync(fd, `${JSON.stringify(entry)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}
