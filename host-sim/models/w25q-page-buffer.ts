// The W25Q page buffer behind Page Program (02h): the bytes clocked in per column, programmed into the array at /CS high.

/**
 * Datasheet section 8.2 "Page Program (02h)": data goes into one 256-byte page from the start column;
 * past the page end the column wraps to the page start, and only the columns sent are programmed.
 */
export class W25qPageBuffer {
  private readonly latch = new Uint8Array(256);
  private readonly latched = new Uint8Array(256);
  private base = 0;
  private col = 0;

  /** A new program at array address `addr`: nothing latched yet. */
  begin(addr: number): void {
    this.base = addr & ~0xff;
    this.col = addr & 0xff;
    this.latched.fill(0);
  }

  /** One data byte at the present column. */
  put(input: number): void {
    const col = this.col;
    this.latch[col] = input;
    this.latched[col] = 1;
    this.col = (col + 1) & 0xff;
  }

  /** Programs the latched columns into `memory`, stored XOR `xor` (program only clears bits of the value). */
  program(memory: Uint8Array, xor: number): void {
    const base = this.base;
    for (let col = 0; col < 256; col++) if (this.latched[col] === 1) memory[base + col] = ((memory[base + col] ^ xor) & this.latch[col]) ^ xor;
  }
}
