/**
 * pglite-socket multiplexes many client connections onto PGlite's single session, but it interleaves
 * them message by message. The extended query protocol (Parse, Bind, Describe, Execute ... Sync) is
 * a conversation: when another connection's BEGIN runs between one connection's Parse and Execute,
 * the session then serves only the transaction, whose own Parse replaces the waiting connection's
 * unnamed statement; that connection later executes the wrong statement and gets another's rows
 * (seen as API keys "not found" and 500s under concurrent requests). This replaces the queue's scheduler so that a connection
 * that has started an extended-protocol batch keeps the session until its Sync, just as a connection
 * inside a transaction keeps it until COMMIT. It also keeps the queue running after a failed message
 * (the original stops processing for good).
 */

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, opts: { onRawData: (d: Uint8Array) => void }): Promise<unknown>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Message types that open or continue an extended-protocol batch (ended by Sync). */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);
const SIMPLE_QUERY = 'Q'.charCodeAt(0);

export function pinExtendedProtocolBatches(queue: QueryQueue): void {
  if (typeof queue?.processQueue !== 'function' || !Array.isArray(queue.queue)) {
    throw new Error('pglite-socket internals changed: review pglite-batch-queue.ts before upgrading');
  }
  let pinned: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = pinned ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1);
        const type = item.message[0];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (d) => {
                bytes += d.length;
                item.onData(d);
              },
            }),
          );
          item.resolve(bytes);
        } catch (err) {
          item.reject(err);
        }
        if (EXTENDED.has(type)) pinned = item.handlerId;
        else if ((type === SYNC || type === SIMPLE_QUERY) && pinned === item.handlerId) pinned = null;
        this.lastHandlerId = item.handlerId;
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (pinned === handlerId) {
      pinned = null;
      void queue.processQueue();
    }
  };
}
