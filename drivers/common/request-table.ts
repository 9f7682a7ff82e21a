// Per-request parameters for a RequestQueue (whose ring holds only numbers): fixed slots, a free stack, no allocation.

/**
 * RequestQueue carries one number per request, so a driver whose requests have parameters (an
 * address, a caller's buffer, a length) keeps them here and queues the slot index. Slots equal the
 * queue's capacity, so a slot is free exactly when the queue has room: `take` answers -1 only when
 * the queue would answer FULL anyway.
 */
export class RequestTable {
  readonly kind: Uint8Array;
  readonly address: Int32Array;
  readonly length: Int32Array;
  readonly token: Float64Array;
  /** The caller's buffer for the request (read or written when it is served), null when free. */
  readonly buffer: (Uint8Array | null)[];
  private readonly free: Int16Array;
  private top: number;

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.address = new Int32Array(capacity);
    this.length = new Int32Array(capacity);
    this.token = new Float64Array(capacity);
    this.buffer = new Array(capacity);
    this.free = new Int16Array(capacity);
    for (let i = 0; i < capacity; i++) {
      this.buffer[i] = null;
      this.free[i] = capacity - 1 - i;
    }
    this.top = capacity;
  }

  /** A slot filled with the request's parameters, or -1 if every slot is in use. */
  take(kind: number, token: number, address: number, buffer: Uint8Array | null, length: number): number {
    if (this.top === 0) return -1;
    const slot = this.free[--this.top];
    this.kind[slot] = kind;
    this.token[slot] = token;
    this.address[slot] = address;
    this.buffer[slot] = buffer;
    this.length[slot] = length;
    return slot;
  }

  /** Frees `slot`; returns the caller's token it carried. */
  put(slot: number): number {
    this.buffer[slot] = null;
    this.free[this.top++] = slot;
    return this.token[slot];
  }
}
